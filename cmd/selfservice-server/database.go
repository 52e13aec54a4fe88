package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"selfservice/server"
)

// openExisting opens the database (--db, required) of an admin command
// that works on an existing server: a path that does not exist is almost always a typo,
// and opening it would quietly create an empty database instead. Only
// `serve` and `user add` create the database.
func openExisting(ctx context.Context, command, path string, opts ...server.SQLiteOption) (*server.SQLiteStore, error) {
	if path == "" {
		return nil, fmt.Errorf("%s: give the database file with --db FILE", command)
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: there is no database at %s; check the --db path (serve and user add create one)", command, path)
	} else if err != nil {
		return nil, fmt.Errorf("%s: %w", command, err)
	}
	store, err := server.OpenSQLite(ctx, path, opts...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", command, err)
	}
	return store, nil
}
