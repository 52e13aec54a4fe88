package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"selfservice/server"
)

const userSetFieldSynopsis = "selfservice-server user set-field --db FILE --config FILE --username NAME --field ID --value TEXT"

// runUserSetField sets a field of a user's profile, such as one the user
// may not change (job title, department).
func runUserSetField(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlagSet("user set-field", userSetFieldSynopsis, stderr)
	dbPath := dbFlag(fs)
	tenantFile := fs.String("config", "", "the organisation's configuration `file` that serve reads, which defines the profile fields (required)")
	username := fs.String("username", "", "the `name` of the user (required)")
	field := fs.String("field", "", "the `id` of the profile field, as in the configuration (required)")
	value := fs.String("value", "", "the new `text`; an empty one empties the field")
	if err := parseFlags(fs, args); err != nil {
		if errors.Is(err, errHelp) {
			return nil
		}
		return err
	}
	switch {
	case *tenantFile == "":
		return errors.New("user set-field: give the organisation's configuration with --config FILE: it defines the profile fields")
	case *username == "":
		return errors.New("user set-field: give the user's name with --username NAME")
	case *field == "":
		return errors.New("user set-field: give the field's id with --field ID")
	}
	tenant, err := server.LoadTenant(*tenantFile)
	if err != nil {
		return fmt.Errorf("user set-field: %w", err)
	}
	store, err := openExisting(ctx, "user set-field", *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := server.SetProfileField(ctx, store, tenant, *username, *field, *value); err != nil {
		return fmt.Errorf("user set-field: %w", err)
	}
	if *value == "" {
		fmt.Fprintf(stderr, "Emptied %s of %s.\n", *field, *username)
	} else {
		fmt.Fprintf(stderr, "Set %s of %s.\n", *field, *username)
	}
	return nil
}
