package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"selfservice/server"
	"selfservice/server/storetest"
)

func TestUserSetField(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := storetest.DSN(t, filepath.Join(dir, "selfservice.db"))
	config := filepath.Join(dir, "tenant.json")
	if err := os.WriteFile(config, []byte(`{"profile": {"fields": [{"id": "job_title", "label": "Job title", "max_length": 20}]}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	if err := run(ctx, []string{"user", "add", "--db", db, "--username", "carol", "--password-stdin"}, strings.NewReader("a long passphrase\n"), io.Discard, &stderr); err != nil {
		t.Fatal(err)
	}
	setField := func(args ...string) error {
		stderr.Reset()
		return run(ctx, append([]string{"user", "set-field", "--db", db}, args...), nil, io.Discard, &stderr)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--username", "carol", "--field", "job_title", "--value", "x"}, "--config FILE"},
		{[]string{"--config", config, "--field", "job_title", "--value", "x"}, "--username"},
		{[]string{"--config", config, "--username", "carol", "--field", "office", "--value", "x"}, `no profile field "office" (it has job_title)`},
		{[]string{"--config", config, "--username", "carol", "--field", "job_title", "--value", strings.Repeat("x", 21)}, "at most 20 characters"},
		{[]string{"--config", config, "--username", "dave", "--field", "job_title", "--value", "x"}, `no user "dave"`},
	} {
		if err := setField(c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("user set-field %v = %v; want %q", c.args, err, c.want)
		}
	}
	if err := setField("--config", config, "--username", "carol", "--field", "job_title", "--value", "Controller"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "Set job_title of carol") {
		t.Errorf("output %q", stderr.String())
	}
	store, err := server.Open(ctx, db, server.WithSecretBox(testSecrets))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	u, err := store.UserByUsername(ctx, "carol")
	if err != nil {
		t.Fatal(err)
	}
	p, err := store.Profile(ctx, u.ID)
	if err != nil || p.Fields["job_title"] != "Controller" {
		t.Errorf("profile %+v, %v; want the job title set", p, err)
	}
}
