package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"

	"selfservice/server"
)

// dbFlag registers --db, the database every command works on.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", "", "the database: a SQLite `file`, or a PostgreSQL URL postgres://USER@HOST/DATABASE (required)")
}

// openExisting opens the database (--db, required) of an admin command
// that works on an existing server: a SQLite file that does not exist is almost always a typo,
// and opening it would quietly create an empty database instead. Only
// `serve` and `user add` create the database.
func openExisting(ctx context.Context, command, path string, opts ...server.StoreOption) (*server.SQLStore, error) {
	if path == "" {
		return nil, fmt.Errorf("%s: give the database with --db FILE (or --db postgres://…)", command)
	}
	if server.IsPostgresURL(path) {
		// A PostgreSQL database exists once its administrator made it.
	} else if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: there is no database at %s; check the --db path (serve and user add create one)", command, path)
	} else if err != nil {
		return nil, fmt.Errorf("%s: %w", command, err)
	}
	store, err := server.Open(ctx, path, opts...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", command, err)
	}
	return store, nil
}
