package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"selfservice/api"
	"selfservice/server"
)

const emergencyIssueSynopsis = "selfservice-server emergency issue --db FILE --username NAME [--valid 24h] [--uses 1]"

// runEmergency runs "emergency issue".
func runEmergency(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch {
		case args[0] == "issue":
			return runEmergencyIssue(ctx, args[1:], stdout, stderr)
		case isHelp(args[0]):
			io.WriteString(stderr, usage)
			return nil
		}
	}
	return errors.New(`name an emergency command: "emergency issue"; run "selfservice-server --help" for details`)
}

// runEmergencyIssue issues an emergency access code and prints it, the
// only time it is shown, to stdout; everything else goes to stderr.
func runEmergencyIssue(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("emergency issue", emergencyIssueSynopsis, stderr)
	dbPath := dbFlag(fs)
	username := fs.String("username", "", "the `name` of the user who gets the code (required)")
	valid := fs.Duration("valid", 24*time.Hour, "how long the code stays valid (`duration`, at most 720h)")
	uses := fs.Int("uses", 1, fmt.Sprintf("how many sign-ins or confirmations the code allows (`number`, at most %d)", api.MaxEmergencyUses))
	if err := parseFlags(fs, args); err != nil {
		if errors.Is(err, errHelp) {
			return nil
		}
		return err
	}
	switch {
	case *username == "":
		return errors.New("emergency issue: give the user's name with --username NAME")
	case *valid <= 0 || *valid > api.MaxEmergencyValidHours*time.Hour:
		return errors.New("emergency issue: give a validity between 1m and 720h with --valid, for example --valid 24h")
	case *uses < 1 || *uses > api.MaxEmergencyUses:
		return fmt.Errorf("emergency issue: give the number of uses, 1 to %d, with --uses", api.MaxEmergencyUses)
	}

	store, err := openExisting(ctx, "emergency issue", *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	out, err := server.IssueEmergencyCode(ctx, store, *username, server.IssuedByAdmin, *valid, *uses, time.Now().UTC())
	if errors.Is(err, server.ErrNotFound) {
		return fmt.Errorf("emergency issue: there is no user %q", *username)
	}
	if err != nil {
		return fmt.Errorf("emergency issue: %w", err)
	}
	fmt.Fprintln(stdout, out.Code)
	fmt.Fprintf(stderr, "Issued an emergency access code to %s: valid until %s, %d use(s). It replaces any earlier code and is not shown again; hand it over securely.\n",
		*username, out.ExpiresAt.Local().Format(time.DateTime), out.Uses)
	return nil
}
