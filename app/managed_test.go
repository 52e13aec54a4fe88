package app_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"selfservice/app"
)

func writeManaged(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadManaged(t *testing.T) {
	path := writeManaged(t, `{
		"server_url": "https://selfservice.example.com",
		"lock_server": true,
		"ca_bundle": "/etc/ssl/certs/example-ca.pem",
		"proxy": "http://proxy.example.com:3128",
		"idle_lock_minutes": 10,
		"disable_demo": true,
		"language": "de"
	}`)
	got, err := app.LoadManaged(path)
	want := app.Managed{
		ServerURL: "https://selfservice.example.com", LockServer: true,
		CABundle: "/etc/ssl/certs/example-ca.pem", Proxy: "http://proxy.example.com:3128",
		IdleLockMinutes: 10, DisableDemo: true, Language: "de",
	}
	if err != nil || got != want {
		t.Fatalf("LoadManaged = %+v, %v; want %+v", got, err, want)
	}

	got, err = app.LoadManaged(filepath.Join(t.TempDir(), "missing.json"))
	if err != nil || got != (app.Managed{}) {
		t.Errorf("LoadManaged of a missing file = %+v, %v; want the zero Managed and no error", got, err)
	}
}

func TestLoadManagedRefusesBrokenFiles(t *testing.T) {
	tests := []struct {
		name, content string
		wantInError   string
	}{
		{"unknown field", `{"server": "https://x.example.com"}`, `"server" is not a setting`},
		{"wrong type", `{"idle_lock_minutes": "ten"}`, "idle_lock_minutes: must be a whole number"},
		{"wrong bool", `{"disable_demo": "yes"}`, "disable_demo: must be a true or false"},
		{"syntax", `{"server_url": "https://x.example.com",}`, "not valid JSON"},
		{"empty", ``, "the file is empty"},
		{"two objects", `{} {}`, "one JSON object"},
		{"lock without server", `{"lock_server": true}`, "lock_server: needs server_url"},
		{"server scheme", `{"server_url": "ftp://x.example.com"}`, "server_url:"},
		{"relative CA bundle", `{"ca_bundle": "ca.pem"}`, "ca_bundle:"},
		{"negative idle lock", `{"idle_lock_minutes": -1}`, "idle_lock_minutes:"},
		{"idle lock above a day", `{"idle_lock_minutes": 1441}`, "idle_lock_minutes:"},
		{"language", `{"language": "not a tag"}`, "language:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeManaged(t, tt.content)
			got, err := app.LoadManaged(path)
			if err == nil {
				t.Fatalf("LoadManaged = %+v; want an error", got)
			}
			if !strings.Contains(err.Error(), tt.wantInError) || !strings.Contains(err.Error(), path) {
				t.Errorf("error = %q; want it to name the file and contain %q", err, tt.wantInError)
			}
			if got != (app.Managed{}) {
				t.Errorf("LoadManaged returned %+v with the error; want nothing of the file", got)
			}
		})
	}
}

func TestManagedConfigPathFromEnvironment(t *testing.T) {
	t.Setenv(app.ManagedConfigEnv, "/tmp/try/config.json")
	if got := app.ManagedConfigPath(); got != "/tmp/try/config.json" {
		t.Errorf("ManagedConfigPath = %q; want the file %s names", got, app.ManagedConfigEnv)
	}
}

func TestManagedLockedServer(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	prefs := newPrefs()
	prefs.SetString(app.PrefServerURL, "https://elsewhere.example.com")
	s := app.NewSession(connect, app.NewMemorySecrets(), prefs)
	s.ApplyManaged(app.Managed{ServerURL: b.url + "/", LockServer: true, Language: "fr"})

	if !s.ServerLocked() || s.ServerURL() != b.url {
		t.Fatalf("ServerLocked = %v, ServerURL = %q; want locked to %q over the saved one", s.ServerLocked(), s.ServerURL(), b.url)
	}
	if got := s.RememberedLanguage(); got != "fr" {
		t.Errorf("RememberedLanguage before any sign-in = %q; want IT's fr", got)
	}
	_, err := s.Login(ctx, "https://elsewhere.example.com", b.demo.Username, b.demo.Password)
	if msg := fieldErrors(err)["server_url"]; !strings.Contains(msg, b.url) {
		t.Errorf("Login to another server: error = %v; want a server_url field error naming %s", err, b.url)
	}
	if _, err := s.RecoveryOptions(ctx, "https://elsewhere.example.com"); fieldErrors(err)["server_url"] == "" {
		t.Errorf("RecoveryOptions of another server: error = %v; want a server_url field error", err)
	}
	b.signIn(t, s)
	if !s.SignedIn() {
		t.Fatal("sign-in to the locked server failed")
	}
}

func TestManagedServerIsOnlyADefault(t *testing.T) {
	prefs := newPrefs()
	s := app.NewSession(connect, app.NewMemorySecrets(), prefs)
	s.ApplyManaged(app.Managed{ServerURL: "https://selfservice.example.com"})
	if s.ServerLocked() || s.ServerURL() != "https://selfservice.example.com" {
		t.Errorf("ServerLocked = %v, ServerURL = %q; want IT's address, not locked", s.ServerLocked(), s.ServerURL())
	}
	prefs.SetString(app.PrefServerURL, "https://other.example.com")
	if got := s.ServerURL(); got != "https://other.example.com" {
		t.Errorf("ServerURL = %q; want the user's saved choice over IT's default", got)
	}
}
