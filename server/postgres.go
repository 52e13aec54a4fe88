package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// postgresConnections bounds each server's connections to PostgreSQL;
// several servers share one database, so keep their sum below its
// max_connections.
const postgresConnections = 32

// postgresEngine: transactions are SERIALIZABLE, so that a rule read and
// enforced inside one holds as it does on SQLite, where writers take
// turns; one that PostgreSQL aborts because a concurrent one conflicts
// with it runs again (SQLStore.transact). Several servers then work on
// one database: what one server wrote, any other reads, and the
// outbox's workers each claim another message (SKIP LOCKED).
var postgresEngine = &engine{
	name:       "PostgreSQL",
	migrations: "migrations/postgres",
	numbered:   true,
	// pgx prepares and caches each query on each connection itself.
	prepare:   false,
	txOptions: &sql.TxOptions{Isolation: sql.LevelSerializable},
	retry:     postgresConflict,
	claimLock: " FOR UPDATE SKIP LOCKED",
	migrateOn: postgresMigrateOn,
	check:     func(context.Context, *sql.Tx) error { return nil }, // PostgreSQL checks foreign keys itself
}

// OpenPostgres opens the PostgreSQL database at url (postgres://user@host/db?…,
// with the password in the URL, PGPASSWORD or ~/.pgpass) and applies the
// migrations it has not seen yet. Several servers may open the same
// database at once: one applies the migrations while the others wait.
func OpenPostgres(ctx context.Context, url string, opts ...StoreOption) (*SQLStore, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		// pgx's message quotes no part of the URL, which may hold a password.
		return nil, fmt.Errorf("the PostgreSQL URL is not usable (write it as postgres://USER@HOST:PORT/DATABASE): %w", err)
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open the PostgreSQL database: %w", err)
	}
	db.SetMaxOpenConns(postgresConnections)
	db.SetMaxIdleConns(postgresConnections)
	db.SetConnMaxIdleTime(5 * time.Minute)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot reach the PostgreSQL database %s on %s: %w; check the URL, that the server runs and that it lets this user in",
			cfg.Database, cfg.Host, err)
	}
	return newSQLStore(ctx, db, postgresEngine, storeOptionsOf(opts))
}

// postgresConflict reports whether err is PostgreSQL aborting a
// transaction because of a concurrent one, after which it is to run again.
func postgresConflict(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "40001", // serialization_failure
			"40P01", // deadlock_detected
			"25P02": // in_failed_sql_transaction: an earlier statement of it failed so
			return true
		}
	}
	return errors.Is(err, pgx.ErrTxCommitRollback)
}

// migrationLock is the advisory lock a server holds while it migrates the
// database, so that servers starting together apply each migration once.
const migrationLock = 0x5e1f5e41

func postgresMigrateOn(ctx context.Context, conn *sql.Conn) (func(), error) {
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return nil, err
	}
	return func() {
		conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock) //nolint:errcheck // the lock ends with the connection anyway
	}, nil
}
