package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

const usage = `Selfservice reference backend.

Usage:
  selfservice-server serve --db FILE --secret-key-file FILE [--previous-secret-key-file FILE]
                           [--listen 127.0.0.1:8443] [--tls-cert FILE --tls-key FILE] [--insecure-http]
                           [--rp-id ID] [--rp-origin URL[,URL]] [--public-url URL] [--trusted-proxy CIDR[,CIDR]]
                           [--config FILE] [--daily-sms-per-user N] [--daily-email-per-user N] [--daily-sms N] [--daily-email N]
                           [--demo [--demo-approvals]]
                           [--smtp-host HOST --smtp-from ADDRESS [--smtp-port N] [--smtp-tls starttls|tls|none]
                            [--smtp-user NAME]] [--sms-webhook URL] [--messages-dir DIR]
  selfservice-server user add --db FILE --username NAME [--display-name TEXT] [--role employee] --password-stdin
  selfservice-server user set-field --db FILE --config FILE --username NAME --field ID --value TEXT
  selfservice-server approval set --db FILE --operation OP --mode self|approvers|none
                           [--approvers USER[,USER] | --group ROLE] [--required N] [--template ID]
  selfservice-server approval list --db FILE
  selfservice-server emergency issue --db FILE --username NAME [--valid 24h] [--uses 1]
  selfservice-server hwtoken import --db FILE --secret-key-file FILE --file TOKENS.csv
  selfservice-server hwtoken list --db FILE --secret-key-file FILE
  selfservice-server hwtoken unassign --db FILE --secret-key-file FILE --serial SERIAL [--force]
  selfservice-server key new [--file FILE]
  selfservice-server key rotate --db FILE --secret-key-file NEW --previous-secret-key-file OLD
  selfservice-server outbox list --db FILE [--status PENDING|SENT|FAILED]
  selfservice-server help

--db FILE is a SQLite database file, or a PostgreSQL database given as a
URL: --db postgres://USER@HOST:PORT/DATABASE (password in PGPASSWORD or
~/.pgpass). Several servers may serve one PostgreSQL database together.

Commands:
  serve      Serve the JSON API under /api/v1 until interrupted (Ctrl-C or SIGTERM).
             The server secret key (--secret-key-file, a file only the
             server's user may read, or the environment variable
             SELFSERVICE_SECRET_KEY) seals the token secrets in the database
             and protects the codes it sends; serve refuses to start without
             it (see key new). --previous-secret-key-file (or
             SELFSERVICE_PREVIOUS_SECRET_KEYS, comma-separated) gives older
             keys it still reads with while keys are rotated. With --demo and
             no key, the key is kept in FILE.key beside the database.
             Without --tls-cert and --tls-key it speaks plain HTTP, which is only
             allowed on a loopback address unless --insecure-http is given.
             --rp-id is the domain FIDO2 security keys bind their credentials to
             (default localhost, which suits the demo); --rp-origin lists the
             origins clients may send, written like https://host or
             https://host:port with no trailing slash (default https://ID; the
             desktop app sends https://ID).
             --demo adds the demo accounts and prints their passwords and token
             secrets: for trying the app, never for real use. --demo-approvals
             adds the demo's approval policies too (see approval set).
             Emails (codes, authenticator set-up) go through the mail server
             --smtp-host, from --smtp-from; with --smtp-user, the password is
             read from the environment variable SELFSERVICE_SMTP_PASSWORD.
             --smtp-tls is starttls (default, port 587), tls (port 465) or
             none (only to a mail server on this machine). SMS are POSTed as
             signed JSON to your gateway at --sms-webhook, with the signing
             secret (16 characters or more) in SELFSERVICE_SMS_WEBHOOK_SECRET.
             --messages-dir DIR writes the messages of a channel without a
             sender into files instead (development). A channel with no
             sender is off: its sign-in methods are not offered.
  user add   Create a user. The password is read from the first line of standard
             input, for example: printf '%s\n' "$PASSWORD" | selfservice-server user add ...
             Roles: employee (manages their own tokens) and helpdesk (may only view,
             test and resync, and approves requests).
  user set-field
             Set a field of a user's profile, one of the "profile" "fields" of
             the organisation's configuration (--config, the file serve reads):
             those not "editable" only the organisation sets, such as a job
             title or a department; the user sees them in the Profile area.
             An empty --value empties the field.
  approval set
             Set how an operation is approved: none (it runs at once), self (the
             user first confirms with one of their tokens) or approvers (it runs
             once --required of the approvers approved it; a user never approves
             their own request). Approvers are users (--approvers) or a group;
             a group is a role: --group helpdesk means every helpdesk user.
             Operations: token.enroll, token.disable, token.delete. --template
             narrows the policy to one token template and wins over the
             operation's policy; for example, token.enroll of one template may
             need approvers while other enrollments need only self.
  approval list
             Show the approval policies.
  emergency issue
             Issue an emergency access code to a user who lost their tokens: it
             signs in or confirms an action in place of a token, --uses times
             (1 to 10) until --valid has passed (at most 720h). The code is
             printed once, on standard output; hand it over securely. It
             replaces the user's earlier code, and enrolling or activating a
             token deactivates it.
  hwtoken import
             Import hardware OTP tokens from a CSV file with the header
             serial,secret,type,digits and optionally period: the secret in
             base32, the type hotp or totp, 6 or 8 digits, the period in seconds
             (TOTP only, default 30). All lines are imported or, when one is
             wrong or its serial is imported already, none. Users then claim a
             token with its serial number and the code it shows.
  hwtoken list
             Show the imported hardware tokens and who holds each; never their
             secrets.
  hwtoken unassign
             Take a hardware token back: its holder's token is deleted and the
             serial can be claimed again. The holder's last active token is
             kept unless --force is given.
  key new    Make a new server secret key: into a new file of mode 0600 with
             --file, or printed for a secret store or the environment.
  key rotate Seal every token secret again with the current key, after the
             server was restarted with the new key as --secret-key-file and
             the old one as --previous-secret-key-file; then the old key can
             be removed from its configuration (see README).
  outbox list
             Show the emails and SMS the server sent, is sending or gave up:
             recipient (masked), state, attempts, times and the last error;
             never their text. A message is tried again with growing pauses
             and given up after too many attempts or once it expired. A
             failed message cannot be sent again (its text, which may hold a
             code, is deleted): the user asks for a new one.

Run "selfservice-server COMMAND --help" for the options of a command.
`

// run is the whole program: it parses args, runs the command until ctx
// is done, and returns what went wrong. Messages go to stderr; stdout
// gets only what a command is asked to print (an emergency access code).
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		io.WriteString(stderr, usage)
		return errors.New("name a command: serve, user add, approval, emergency, hwtoken, key or outbox")
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		io.WriteString(stderr, usage)
		return nil
	case "serve":
		return runServe(ctx, args[1:], stderr)
	case "user":
		if len(args) > 1 && args[1] == "add" {
			return runUserAdd(ctx, args[2:], stdin, stderr)
		}
		if len(args) > 1 && args[1] == "set-field" {
			return runUserSetField(ctx, args[2:], stderr)
		}
		if len(args) > 1 && isHelp(args[1]) {
			io.WriteString(stderr, usage)
			return nil
		}
		return errors.New(`name a user command: "user add" or "user set-field"; run "selfservice-server --help" for details`)
	case "approval":
		return runApproval(ctx, args[1:], stderr)
	case "emergency":
		return runEmergency(ctx, args[1:], stdout, stderr)
	case "hwtoken":
		return runHWToken(ctx, args[1:], stdout, stderr)
	case "outbox":
		return runOutbox(ctx, args[1:], stdout, stderr)
	case "key":
		return runKey(ctx, args[1:], os.Getenv, stdout, stderr)
	}
	return fmt.Errorf("unknown command %q; run \"selfservice-server --help\" for the commands", args[0])
}

func isHelp(arg string) bool {
	switch arg {
	case "help", "-h", "-help", "--help":
		return true
	}
	return false
}

// newFlagSet makes a flag set that reports to stderr and shows the
// command's synopsis above its options.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage:\n  %s\n\nOptions:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args; errHelp means help was asked for and shown.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return fmt.Errorf("%s: %w", fs.Name(), err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%s: unexpected argument %q (options start with --)", fs.Name(), strings.Join(fs.Args(), " "))
	}
	return nil
}

var errHelp = errors.New("help shown")
