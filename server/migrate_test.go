package server

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"sort"
	"testing"
)

// TestRebuildingMigrationsKeepRowsThatReferToTokens applies the
// migrations up to 0005 by hand, stores a FIDO2 token with its credential
// and a claimed hardware token, and then lets OpenSQLite apply the rest:
// migration 0006 rebuilds the tokens table, which must neither cascade
// deletes into the rows that refer to tokens nor leave them dangling.
func TestRebuildingMigrationsKeepRowsThatReferToTokens(t *testing.T) {
	sqliteOnly(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	exec, done := oldDatabase(t, path, 5)
	exec(`INSERT INTO users (id, username, display_name, role, password_hash, created_at) VALUES ('u1', 'alice', 'Alice', 'employee', 'x', 1)`)
	exec(`INSERT INTO tokens (id, user_id, template_id, type, label, description, status, secret, algorithm, digits, period, created_at)
		VALUES ('key', 'u1', 'fido2-key', 'fido2', 'FIDO2-1', '', 'ACTIVE', x'', '', 0, 0, 1),
		       ('hw', 'u1', 'hardware-token', 'hotp', 'HOTP-1', '', 'ACTIVE', x'0102', 'SHA1', 6, 0, 1)`)
	exec(`INSERT INTO webauthn_credentials (token_id, credential_id, public_key, sign_count, aaguid, attestation_format,
		transports, user_present, user_verified, backup_eligible, backup_state)
		VALUES ('key', x'01', x'02', 7, x'00', 'none', 'usb', 1, 0, 0, 0)`)
	exec(`INSERT INTO hardware_tokens (serial, type, secret, algorithm, digits, period, token_id, imported_at)
		VALUES ('HW1', 'hotp', x'0102', 'SHA1', 6, 0, 'hw', 1)`)
	done()

	s := openStore(t, path) // applies 0006 and later
	var creds, claimed int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM webauthn_credentials WHERE token_id = 'key' AND sign_count = 7`).Scan(&creds); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM hardware_tokens WHERE token_id = 'hw'`).Scan(&claimed); err != nil {
		t.Fatal(err)
	}
	if creds != 1 || claimed != 1 {
		t.Fatalf("after the migrations: %d credentials, %d claimed hardware tokens; want 1 and 1", creds, claimed)
	}
	tok, err := s.Token(ctx, "u1", "key")
	if err != nil || tok.Credential == nil || tok.Credential.SignCount != 7 {
		t.Fatalf("the key token after the migrations = %+v, %v; want it with its credential", tok, err)
	}

	// The foreign keys still hold on the rebuilt table: deleting the user
	// cascades to its tokens and their credentials, and frees the device.
	if _, err := s.db.ExecContext(ctx, `DELETE FROM users WHERE id = 'u1'`); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM webauthn_credentials`).Scan(&creds); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM hardware_tokens WHERE token_id IS NOT NULL`).Scan(&claimed); err != nil {
		t.Fatal(err)
	}
	if creds != 0 || claimed != 0 {
		t.Errorf("after deleting the user: %d credentials, %d claimed devices; want 0 and 0 (foreign keys lost?)", creds, claimed)
	}
}

// oldDatabase makes the database at path as the server of migration
// version left it, and returns how to run SQL on it and how to close it.
func oldDatabase(t *testing.T, path string, version int) (exec func(query string, args ...any), done func()) {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("sqlite", path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	exec = func(query string, args ...any) {
		t.Helper()
		if _, err := conn.ExecContext(ctx, query, args...); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
	exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`)
	exec(`PRAGMA foreign_keys = OFF`) // as migrate does while it applies them
	names, err := fs.Glob(migrations, sqliteEngine.migrations+"/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	for _, name := range names {
		if v, _ := migrationVersion(name); v <= version {
			if err := (&SQLStore{engine: sqliteEngine}).applyMigration(ctx, conn, name); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
	}
	exec(`PRAGMA foreign_keys = ON`)
	return exec, func() {
		conn.Close()
		db.Close()
	}
}
