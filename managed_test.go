package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"selfservice/app"
)

// TestLoadManagedChecksWhatTheClientUses refuses, naming the field, a
// configuration whose server address, CA bundle or proxy the client
// would refuse, and applies none of it.
func TestLoadManagedChecksWhatTheClientUses(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := map[string]string{
		"server_url": `{"server_url": "http://selfservice.example.com"}`,
		"ca_bundle":  `{"ca_bundle": "` + notPEM + `"}`,
		"proxy":      `{"proxy": "ftp://proxy.example.com"}`,
	}
	for field, content := range tests {
		t.Run(field, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.json")
			if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			m, err := loadManaged(path)
			if err == nil || !strings.Contains(err.Error(), path+": "+field+": ") {
				t.Errorf("loadManaged = %v; want an error naming %s and %s", err, path, field)
			}
			if m != (app.Managed{}) {
				t.Errorf("loadManaged returned %+v with the error; want nothing applied", m)
			}
		})
	}

	path := filepath.Join(dir, "good.json")
	good := `{"server_url": "https://selfservice.example.com", "proxy": "http://proxy.example.com:3128", "idle_lock_minutes": 5}`
	if err := os.WriteFile(path, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	if m, err := loadManaged(path); err != nil || m.IdleLockMinutes != 5 {
		t.Errorf("loadManaged of a good file = %+v, %v", m, err)
	}
}
