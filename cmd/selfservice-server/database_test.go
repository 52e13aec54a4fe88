package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"selfservice/server"
	"selfservice/server/storetest"
)

// newDatabase creates an empty server database and returns its path.
func newDatabase(t *testing.T) string {
	t.Helper()
	path := storetest.DSN(t, filepath.Join(t.TempDir(), "selfservice.db"))
	store, err := server.Open(context.Background(), path, server.WithSecretBox(testSecrets))
	if err != nil {
		t.Fatal(err)
	}
	store.Close()
	return path
}

// TestAdminCommandsRefuseAMissingDatabase: a mistyped --db path must not
// quietly create an empty database.
func TestAdminCommandsRefuseAMissingDatabase(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "typo.db")
	csv := filepath.Join(t.TempDir(), "tokens.csv")
	if err := os.WriteFile(csv, []byte("serial,secret,type,digits\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"approval", "set", "--db", missing, "--operation", "token.delete", "--mode", "self"},
		{"approval", "list", "--db", missing},
		{"emergency", "issue", "--db", missing, "--username", "ann"},
		{"hwtoken", "import", "--db", missing, "--file", csv},
		{"hwtoken", "list", "--db", missing},
		{"hwtoken", "unassign", "--db", missing, "--serial", "HW-1"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
		if err == nil || !strings.Contains(err.Error(), "there is no database at "+missing) {
			t.Errorf("run(%q) = %v, want an error naming the missing database", args, err)
		}
		if _, statErr := os.Stat(missing); statErr == nil {
			t.Fatalf("run(%q) created %s", args, missing)
		}
	}
}
