package server

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// sqliteConnections bounds the connections to the database file: enough
// for reads to use every core while a write transaction holds one.
const sqliteConnections = 16

// sqliteEngine: write transactions start with BEGIN IMMEDIATE (see the
// DSN of OpenSQLite), so they take turns, and a rule read and enforced
// inside one (such as "keep one ACTIVE token") cannot race another
// writer: none ever has to run again.
var sqliteEngine = &engine{
	name:          "SQLite",
	migrations:    "migrations/sqlite",
	prepare:       true,
	retry:         func(error) bool { return false },
	migrateOn:     sqliteMigrateOn,
	check:         foreignKeyCheck,
	scrub:         sqliteScrub,
	hadClearSeeds: true,
}

// OpenSQLite opens (creating) the database file at path, in WAL mode with
// foreign keys on and a busy timeout, and applies the migrations it has
// not seen yet. The database files are private to this user (mode 0600).
// With WithSecretBox, it also seals the seeds stored in the clear before
// and checks that it has the keys of the sealed ones.
func OpenSQLite(ctx context.Context, path string, opts ...StoreOption) (*SQLStore, error) {
	if path == "" || strings.Contains(path, "?") {
		return nil, fmt.Errorf("database path %q is not usable", path)
	}
	o := storeOptionsOf(opts)
	if err := makeDatabasePrivate(path, o.log); err != nil {
		return nil, err
	}
	dsn := path + "?_txlock=immediate" +
		"&_pragma=busy_timeout(10000)" +
		"&_pragma=foreign_keys(1)" +
		"&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(NORMAL)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	// Connections are kept open: opening one applies the pragmas and reads
	// the schema, which would otherwise cost more than the queries. Reads
	// run in parallel up to this bound; writes take turns in any case.
	db.SetMaxOpenConns(sqliteConnections)
	db.SetMaxIdleConns(sqliteConnections)
	return newSQLStore(ctx, db, sqliteEngine, o)
}

// makeDatabasePrivate creates the database file with mode 0600 when it is
// missing and takes other users' access away from it and its -wal and
// -shm files, which SQLite creates with the database file's mode.
func makeDatabasePrivate(path string, log *slog.Logger) error {
	for i, name := range []string{path, path + "-wal", path + "-shm"} {
		if err := makePrivate(name, i == 0, log); err != nil {
			return fmt.Errorf("database file: %w", err)
		}
	}
	return nil
}

// sqliteMigrateOn turns foreign keys off on the connection migrations run
// on, so that a migration may rebuild a table others refer to (drop it
// and rename a copy, as SQLite's documentation describes) without
// cascading deletes; foreignKeyCheck checks each before it commits.
func sqliteMigrateOn(ctx context.Context, conn *sql.Conn) (func(), error) {
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return nil, err
	}
	return func() {
		conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA foreign_keys = ON`) //nolint:errcheck // the pool's next connection has it on anyway
	}, nil
}

// foreignKeyCheck fails when a row refers to a row that does not exist.
func foreignKeyCheck(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return err
		}
		return fmt.Errorf("a row of %s refers to a missing row of %s", table, parent)
	}
	return rows.Err()
}

// sqliteScrub rewrites the database file and empties its write-ahead log,
// so that the values just replaced (seeds in the clear, or sealed under a
// retired key) do not linger in free pages.
func sqliteScrub(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `VACUUM`); err != nil {
		return fmt.Errorf("vacuum the database: %w", err)
	}
	if _, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return fmt.Errorf("checkpoint the database: %w", err)
	}
	return nil
}
