package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"selfservice/api"
	"selfservice/server"
)

const (
	hwtokenImportSynopsis   = "selfservice-server hwtoken import --db FILE --secret-key-file FILE --file TOKENS.csv"
	hwtokenListSynopsis     = "selfservice-server hwtoken list --db FILE --secret-key-file FILE"
	hwtokenUnassignSynopsis = "selfservice-server hwtoken unassign --db FILE --secret-key-file FILE --serial SERIAL [--force]"
)

// runHWToken runs "hwtoken import", "hwtoken list" and "hwtoken unassign".
func runHWToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch {
		case args[0] == "import":
			return runHWTokenImport(ctx, args[1:], stdout, stderr)
		case args[0] == "list":
			return runHWTokenList(ctx, args[1:], stdout, stderr)
		case args[0] == "unassign":
			return runHWTokenUnassign(ctx, args[1:], stdout, stderr)
		case isHelp(args[0]):
			io.WriteString(stderr, usage)
			return nil
		}
	}
	return errors.New(`name a hwtoken command: "hwtoken import", "hwtoken list" or "hwtoken unassign"; run "selfservice-server --help" for details`)
}

// runHWTokenImport imports the hardware tokens of a CSV file, all or none.
func runHWTokenImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("hwtoken import", hwtokenImportSynopsis, stderr)
	dbPath := dbFlag(fs)
	var keys keyFlags
	keys.register(fs)
	file := fs.String("file", "", "CSV `file` with the header serial,secret,type,digits[,period] (required)")
	if err := parseFlags(fs, args); err != nil {
		if errors.Is(err, errHelp) {
			return nil
		}
		return err
	}
	if *file == "" {
		return errors.New("hwtoken import: give the CSV file with --file TOKENS.csv")
	}
	f, err := os.Open(*file)
	if err != nil {
		return fmt.Errorf("hwtoken import: %w", err)
	}
	defer f.Close()
	store, _, err := keys.openExisting(ctx, "hwtoken import", *dbPath, os.Getenv)
	if err != nil {
		return err
	}
	defer store.Close()
	n, err := server.ImportHardwareTokens(ctx, store, f, time.Now().UTC())
	if err != nil {
		return fmt.Errorf("hwtoken import: %s: %w; nothing was imported", *file, err)
	}
	fmt.Fprintf(stdout, "Imported %d hardware token(s).\n", n)
	return nil
}

// runHWTokenList shows the hardware tokens and who holds them; never
// their secrets.
func runHWTokenList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("hwtoken list", hwtokenListSynopsis, stderr)
	dbPath := dbFlag(fs)
	var keys keyFlags
	keys.register(fs)
	if err := parseFlags(fs, args); err != nil {
		if errors.Is(err, errHelp) {
			return nil
		}
		return err
	}
	store, _, err := keys.openExisting(ctx, "hwtoken list", *dbPath, os.Getenv)
	if err != nil {
		return err
	}
	defer store.Close()
	tokens, err := store.HardwareTokens(ctx)
	if err != nil {
		return fmt.Errorf("hwtoken list: %w", err)
	}
	if len(tokens) == 0 {
		fmt.Fprintln(stdout, "No hardware tokens are imported.")
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SERIAL\tTYPE\tDIGITS\tASSIGNED TO")
	for _, h := range tokens {
		holder := "-"
		if h.Assigned() {
			holder = h.Username
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", h.Serial, h.Type, h.Digits, holder)
	}
	return tw.Flush()
}

// runHWTokenUnassign takes a hardware token back from its holder, so that
// it can be claimed again.
func runHWTokenUnassign(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("hwtoken unassign", hwtokenUnassignSynopsis, stderr)
	dbPath := dbFlag(fs)
	var keys keyFlags
	keys.register(fs)
	serial := fs.String("serial", "", "the serial number of the token (required)")
	force := fs.Bool("force", false, "unassign it even when it is the holder's last active token")
	if err := parseFlags(fs, args); err != nil {
		if errors.Is(err, errHelp) {
			return nil
		}
		return err
	}
	switch {
	case *serial == "":
		return errors.New("hwtoken unassign: give the serial number with --serial SERIAL")
	}
	store, _, err := keys.openExisting(ctx, "hwtoken unassign", *dbPath, os.Getenv)
	if err != nil {
		return err
	}
	defer store.Close()
	was, err := server.UnassignHardwareToken(ctx, store, *serial, *force)
	switch {
	case errors.Is(err, server.ErrNotFound):
		return fmt.Errorf("hwtoken unassign: there is no hardware token %q", *serial)
	case errors.Is(err, server.ErrNotAssigned):
		return fmt.Errorf("hwtoken unassign: nobody holds %s; it can be claimed already", was.Serial)
	case errors.Is(err, api.ErrLastActiveToken):
		return fmt.Errorf("hwtoken unassign: %s is the last active token of %s; give --force to unassign it anyway (they then sign in only to enroll a new token)", was.Serial, was.Username)
	case err != nil:
		return fmt.Errorf("hwtoken unassign: %w", err)
	}
	fmt.Fprintf(stdout, "Unassigned %s from %s; its token is deleted and the serial can be claimed again.\n", was.Serial, was.Username)
	return nil
}
