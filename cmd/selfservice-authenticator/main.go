// Command selfservice-authenticator stands in for the Selfservice
// Authenticator app on a phone, for demos and tests: it is set up from
// the desktop's provisioning QR code or link, lists the push requests
// waiting for the user, approves or denies them, and confirms a
// passwordless sign-in read from the desktop's QR code.
// Run "selfservice-authenticator --help" for the commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
