package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"selfservice/server"
)

// keyCLI runs the command with no key in the environment, as a server
// configured only by its options would.
func keyCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
	return stdout.String() + stderr.String(), err
}

func TestServeNeedsTheSecretKey(t *testing.T) {
	t.Setenv(envSecretKey, "")
	db := filepath.Join(t.TempDir(), "selfservice.db")
	_, err := keyCLI(t, "serve", "--db", db, "--listen", "127.0.0.1:0")
	if err == nil || !strings.Contains(err.Error(), "no server secret key") || !strings.Contains(err.Error(), "key new") {
		t.Errorf("serve without a key = %v; want it refused, saying how to make one", err)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("serve without a key created the database (%v)", err)
	}

	bad := "not-a-key-but-a-password-typed-here"
	t.Setenv(envSecretKey, bad)
	_, err = keyCLI(t, "serve", "--db", db, "--listen", "127.0.0.1:0")
	if err == nil || !strings.Contains(err.Error(), envSecretKey) || strings.Contains(err.Error(), bad) {
		t.Errorf("serve with a malformed key = %v; want an error naming %s without repeating its value", err, envSecretKey)
	}

	keyFile := filepath.Join(t.TempDir(), "secret.key")
	if _, err := keyCLI(t, "key", "new", "--file", keyFile); err != nil {
		t.Fatal(err)
	}
	t.Setenv(envSecretKey, server.NewSecretKey().Encode())
	_, err = keyCLI(t, "serve", "--db", db, "--listen", "127.0.0.1:0", "--secret-key-file", keyFile)
	if err == nil || !strings.Contains(err.Error(), "not both") {
		t.Errorf("serve with a key file and a key in the environment = %v; want it refused", err)
	}
}

func TestKeyFileMustBePrivate(t *testing.T) {
	t.Setenv(envSecretKey, "")
	keyFile := filepath.Join(t.TempDir(), "secret.key")
	out, err := keyCLI(t, "key", "new", "--file", keyFile)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(keyFile)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key new made %v (%v); want a file of mode 0600", info.Mode(), err)
	}
	text, _ := os.ReadFile(keyFile)
	if strings.Contains(out, strings.TrimSpace(string(text))) {
		t.Errorf("key new --file printed the key: %q", out)
	}
	if _, err := keyCLI(t, "key", "new", "--file", keyFile); err == nil {
		t.Error("key new replaced an existing key file")
	}
	if again, _ := os.ReadFile(keyFile); !bytes.Equal(again, text) {
		t.Error("key new changed an existing key file")
	}

	if err := os.Chmod(keyFile, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = keyCLI(t, "hwtoken", "list", "--db", newDatabase(t), "--secret-key-file", keyFile)
	if err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a key file others can read = %v; want it refused with the fix", err)
	}
}

func TestKeyRotation(t *testing.T) {
	t.Setenv(envSecretKey, "")
	dir := t.TempDir()
	db := newDatabase(t)
	oldKey, newKey := filepath.Join(dir, "old.key"), filepath.Join(dir, "new.key")
	for _, f := range []string{oldKey, newKey} {
		if _, err := keyCLI(t, "key", "new", "--file", f); err != nil {
			t.Fatal(err)
		}
	}
	csv := filepath.Join(dir, "tokens.csv")
	if err := os.WriteFile(csv, []byte("serial,secret,type,digits\nHW-1,"+hwSecret+",hotp,6\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := keyCLI(t, "hwtoken", "import", "--db", db, "--file", csv); err == nil || !strings.Contains(err.Error(), "--secret-key-file") {
		t.Errorf("hwtoken import without a key = %v; want it refused, naming --secret-key-file", err)
	}
	if out, err := keyCLI(t, "hwtoken", "import", "--db", db, "--secret-key-file", oldKey, "--file", csv); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}

	// Before the rotation the new key alone cannot read the old seeds.
	if _, err := keyCLI(t, "hwtoken", "list", "--db", db, "--secret-key-file", newKey); err == nil {
		t.Error("the new key read seeds sealed with the old one")
	}
	out, err := keyCLI(t, "key", "rotate", "--db", db, "--secret-key-file", newKey, "--previous-secret-key-file", oldKey)
	if err != nil || !strings.Contains(out, "Sealed 1 token secret(s) again") || !strings.Contains(out, "no longer needed") {
		t.Fatalf("key rotate = %q, %v; want 1 secret resealed and the old key said to be no longer needed", out, err)
	}
	if out, err := keyCLI(t, "hwtoken", "list", "--db", db, "--secret-key-file", newKey); err != nil || !strings.Contains(out, "HW-1") {
		t.Errorf("list with the new key after the rotation = %q, %v", out, err)
	}
	if _, err := keyCLI(t, "hwtoken", "list", "--db", db, "--secret-key-file", oldKey); err == nil {
		t.Error("the retired key still reads the database")
	}
}
