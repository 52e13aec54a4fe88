package server

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// SQLStore is the Store kept in a SQL database: a SQLite file
// (OpenSQLite) or PostgreSQL (OpenPostgres), chosen by Open. Both engines
// run the same queries, written with ? placeholders in the SQL both
// understand; an engine holds the little that differs (sqlite.go,
// postgres.go), and each has its own migrations, in migrations/ENGINE.
type SQLStore struct {
	db     *sql.DB
	engine *engine
	tx     *sql.Tx // set on the Store that Atomically hands out: every call runs in it
	stmts  *stmtCache
	box    *SecretBox // seals and opens token seeds (sql_secrets.go); nil without the key
	log    *slog.Logger
}

var _ Store = (*SQLStore)(nil)

//go:embed migrations
var migrations embed.FS

// engine is what a database engine does its own way.
type engine struct {
	name       string // in messages: "SQLite", "PostgreSQL"
	migrations string // the directory of its migrations in the embedded FS
	numbered   bool   // placeholders are $1, $2, … rather than ?
	prepare    bool   // keep each query prepared (see stmtCache)
	txOptions  *sql.TxOptions
	// retry reports whether a transaction that failed with err is to run
	// again from its start (a conflict with a concurrent one).
	retry func(err error) bool
	// claimLock ends the SELECT that claims a row several workers may
	// want, such as an outbox message: each gets another row.
	claimLock string
	// migrateOn prepares the connection migrations run on; the function it
	// returns undoes that. check runs in each migration's transaction.
	migrateOn func(ctx context.Context, conn *sql.Conn) (func(), error)
	check     func(ctx context.Context, tx *sql.Tx) error
	// scrub makes the values just replaced unreadable in the files, when
	// the engine can (nil otherwise).
	scrub func(ctx context.Context, db *sql.DB) error
	// hadClearSeeds: databases of this engine may hold seeds stored in
	// the clear before sealing, listed in unsealed_secrets.
	hadClearSeeds bool
}

// Open opens the store that dsn names: a PostgreSQL database given as a
// postgres:// or postgresql:// URL, or else a SQLite file path.
func Open(ctx context.Context, dsn string, opts ...StoreOption) (*SQLStore, error) {
	if IsPostgresURL(dsn) {
		return OpenPostgres(ctx, dsn, opts...)
	}
	return OpenSQLite(ctx, dsn, opts...)
}

// IsPostgresURL reports whether dsn names a PostgreSQL database.
func IsPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// StoreOption is an option of Open, OpenSQLite and OpenPostgres.
type StoreOption func(*storeOptions)

type storeOptions struct {
	box *SecretBox
	log *slog.Logger
}

// WithSecretBox gives the store the server's keys, which seal and open
// the token seeds. Without it the store works, but reading or writing a
// seed fails with ErrNoSecretKey.
func WithSecretBox(box *SecretBox) StoreOption {
	return func(o *storeOptions) { o.box = box }
}

// WithLogger sets where the store warns (default slog.Default()).
func WithLogger(log *slog.Logger) StoreOption {
	return func(o *storeOptions) {
		if log != nil {
			o.log = log
		}
	}
}

func storeOptionsOf(opts []StoreOption) storeOptions {
	o := storeOptions{log: slog.Default()}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// newSQLStore finishes opening db: it applies the migrations and readies
// the token secrets, and closes db when that fails.
func newSQLStore(ctx context.Context, db *sql.DB, e *engine, o storeOptions) (*SQLStore, error) {
	s := &SQLStore{db: db, engine: e, stmts: &stmtCache{db: db}, box: o.box, log: o.log}
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

// Engine names the database engine: "SQLite" or "PostgreSQL".
func (s *SQLStore) Engine() string { return s.engine.name }

// Close closes the database.
func (s *SQLStore) Close() error {
	if s.tx != nil {
		return errors.New("close the database: called inside a transaction")
	}
	s.stmts.close()
	return s.db.Close()
}

// migrate applies, in order and each in its own transaction, the
// engine's embedded migrations (NNNN_name.sql) not yet listed in
// schema_migrations.
func (s *SQLStore) migrate(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("open the %s database: %w", s.engine.name, err)
	}
	defer conn.Close()
	undo, err := s.engine.migrateOn(ctx, conn)
	if err != nil {
		return fmt.Errorf("prepare the migrations: %w", err)
	}
	defer undo()
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at BIGINT NOT NULL
	)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	names, err := fs.Glob(migrations, s.engine.migrations+"/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := s.applyMigration(ctx, conn, name); err != nil {
			return fmt.Errorf("migration %s/%s: %w", path.Base(s.engine.migrations), path.Base(name), err)
		}
	}
	return nil
}

// applyMigration applies one migration file on conn unless it was
// applied before.
func (s *SQLStore) applyMigration(ctx context.Context, conn *sql.Conn, name string) error {
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
	if err := tx.QueryRowContext(ctx, s.engine.rebind(`SELECT count(*) FROM schema_migrations WHERE version = ?`), version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if err := s.engine.check(ctx, tx); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, s.engine.rebind(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`),
		version, toMillis(time.Now())); err != nil {
		return err
	}
	return tx.Commit()
}

// migrationVersion reads 12 from "migrations/sqlite/0012_add_x.sql".
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
// after fn returns. On an engine that may ask for it (PostgreSQL, when a
// concurrent transaction conflicts), fn runs again from the start, so it
// must do nothing but call the store until it returns.
func (s *SQLStore) Atomically(ctx context.Context, fn func(tx Store) error) error {
	return s.transact(ctx, func(tx *sql.Tx) error {
		return fn(s.within(tx))
	})
}

// within is the store whose calls run in tx.
func (s *SQLStore) within(tx *sql.Tx) *SQLStore {
	if s.tx == tx {
		return s
	}
	inner := *s
	inner.tx = tx
	return &inner
}

// inTx runs fn in a transaction, committing when it returns nil. Inside
// Atomically it runs fn in that transaction, which commits or rolls back
// as a whole.
func (s *SQLStore) inTx(ctx context.Context, fn func(tx dbtx) error) error {
	return s.transact(ctx, func(tx *sql.Tx) error {
		return fn(s.within(tx).conn())
	})
}

// maxTxAttempts bounds how often a transaction runs when concurrent ones
// keep conflicting with it.
const maxTxAttempts = 10

// transact runs fn in a new transaction of the engine's isolation, or in
// the one the store is in. A transaction the engine aborted because of a
// concurrent one runs again, after a short random pause.
func (s *SQLStore) transact(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.tx != nil {
		return fn(s.tx)
	}
	for attempt := 1; ; attempt++ {
		err := s.transactOnce(ctx, fn)
		if err == nil || attempt == maxTxAttempts || !s.engine.retry(err) {
			return err
		}
		pause := time.Duration(rand.Int64N(int64(attempt) * int64(2*time.Millisecond)))
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
	}
}

func (s *SQLStore) transactOnce(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, s.engine.txOptions)
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
