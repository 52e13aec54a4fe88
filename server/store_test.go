package server

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"selfservice/api"
	"selfservice/server/storetest"
)

func TestMigrationsAreIdempotent(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "selfservice.db")
	first, err := Open(ctx, storetest.DSN(t, path))
	if err != nil {
		t.Fatal(err)
	}
	u, err := AddUser(ctx, first, "alice", "", RoleEmployee, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	first.Close()

	for range 2 {
		s := openStore(t, path)
		var versions int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&versions); err != nil {
			t.Fatal(err)
		}
		files, _ := migrations.ReadDir(s.engine.migrations)
		if versions != len(files) {
			t.Errorf("schema_migrations has %d rows, want one per migration file (%d)", versions, len(files))
		}
		templates, err := s.Templates(ctx)
		if err != nil || len(templates) != 8 {
			t.Errorf("templates after reopening = %d (%v), want the 8 defaults once", len(templates), err)
		}
		if got, err := s.UserByID(ctx, u.ID); err != nil || got.Username != "alice" {
			t.Errorf("user after reopening = %+v, %v; want alice kept", got, err)
		}
		s.Close()
	}
}

func TestSQLiteSettings(t *testing.T) {
	sqliteOnly(t)
	s := openStore(t, filepath.Join(t.TempDir(), "selfservice.db"))
	ctx := context.Background()
	tests := []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"foreign_keys", "1"},
		{"busy_timeout", "10000"},
	}
	for _, tt := range tests {
		var got string
		if err := s.db.QueryRowContext(ctx, "PRAGMA "+tt.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("PRAGMA %s = %s, want %s", tt.pragma, got, tt.want)
		}
	}
	// Foreign keys are enforced: a token needs its user.
	_, err := s.db.ExecContext(ctx, `INSERT INTO tokens (id, user_id, template_id, type, label, description, status,
		secret, algorithm, digits, period, created_at) VALUES ('t', 'nobody', 'totp-app', 'totp', 'x', '', 'ACTIVE', x'00', 'SHA1', 6, 30, 1)`)
	if err == nil {
		t.Error("a token of an unknown user was stored")
	}
}

func TestMigrationVersion(t *testing.T) {
	tests := []struct {
		name    string
		want    int
		wantErr bool
	}{
		{"migrations/0001_init.sql", 1, false},
		{"migrations/0012_add_documents.sql", 12, false},
		{"migrations/init.sql", 0, true},
		{"migrations/0000_zero.sql", 0, true},
		{"migrations/x1_bad.sql", 0, true},
	}
	for _, tt := range tests {
		got, err := migrationVersion(tt.name)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("migrationVersion(%s) = %d, %v; want %d, error %v", tt.name, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestOpenSQLiteRefusesUnusablePath(t *testing.T) {
	for _, path := range []string{"", "db?mode=memory", filepath.Join(t.TempDir(), "missing-dir", "x.db")} {
		if s, err := OpenSQLite(context.Background(), path); err == nil {
			s.Close()
			t.Errorf("OpenSQLite(%q) succeeded, want an error", path)
		}
	}
}

// TestMigrationKeepsTokensOfEarlierVersions opens a database made by the
// first migration only, with a user and a token, and checks that the
// FIDO2 migration rebuilds the tables without losing them.
func TestMigrationKeepsTokensOfEarlierVersions(t *testing.T) {
	sqliteOnly(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "selfservice.db")
	db, err := sql.Open("sqlite", path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	first, err := migrations.ReadFile("migrations/sqlite/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`,
		string(first),
		`INSERT INTO schema_migrations VALUES (1, 0)`,
		`INSERT INTO users VALUES ('u1', 'alice', 'Alice', 'employee', 'hash', 1)`,
		`INSERT INTO tokens (id, user_id, template_id, type, label, description, status, secret, algorithm, digits, period, counter, created_at)
			VALUES ('t1', 'u1', 'hotp-app', 'hotp', 'HOTP-1', 'old phone', 'ACTIVE', x'0102', 'SHA1', 6, 0, 7, 2)`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%.40s: %v", stmt, err)
		}
	}
	db.Close()

	s := openStore(t, path)
	tok, err := s.Token(ctx, "u1", "t1")
	if err != nil {
		t.Fatalf("token after the migration: %v", err)
	}
	if tok.Label != "HOTP-1" || tok.Description != "old phone" || tok.Counter != 7 || tok.Status != api.StatusActive ||
		string(tok.Secret) != "\x01\x02" || tok.UserCanDelete || tok.Credential != nil {
		t.Errorf("token after the migration = %+v, want it unchanged", tok)
	}
	var violations int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM pragma_foreign_key_check`).Scan(&violations); err != nil || violations != 0 {
		t.Errorf("foreign key violations after the migration: %d (%v)", violations, err)
	}
	// The rebuilt tables keep their foreign keys.
	if _, err := s.db.ExecContext(ctx, `INSERT INTO tokens (id, user_id, template_id, type, label, description, status, secret, algorithm, digits, period, created_at)
		VALUES ('t2', 'nobody', 'hotp-app', 'hotp', 'x', '', 'ACTIVE', x'', 'SHA1', 6, 0, 1)`); err == nil {
		t.Error("a token of an unknown user was stored")
	}
}

// Each statement of the purge finds its rows through an index, so that a
// purge costs what it deletes, not the size of the table.
func TestSQLitePurgesUseIndexes(t *testing.T) {
	sqliteOnly(t)
	store := openStore(t, filepath.Join(t.TempDir(), "selfservice.db"))
	for _, p := range purges {
		rows, err := store.db.QueryContext(context.Background(), `EXPLAIN QUERY PLAN `+p.query, p.cutoff(testStart)...)
		if err != nil {
			t.Fatalf("%s: %v", p.query, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if joined := strings.Join(plan, "; "); !strings.HasPrefix(joined, "SEARCH ") || !strings.Contains(joined, " INDEX ") {
			t.Errorf("%s reads the whole table: plan %q", p.query, plan)
		}
	}
}
