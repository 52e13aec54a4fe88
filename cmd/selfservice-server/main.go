// Command selfservice-server is the Selfservice reference backend: it
// serves the JSON API from a SQLite database and manages its users.
// Run "selfservice-server --help" for the commands.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "selfservice-server:", err)
		os.Exit(1)
	}
}
