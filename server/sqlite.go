package server

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// sqliteConnections bounds the connections to the database file: enough
// for reads to use every core while a write transaction holds one.
const sqliteConnections = 16

// SQLiteStore is the Store kept in one SQLite file.
type SQLiteStore struct {
	db    *sql.DB
	tx    *sql.Tx // set on the Store that Atomically hands out: every call runs in it
	stmts *stmtCache
	box   *SecretBox // seals and opens token seeds (sqlite_secrets.go); nil without the key
}

// dbtx is what *sql.DB and *sql.Tx both offer.
type dbtx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// conn is where a call runs: the transaction of Atomically, or the database.
func (s *SQLiteStore) conn() dbtx {
	return cachedConn{cache: s.stmts, tx: s.tx}
}

var _ Store = (*SQLiteStore)(nil)

// OpenSQLite opens (creating) the database file at path, in WAL mode with
// foreign keys on and a busy timeout, and applies the migrations it has
// not seen yet. The database files are private to this user (mode 0600).
// With WithSecretBox, it also seals the seeds stored in the clear before
// and checks that it has the keys of the sealed ones.
func OpenSQLite(ctx context.Context, path string, opts ...SQLiteOption) (*SQLiteStore, error) {
	if path == "" || strings.Contains(path, "?") {
		return nil, fmt.Errorf("database path %q is not usable", path)
	}
	o := sqliteOptionsOf(opts)
	if err := makeDatabasePrivate(path, o.log); err != nil {
		return nil, err
	}
	// Write transactions start with BEGIN IMMEDIATE, so that a rule read
	// and enforced inside one (such as "keep one ACTIVE token") cannot race
	// another writer.
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
	s := &SQLiteStore{db: db, stmts: &stmtCache{db: db}, box: o.box}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.prepareSecrets(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *SQLiteStore) Close() error {
	if s.tx != nil {
		return errors.New("close the database: called inside a transaction")
	}
	s.stmts.close()
	return s.db.Close()
}

// migrate applies, in order and each in its own transaction, the embedded
// migrations/NNNN_name.sql files not yet listed in schema_migrations.
// They run on one connection with foreign keys off, so that a migration
// may rebuild a table others refer to (drop it and rename a copy, as
// SQLite's documentation describes) without cascading deletes; each is
// checked with foreign_key_check before it commits.
func (s *SQLiteStore) migrate(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at INTEGER NOT NULL
	)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA foreign_keys = ON`) //nolint:errcheck // the pool's next connection has it on anyway
	for _, name := range names {
		if err := applyMigration(ctx, conn, name); err != nil {
			return fmt.Errorf("migration %s: %w", path.Base(name), err)
		}
	}
	return nil
}

// applyMigration applies one migration file on conn unless it was
// applied before.
func applyMigration(ctx context.Context, conn *sql.Conn, name string) error {
	version, err := migrationVersion(name)
	if err != nil {
		return err
	}
	body, err := migrations.ReadFile(name)
	if err != nil {
		return err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it does nothing
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if err := foreignKeyCheck(ctx, tx); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
		version, toMillis(time.Now())); err != nil {
		return err
	}
	return tx.Commit()
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

// migrationVersion reads 12 from "migrations/0012_add_x.sql".
func migrationVersion(name string) (int, error) {
	base := path.Base(name)
	digits, _, ok := strings.Cut(base, "_")
	v, err := strconv.Atoi(digits)
	if !ok || err != nil || v <= 0 {
		return 0, fmt.Errorf("migration file %s: the name must start with a version number, like 0001_", base)
	}
	return v, nil
}

// Atomically implements Store. The Store it hands to fn must not be used
// after fn returns.
func (s *SQLiteStore) Atomically(ctx context.Context, fn func(tx Store) error) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		return fn(s.within(tx))
	})
}

// within is the store whose calls run in tx.
func (s *SQLiteStore) within(tx *sql.Tx) *SQLiteStore {
	if s.tx == tx {
		return s
	}
	return &SQLiteStore{db: s.db, tx: tx, stmts: s.stmts, box: s.box}
}

// inTx runs fn in a transaction, committing when it returns nil. Inside
// Atomically it runs fn in that transaction, which commits or rolls back
// as a whole.
func (s *SQLiteStore) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.tx != nil {
		return fn(s.tx)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Times are stored as Unix milliseconds, 0 meaning "none".

func toMillis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// notFound turns sql.ErrNoRows into ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}
