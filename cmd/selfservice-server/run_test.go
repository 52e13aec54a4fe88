package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"selfservice/api"
	"selfservice/server"
)

// testSecrets holds the key of the tests' databases. TestMain puts it in
// the environment, where the commands find it.
var testSecrets, testKey = func() (*server.SecretBox, server.SecretKey) {
	k := server.NewSecretKey()
	box, err := server.NewSecretBox(k)
	if err != nil {
		panic(err)
	}
	return box, k
}()

func TestMain(m *testing.M) {
	server.UseFastPasswordHashing()
	os.Setenv(envSecretKey, testKey.Encode())
	os.Exit(m.Run())
}

func TestUserAddThenSignIn(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "selfservice.db")
	var stderr bytes.Buffer
	args := []string{"user", "add", "--db", db, "--username", "carol", "--display-name", "Carol C", "--role", "helpdesk", "--password-stdin"}
	if err := run(ctx, args, strings.NewReader("a long passphrase\nignored second line\n"), io.Discard, &stderr); err != nil {
		t.Fatalf("user add: %v", err)
	}
	if !strings.Contains(stderr.String(), "Added user carol") {
		t.Errorf("output %q does not confirm the new user", stderr.String())
	}
	if strings.Contains(stderr.String(), "a long passphrase") {
		t.Error("the output shows the password")
	}

	store, err := server.Open(ctx, db, server.WithSecretBox(testSecrets))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	h := server.New(store, server.Config{Secrets: testSecrets}).Handler()
	login := func(password string) (int, api.LoginResponse) {
		body, _ := json.Marshal(api.LoginRequest{Username: "carol", Password: password})
		req := httptest.NewRequest("POST", api.BasePath+"/auth/login", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var out api.LoginResponse
		json.Unmarshal(rec.Body.Bytes(), &out)
		return rec.Code, out
	}
	if status, out := login("a long passphrase"); status != 200 || !out.EnrollmentRequired || out.SessionToken == "" {
		t.Errorf("login = %d %+v, want an enrollment session (no token yet)", status, out)
	}
	if status, _ := login("ignored second line"); status != 401 {
		t.Errorf("login with the second stdin line = %d, want 401", status)
	}

	// The same name again is refused.
	err = run(ctx, []string{"user", "add", "--db", db, "--username", "carol", "--password-stdin"}, strings.NewReader("another passphrase\n"), io.Discard, &stderr)
	if err == nil || !strings.Contains(err.Error(), "already taken") {
		t.Errorf("adding carol twice: %v, want already taken", err)
	}
}

func TestBadCommandLines(t *testing.T) {
	db := filepath.Join(t.TempDir(), "selfservice.db")
	tests := []struct {
		name    string
		args    []string
		stdin   string
		wantErr string
	}{
		{"no command", nil, "", "name a command"},
		{"unknown command", []string{"start"}, "", `unknown command "start"`},
		{"user without subcommand", []string{"user"}, "", "user add"},
		{"unknown flag", []string{"serve", "--db", db, "--port", "80"}, "", "flag provided but not defined: -port"},
		{"stray argument", []string{"serve", "--db", db, "now"}, "", `unexpected argument "now"`},
		{"serve without db", []string{"serve"}, "", "--db FILE"},
		{"serve on all interfaces without TLS", []string{"serve", "--db", db, "--listen", ":8443"}, "", "--insecure-http"},
		{"serve on a LAN address without TLS", []string{"serve", "--db", db, "--listen", "192.0.2.1:8443"}, "", "not a loopback address"},
		{"serve behind a proxy without a public address", []string{"serve", "--db", db, "--listen", "192.0.2.1:8443", "--insecure-http"}, "", "give --public-url"},
		{"serve with a missing configuration file", []string{"serve", "--db", db, "--config", "/nonexistent/tenant.json"}, "", "configuration file"},
		{"serve with a negative message cap", []string{"serve", "--db", db, "--daily-sms-per-user", "-1"}, "", "--daily-sms-per-user is -1"},
		{"serve with a malformed trusted proxy", []string{"serve", "--db", db, "--trusted-proxy", "10.0.0.0/33"}, "", "check --trusted-proxy"},
		{"certificate without key", []string{"serve", "--db", db, "--tls-cert", "c.pem"}, "", "both --tls-cert and --tls-key"},
		{"relying party ID with a scheme", []string{"serve", "--db", db, "--rp-id", "https://example.com"}, "", "relying party ID"},
		{"relying party ID with a port", []string{"serve", "--db", db, "--rp-id", "example.com:8443"}, "", "relying party ID"},
		{"origin with a trailing slash", []string{"serve", "--db", db, "--rp-origin", "https://localhost/"}, "", "trailing slash"},
		{"origin on another domain", []string{"serve", "--db", db, "--rp-id", "example.com", "--rp-origin", "https://example.org"}, "", "example.com or one of its subdomains"},
		{"origin over http", []string{"serve", "--db", db, "--rp-id", "example.com", "--rp-origin", "http://example.com"}, "", "use https://"},
		{"origin with a path", []string{"serve", "--db", db, "--rp-origin", "https://localhost/app"}, "", "no path"},
		{"user add without db", []string{"user", "add", "--username", "x", "--password-stdin"}, "secret password\n", "--db FILE"},
		{"user add without username", []string{"user", "add", "--db", db, "--password-stdin"}, "secret password\n", "--username NAME"},
		{"user add without --password-stdin", []string{"user", "add", "--db", db, "--username", "x"}, "secret password\n", "--password-stdin"},
		{"empty password", []string{"user", "add", "--db", db, "--username", "x", "--password-stdin"}, "\n", "no password"},
		{"no input", []string{"user", "add", "--db", db, "--username", "x", "--password-stdin"}, "", "no password"},
		{"short password", []string{"user", "add", "--db", db, "--username", "x", "--password-stdin"}, "short\n", "at least 8 characters"},
		{"unknown role", []string{"user", "add", "--db", db, "--username", "x", "--role", "root", "--password-stdin"}, "secret password\n", "employee, helpdesk"},
		{"bad username", []string{"user", "add", "--db", db, "--username", "Mr X", "--password-stdin"}, "secret password\n", "lower-case letters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			err := run(context.Background(), tt.args, strings.NewReader(tt.stdin), io.Discard, &stderr)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("run(%q) = %v, want an error containing %q", tt.args, err, tt.wantErr)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"--help"}, []string{"serve --db FILE", "user add --db FILE", "--password-stdin", "--insecure-http", "--demo"}},
		{[]string{"help"}, []string{"serve --db FILE"}},
		{[]string{"serve", "--help"}, []string{"-listen address", "-tls-cert file", "-demo", "127.0.0.1:8443", "-rp-id ID", "-rp-origin origins"}},
		{[]string{"user", "add", "-h"}, []string{"-username name", "-role role", "-password-stdin", "-display-name"}},
		{[]string{"user", "--help"}, []string{"user add --db FILE"}},
	}
	for _, tt := range tests {
		var stderr bytes.Buffer
		if err := run(context.Background(), tt.args, strings.NewReader(""), io.Discard, &stderr); err != nil {
			t.Errorf("run(%q) = %v, want help and no error", tt.args, err)
		}
		for _, want := range tt.want {
			if !strings.Contains(stderr.String(), want) {
				t.Errorf("help for %q lacks %q:\n%s", tt.args, want, stderr.String())
			}
		}
	}
}

// urlWatcher is the stderr of a running server: it keeps the output and
// hands over the URL the server announces.
type urlWatcher struct {
	mu  sync.Mutex
	buf bytes.Buffer
	url chan string
}

var announced = regexp.MustCompile(`url=(http://\S+)`)

func (w *urlWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if m := announced.FindSubmatch(p); m != nil {
		select {
		case w.url <- string(m[1]):
		default:
		}
	}
	return len(p), nil
}

func (w *urlWatcher) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

func TestServeDemoAndShutdown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := filepath.Join(t.TempDir(), "selfservice.db")
	stderr := &urlWatcher{url: make(chan string, 1)}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--db", db, "--listen", "127.0.0.1:0", "--demo",
			"--rp-id", "localhost", "--rp-origin", "https://localhost, https://id.localhost:8443"}, strings.NewReader(""), io.Discard, stderr)
	}()

	var base string
	select {
	case base = <-stderr.url:
	case err := <-done:
		t.Fatalf("serve ended early: %v\n%s", err, stderr)
	}
	res, err := http.Get(base + "/health")
	if err != nil {
		t.Fatalf("health: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("health = %d, want 200", res.StatusCode)
	}

	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve after cancel = %v, want a clean shutdown", err)
	}
	out := stderr.String()
	for _, want := range []string{"DEMO DATA", "demo", "demo-password", "helpdesk-password", "TOTP secret", "DEMO-HW-1", "DEMO-HW-2", "route=/api/v1/health status=200", "stopped",
		"rp_id=localhost rp_origins=https://localhost,https://id.localhost:8443"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"127.0.0.1:8443", true},
		{"127.1.2.3:80", true},
		{"[::1]:8443", true},
		{"localhost:8443", true},
		{":8443", false},
		{"0.0.0.0:8443", false},
		{"10.0.0.5:8443", false},
		{"example.com:443", false},
		{"127.0.0.1", false},
	}
	for _, tt := range tests {
		if got := isLoopback(tt.addr); got != tt.want {
			t.Errorf("isLoopback(%q) = %v, want %v", tt.addr, got, tt.want)
		}
	}
}
