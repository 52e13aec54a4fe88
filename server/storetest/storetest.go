// Package storetest picks the database engine the tests of the server and
// its clients run on, and gives each test a database of its own.
//
// By default tests use a SQLite file. With SELFSERVICE_TEST_STORE=postgres
// they use PostgreSQL at SELFSERVICE_TEST_POSTGRES (a postgres:// URL,
// which scripts/with-test-services.sh sets for a throwaway server): each
// database path a test names becomes a schema of its own there, dropped
// when the test ends, so tests stay independent and can run in parallel.
package storetest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// The environment variables that choose the engine and the server.
const (
	EnvStore    = "SELFSERVICE_TEST_STORE"    // "postgres", or empty for SQLite
	EnvPostgres = "SELFSERVICE_TEST_POSTGRES" // the URL of the PostgreSQL server
)

// Postgres reports whether the tests run on PostgreSQL.
func Postgres() bool {
	return os.Getenv(EnvStore) == "postgres"
}

// DSN is what the store of a test that would keep its database at path
// opens: path itself on SQLite; on PostgreSQL, the URL of a schema of its
// own for that path, made the first time and dropped at the end of t.
// The same path in the same test names the same database, so that a test
// can close its store and open it again.
func DSN(t testing.TB, path string) string {
	t.Helper()
	if !Postgres() {
		return path
	}
	return Schema(t, path)
}

var (
	schemasMu sync.Mutex
	schemas   = map[string]string{} // path → URL
)

// Schema is the URL of a PostgreSQL schema for path, made the first time
// and dropped at the end of t. The test fails when no server is set.
func Schema(t testing.TB, path string) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		t.Fatalf("%s is not set: run the tests with scripts/with-test-services.sh, which starts a PostgreSQL server", EnvPostgres)
	}
	schemasMu.Lock()
	defer schemasMu.Unlock()
	if u, ok := schemas[path]; ok {
		return u
	}
	sum := sha256.Sum256([]byte(path))
	name := "t_" + hex.EncodeToString(sum[:12])
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE SCHEMA ` + name); err != nil {
		t.Fatalf("create schema %s: %v", name, err)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	schemas[path] = u.String()
	t.Cleanup(func() {
		schemasMu.Lock()
		delete(schemas, path)
		schemasMu.Unlock()
		db, err := sql.Open("pgx", base)
		if err != nil {
			t.Error(err)
			return
		}
		defer db.Close()
		if _, err := db.ExecContext(context.Background(), `DROP SCHEMA `+name+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", name, err)
		}
	})
	return u.String()
}
