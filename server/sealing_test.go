package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"selfservice/api"
	"selfservice/server/storetest"
)

// rawColumn reads one value straight from the database, past the
// store's methods, as someone who copied the database would.
func (e *env) rawColumn(query string, args ...any) []byte {
	e.t.Helper()
	var v []byte
	if err := e.queryRow(query, args...).Scan(&v); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
	return v
}

func TestSeedsAreSealedInTheDatabase(t *testing.T) {
	e := newEnv(t)
	u, tok, _ := e.userWithToken("alice", RoleEmployee)
	if err := e.store.AddHardwareToken(context.Background(), HardwareTokenRecord{Serial: "HW1", Type: "totp",
		Secret: []byte("hardware seed 20 byt"), Algorithm: "SHA1", Digits: 6, Period: 30, ImportedAt: e.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, query, key string
		seed             []byte
	}{
		{"token", `SELECT secret FROM tokens WHERE id = ?`, tok.ID, tok.Secret},
		{"hardware token", `SELECT secret FROM hardware_tokens WHERE serial = ?`, "HW1", []byte("hardware seed 20 byt")},
	} {
		stored := e.rawColumn(c.query, c.key)
		if len(stored) == 0 || stored[0] != sealVersion || bytes.Contains(stored, c.seed) {
			t.Errorf("%s: stored seed %x; want it sealed (version %d), without the seed %x", c.name, stored, sealVersion, c.seed)
		}
	}
	// The store hands the seed back in the clear, and a sign-in with it works.
	if got := e.token(u.ID, tok.ID); !bytes.Equal(got.Secret, tok.Secret) {
		t.Errorf("seed read back %x, want %x", got.Secret, tok.Secret)
	}
	e.signIn("alice", tok)
	if h, err := e.store.HardwareToken(context.Background(), "HW1"); err != nil || string(h.Secret) != "hardware seed 20 byt" {
		t.Errorf("hardware token read back %q, %v", h.Secret, err)
	}
}

func TestSealedSeedOpensOnlyForItsOwnRow(t *testing.T) {
	e := newEnv(t)
	u := e.addUser("alice", RoleEmployee)
	a := e.addToken(u.ID, templateTOTP, api.StatusActive)
	b := e.addToken(u.ID, templateTOTP, api.StatusActive)
	// Someone with write access to the file copies a's sealed seed onto b.
	if _, err := e.exec(`UPDATE tokens SET secret = (SELECT secret FROM tokens WHERE id = ?) WHERE id = ?`, a.ID, b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Token(context.Background(), u.ID, b.ID); err == nil || !strings.Contains(err.Error(), "does not open") {
		t.Errorf("reading a seed moved from another row: %v; want an error that it does not open", err)
	}
	if got := e.token(u.ID, a.ID); !bytes.Equal(got.Secret, a.Secret) {
		t.Errorf("the original row no longer opens")
	}
}

func TestStoreNeedsItsKey(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "selfservice.db")
	e := newEnvAt(t, path, Config{})
	u := e.addUser("alice", RoleEmployee)
	e.addToken(u.ID, templateTOTP, api.StatusActive)
	e.store.Close()

	other := mustSecretBox(NewSecretKey())
	_, err := Open(ctx, storetest.DSN(t, path), WithSecretBox(other))
	if err == nil || !strings.Contains(err.Error(), testSecrets.CurrentKeyID()) {
		t.Errorf("opening with another key: %v; want an error naming the key the seeds need (%s)", err, testSecrets.CurrentKeyID())
	}

	keyless, err := Open(ctx, storetest.DSN(t, path))
	if err != nil {
		t.Fatalf("opening without a key: %v", err)
	}
	defer keyless.Close()
	if _, err := keyless.Tokens(ctx, u.ID); err != ErrNoSecretKey {
		t.Errorf("reading seeds without a key: %v; want ErrNoSecretKey", err)
	}
}

func TestKeyRotation(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "selfservice.db")
	oldKey, newKey := NewSecretKey(), NewSecretKey()
	e := newEnvAt(t, path, Config{Secrets: mustSecretBox(oldKey)})
	u := e.addUser("alice", RoleEmployee)
	tok := e.addToken(u.ID, templateTOTP, api.StatusActive)
	e.store.Close()

	// The server restarts with the new key and the old one as previous:
	// it reads the old seeds and seals new ones with the new key.
	rotating := openStoreWith(t, path, mustSecretBox(newKey, oldKey))
	if got, err := rotating.Token(ctx, u.ID, tok.ID); err != nil || !bytes.Equal(got.Secret, tok.Secret) {
		t.Fatalf("reading an old seed during the rotation: %v", err)
	}
	n, err := rotating.ResealSecrets(ctx)
	if err != nil || n != 1 {
		t.Fatalf("ResealSecrets = %d, %v; want 1 seed resealed", n, err)
	}
	if n, err := rotating.ResealSecrets(ctx); err != nil || n != 0 {
		t.Errorf("ResealSecrets again = %d, %v; want nothing left to reseal", n, err)
	}
	rotating.Close()

	// Afterwards the old key is no longer needed, and no longer enough.
	done := openStoreWith(t, path, mustSecretBox(newKey))
	if got, err := done.Token(ctx, u.ID, tok.ID); err != nil || !bytes.Equal(got.Secret, tok.Secret) {
		t.Errorf("reading the resealed seed with the new key alone: %v", err)
	}
	done.Close()
	if s, err := Open(ctx, storetest.DSN(t, path), WithSecretBox(mustSecretBox(oldKey))); err == nil {
		s.Close()
		t.Error("the retired key still opens the database")
	}
}

// TestMigrationSealsSeedsStoredInTheClear builds a database as the
// server before sealing left it, with a seed in the clear, and opens it
// with a key: the seed is sealed, still works, and is gone from the file.
func TestMigrationSealsSeedsStoredInTheClear(t *testing.T) {
	sqliteOnly(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	exec, done := oldDatabase(t, path, 11)
	seed := []byte("plain seed of twenty")
	exec(`INSERT INTO users (id, username, display_name, role, password_hash, created_at) VALUES ('u1', 'alice', 'Alice', 'employee', 'x', 1)`)
	exec(`INSERT INTO tokens (id, user_id, template_id, type, label, description, status, secret, algorithm, digits, period, created_at)
		VALUES ('t1', 'u1', 'totp-app', 'totp', 'TOTP-1', '', 'ACTIVE', ?, 'SHA1', 6, 30, 1)`, seed)
	exec(`INSERT INTO hardware_tokens (serial, type, secret, algorithm, digits, period, imported_at)
		VALUES ('HW1', 'totp', ?, 'SHA1', 6, 30, 1)`, seed)
	exec(`INSERT INTO sent_codes (token_id, purpose, scope_key, code_hash, sent_at, expires_at) VALUES ('t1', 'login', 'k', ?, 1, 9999999999999)`,
		hex.EncodeToString(sha256.New().Sum([]byte("123456"))))
	done()

	s := openStore(t, path)
	if got, err := s.Token(ctx, "u1", "t1"); err != nil || !bytes.Equal(got.Secret, seed) {
		t.Fatalf("the migrated token's seed = %q, %v; want %q", got.Secret, err, seed)
	}
	if h, err := s.HardwareToken(ctx, "HW1"); err != nil || !bytes.Equal(h.Secret, seed) {
		t.Fatalf("the migrated hardware token's seed = %q, %v", h.Secret, err)
	}
	s.Close()
	for _, name := range []string{path, path + "-wal"} {
		file, err := os.ReadFile(name)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(file, seed) {
			t.Errorf("%s still holds the seed in the clear", filepath.Base(name))
		}
	}
	s = openStore(t, path)
	var n int
	if err := s.conn().QueryRowContext(ctx, `SELECT count(*) FROM sent_codes`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d codes hashed the old way are kept (%v); want them dropped", n, err)
	}
}

func TestDatabaseFilesArePrivate(t *testing.T) {
	sqliteOnly(t)
	dir := t.TempDir()
	fresh := filepath.Join(dir, "fresh.db")
	loose := filepath.Join(dir, "loose.db")
	if err := os.WriteFile(loose, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{fresh, loose} {
		e := newEnvAt(t, path, Config{})
		e.userWithToken("alice", RoleEmployee) // writes, so that the -wal and -shm files exist
		for _, name := range []string{path, path + "-wal", path + "-shm"} {
			info, err := os.Stat(name)
			if err != nil {
				t.Fatal(err)
			}
			if mode := info.Mode().Perm(); mode != 0o600 {
				t.Errorf("%s has mode %04o, want 0600", filepath.Base(name), mode)
			}
		}
	}
}

func TestSentCodesAreStoredAsAKeyedMAC(t *testing.T) {
	e := newCodeEnv(t)
	u := e.addUser("dana", RoleEmployee)
	tok := e.addCodeToken(u.ID, smsTemplate, "+4915112345678", api.StatusActive)
	l := e.login("dana")
	e.challenge("/auth/login/"+l.LoginID+"/challenge", "", api.LoginChallengeRequest{TokenID: tok.ID})
	code := e.sentCode("+4915112345678")

	stored := string(e.rawColumn(`SELECT code_hash FROM sent_codes WHERE token_id = ?`, tok.ID))
	id, mac, _ := strings.Cut(stored, ":")
	if id != testSecrets.CurrentKeyID() || len(mac) != 64 {
		t.Fatalf("stored code = %q; want the key id %s and a hex HMAC-SHA256", stored, testSecrets.CurrentKeyID())
	}
	var sess api.SessionResponse
	e.ok(e.call("POST", "/auth/login/"+l.LoginID+"/verify", "", api.VerifyLoginRequest{TokenID: tok.ID, OTP: code}), 200, &sess)
}
