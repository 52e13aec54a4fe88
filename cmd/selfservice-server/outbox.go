package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"selfservice/api"
	"selfservice/server"
)

const outboxListSynopsis = "selfservice-server outbox list --db FILE [--status PENDING|SENT|FAILED]"

// runOutbox runs "outbox list".
//
// There is no "outbox retry": a message that failed keeps neither its
// text nor its attachment, which may hold a code or a provisioning
// payload, so there is nothing left to send again; and what it carried
// has usually expired by then anyway. The user asks for a new code.
func runOutbox(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch {
		case args[0] == "list":
			return runOutboxList(ctx, args[1:], stdout, stderr)
		case args[0] == "retry":
			return errors.New("outbox retry: a failed message cannot be sent again, because its text (which may hold a code) is deleted when it fails; ask the user to request a new code or set-up message")
		case isHelp(args[0]):
			io.WriteString(stderr, usage)
			return nil
		}
	}
	return errors.New(`name an outbox command: "outbox list"; run "selfservice-server --help" for details`)
}

// runOutboxList shows the messages of the outbox: who they went to
// (masked), their state and their last error; never their text.
func runOutboxList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("outbox list", outboxListSynopsis, stderr)
	dbPath := dbFlag(fs)
	status := fs.String("status", "", "show only the messages in this `state`: PENDING, SENT or FAILED (default all)")
	if err := parseFlags(fs, args); err != nil {
		if errors.Is(err, errHelp) {
			return nil
		}
		return err
	}
	want := strings.ToUpper(*status)
	switch want {
	case "", server.OutboxPending, server.OutboxSent, server.OutboxFailed:
	default:
		return fmt.Errorf("outbox list: --status %q is not one of PENDING, SENT or FAILED", *status)
	}
	store, err := openExisting(ctx, "outbox list", *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	messages, err := store.OutboxMessages(ctx, want)
	if err != nil {
		return fmt.Errorf("outbox list: %w", err)
	}
	if len(messages) == 0 {
		if want == "" {
			fmt.Fprintln(stdout, "The outbox is empty.")
		} else {
			fmt.Fprintf(stdout, "No %s messages.\n", want)
		}
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCHANNEL\tTO\tSTATUS\tATTEMPTS\tCREATED\tSENT\tLAST ERROR")
	for _, r := range messages {
		m := r.Message
		lastError := r.LastError
		if lastError == "" {
			lastError = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", m.ID, m.Channel, api.MaskAddress(m.Channel, m.To),
			r.Status, r.Attempts, listTime(r.CreatedAt), listTime(r.SentAt), lastError)
	}
	return tw.Flush()
}

// listTime shows a time in UTC to the second, "-" for none.
func listTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05Z")
}
