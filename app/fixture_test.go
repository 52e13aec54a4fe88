package app_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"selfservice/api"
	"selfservice/app"
	"selfservice/client"
	"selfservice/server"
	"selfservice/server/storetest"
)

func TestMain(m *testing.M) {
	server.UseFastPasswordHashing()
	os.Exit(m.Run())
}

// connect is the Connector the desktop app uses, over the real client.
func connect(serverURL string) (app.Backend, error) {
	c, err := client.New(serverURL, client.Options{})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// memPrefs are Preferences in a map.
type memPrefs struct {
	mu     sync.Mutex
	values map[string]string
}

func newPrefs() *memPrefs { return &memPrefs{values: map[string]string{}} }

func (p *memPrefs) String(key string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.values[key]
}

func (p *memPrefs) SetString(key, value string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.values[key] = value
}

func (p *memPrefs) RemoveValue(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.values, key)
}

// clock is the server's clock; codes are made for its time.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// backend is a real server on a temporary SQLite file with the demo
// accounts, served over httptest. It counts the requests it gets.
type backend struct {
	url      string
	store    *server.SQLStore
	clock    *clock
	demo     server.DemoUser
	helpdesk server.DemoUser
	requests atomic.Int32
}

// sessionIdle is the server's idle session expiry in these tests.
const sessionIdle = 30 * time.Minute

func newBackend(t *testing.T) *backend {
	t.Helper()
	return newBackendWith(t, server.Tenant{})
}

// newBackendWith is newBackend with the organisation's configuration.
func newBackendWith(t *testing.T, tenant server.Tenant) *backend {
	t.Helper()
	return newBackendConfig(t, server.Config{Tenant: tenant})
}

// newBackendConfig is newBackend with cfg, its secrets, clock, session
// expiry, logger and public URL set here.
func newBackendConfig(t *testing.T, cfg server.Config) *backend {
	t.Helper()
	ctx := context.Background()
	box, err := server.NewSecretBox(server.NewSecretKey())
	if err != nil {
		t.Fatal(err)
	}
	store, err := server.Open(ctx, storetest.DSN(t, filepath.Join(t.TempDir(), "selfservice.db")), server.WithSecretBox(box))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	accounts, err := server.SeedDemo(ctx, store)
	if err != nil {
		t.Fatal(err)
	}
	b := &backend{store: store, clock: &clock{now: time.Date(2030, 5, 6, 7, 8, 0, 0, time.UTC)}}
	for _, u := range accounts.Users {
		switch u.Username {
		case "demo":
			b.demo = u
		case "helpdesk":
			b.helpdesk = u
		}
	}
	srv := httptest.NewUnstartedServer(nil)
	cfg.Secrets, cfg.Now, cfg.SessionIdle = box, b.clock.Now, sessionIdle
	cfg.Logger, cfg.PublicURL = slog.New(slog.DiscardHandler), "http://"+srv.Listener.Addr().String()
	// Step-ups right after the sign-in are what these tests confirm: no
	// grace, unless a test sets one.
	if cfg.Tenant.StepUp.GraceSeconds == nil {
		noGrace := 0
		cfg.Tenant.StepUp.GraceSeconds = &noGrace
	}
	h := server.New(store, cfg).Handler()
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.requests.Add(1)
		h.ServeHTTP(w, r)
	})
	srv.Start()
	t.Cleanup(srv.Close)
	b.url = srv.URL
	return b
}

// code is the TOTP code of secret at the server's time. The clock moves
// to the next step first, so that no code is ever used twice.
func (b *backend) code(t *testing.T, secret string) string {
	t.Helper()
	b.clock.Advance(30 * time.Second)
	code, err := totp.GenerateCode(secret, b.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// addUser makes an employee without tokens and returns their password.
func (b *backend) addUser(t *testing.T, username string) string {
	t.Helper()
	const password = "new-user-password"
	if _, err := server.AddUser(context.Background(), b.store, username, "New User", "employee", password); err != nil {
		t.Fatal(err)
	}
	return password
}

// signIn signs the demo user in through both steps.
func (b *backend) signIn(t *testing.T, s *app.Session) {
	t.Helper()
	ctx := context.Background()
	ch, err := s.Login(ctx, b.url, b.demo.Username, b.demo.Password)
	if err != nil || ch == nil {
		t.Fatalf("Login = %v, %v; want a challenge", ch, err)
	}
	if err := s.Verify(ctx, ch, ch.Methods[0].TokenID, b.code(t, b.demo.TOTPSecret)); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}

// savedToken returns the session token saved for the demo user, or "".
func (b *backend) savedToken(t *testing.T, secrets app.Secrets) string {
	t.Helper()
	token, err := secrets.Get(app.AppID, b.url+" "+b.demo.Username)
	if err != nil {
		return ""
	}
	return token
}

// tokenWorks reports whether the server still accepts a session token.
func (b *backend) tokenWorks(t *testing.T, token string) bool {
	t.Helper()
	c, err := client.New(b.url, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c.SetSessionToken(token)
	_, err = c.Me(context.Background())
	return err == nil
}

// fieldErrors returns the per-field messages of an *api.Error.
func fieldErrors(err error) map[string]string {
	var apiErr *api.Error
	if errors.As(err, &apiErr) {
		return apiErr.FieldErrors()
	}
	return nil
}
