package ui

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"selfservice/app"
	"selfservice/client"
	"selfservice/server"
)

// fixture is the app's UI against a real reference server on a
// temporary SQLite database, driven on the test's goroutine.
type fixture struct {
	t       *testing.T
	dbPath  string
	now     func() time.Time // the UI's clock
	local   *server.Local
	secrets app.Secrets
	prefs   *mapPrefs
	session *app.Session
	queue   *syncQueue
	ui      *UI
}

// newFixture starts a server and a UI showing its first screen.
func newFixture(t *testing.T, opts Options) *fixture {
	t.Helper()
	f := newServerFixture(t)
	f.start(opts)
	return f
}

// newDemoFixture is newFixture on the demo's own configuration, whose
// SMS and email templates take only the user's confirmed contact details.
func newDemoFixture(t *testing.T, opts Options) *fixture {
	t.Helper()
	f := newConfigFixture(t, server.Config{Tenant: server.DemoTenant()})
	f.start(opts)
	return f
}

// newServerFixture starts the server only, on anyAddressTenant; call
// start for the UI.
func newServerFixture(t *testing.T) *fixture {
	t.Helper()
	return newConfigFixture(t, server.Config{Tenant: anyAddressTenant()})
}

// newConfigFixture starts the server of cfg only (its log discarded);
// the UI, once started, keeps the server's clock.
func newConfigFixture(t *testing.T, cfg server.Config) *fixture {
	t.Helper()
	test.NewTempApp(t)
	dbPath := filepath.Join(t.TempDir(), "test.db")
	cfg.Logger = slog.New(slog.DiscardHandler)
	// Step-ups right after the sign-in are what these tests confirm: no
	// grace, unless a test sets one.
	if reflect.ValueOf(cfg.Tenant).IsZero() {
		cfg.Tenant = server.DemoTenant() // as StartLocal would
	}
	if cfg.Tenant.StepUp.GraceSeconds == nil {
		noGrace := 0
		cfg.Tenant.StepUp.GraceSeconds = &noGrace
	}
	local, err := server.StartLocal(context.Background(), dbPath, cfg)
	if err != nil {
		t.Fatalf("start the server: %v", err)
	}
	t.Cleanup(func() { local.Close() })
	now := time.Now
	if cfg.Now != nil {
		now = cfg.Now
	}
	return &fixture{t: t, dbPath: dbPath, now: now, local: local, secrets: app.NewMemorySecrets(), prefs: &mapPrefs{}}
}

// addContact gives username a confirmed contact value of field, through
// a second connection to the server's database.
func (f *fixture) addContact(username, field, value string) {
	f.t.Helper()
	ctx := context.Background()
	store, err := server.OpenSQLite(ctx, f.dbPath)
	if err != nil {
		f.t.Fatal(err)
	}
	defer store.Close()
	u, err := store.UserByUsername(ctx, username)
	if err != nil {
		f.t.Fatal(err)
	}
	now := time.Now()
	if err := store.SetContact(ctx, server.ContactRecord{UserID: u.ID, FieldID: field, Value: value, VerifiedAt: now, UpdatedAt: now}); err != nil {
		f.t.Fatalf("add contact: %v", err)
	}
}

// addUser creates an employee without any token, through a second
// connection to the server's database.
func (f *fixture) addUser(username, password string) {
	f.t.Helper()
	store, err := server.OpenSQLite(context.Background(), f.dbPath)
	if err != nil {
		f.t.Fatal(err)
	}
	defer store.Close()
	if _, err := server.AddUser(context.Background(), store, username, "", server.RoleEmployee, password); err != nil {
		f.t.Fatalf("add user: %v", err)
	}
}

// start builds a new session and UI on the fixture's server, keyring and
// preferences, as a restart of the app would.
func (f *fixture) start(opts Options) {
	f.session = app.NewSession(connect, f.secrets, f.prefs)
	f.session.SetDefaultServerURL(f.local.URL, true)
	f.queue = newSyncQueue()
	f.ui = newUI(fyne.CurrentApp(), f.session, opts, f.queue.do, f.now)
	f.t.Cleanup(f.ui.close)
}

func connect(serverURL string) (app.Backend, error) {
	backend, err := client.New(serverURL, client.Options{})
	if err != nil {
		return nil, err
	}
	return backend, nil
}

// waitFor runs the UI's queued updates until cond holds.
func (f *fixture) waitFor(what string, cond func() bool) {
	f.t.Helper()
	if !f.queue.waitUntil(15*time.Second, cond) {
		f.t.Fatalf("timed out waiting for %s", what)
	}
}

// demoUser returns a seeded demo account.
func (f *fixture) demoUser(username string) server.DemoUser {
	f.t.Helper()
	for _, u := range f.local.Demo.Users {
		if u.Username == username {
			return u
		}
	}
	f.t.Fatalf("no demo user %q", username)
	return server.DemoUser{}
}

// demoOptions lists the server's demo accounts for Options.Demo.
func (f *fixture) demoOptions() Options {
	var opts Options
	for _, u := range f.local.Demo.Users {
		opts.Demo = append(opts.Demo, DemoInfo{Username: u.Username, Password: u.Password, TOTPSecret: u.TOTPSecret})
	}
	return opts
}

func (f *fixture) signInScreen() *signInScreen {
	f.t.Helper()
	var s *signInScreen
	f.waitFor("the sign-in screen", func() bool { s, _ = f.ui.current.(*signInScreen); return s != nil })
	return s
}

func (f *fixture) secondFactorScreen() *secondFactorScreen {
	f.t.Helper()
	var s *secondFactorScreen
	f.waitFor("the second-factor screen", func() bool { s, _ = f.ui.current.(*secondFactorScreen); return s != nil })
	return s
}

// mainScreen waits for the main window with its token list loaded.
func (f *fixture) mainScreen() *mainScreen {
	f.t.Helper()
	var s *mainScreen
	f.waitFor("the main window with its tokens", func() bool {
		s, _ = f.ui.current.(*mainScreen)
		return s != nil && (s.tokens == nil || s.tokens.loaded)
	})
	return s
}

// enterPassword does the first sign-in step.
func (f *fixture) enterPassword(username, password string) {
	f.t.Helper()
	s := f.signInScreen()
	s.username.SetText("")
	test.Type(s.username, username)
	s.password.SetText("")
	test.Type(s.password, password)
	test.Tap(s.submit)
}

// signIn signs a demo user in with the code of their demo token.
func (f *fixture) signIn(username string) *mainScreen {
	f.t.Helper()
	u := f.demoUser(username)
	f.enterPassword(u.Username, u.Password)
	s := f.secondFactorScreen()
	test.Type(s.code, code(f.t, u.TOTPSecret, time.Now()))
	test.Tap(s.submit)
	return f.mainScreen()
}

// code is the TOTP code of secret at t.
func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, _, err := app.DemoCode(secret, at)
	if err != nil {
		t.Fatalf("code: %v", err)
	}
	return c
}

// wrongCode is a code the server does not accept for secret now.
func wrongCode(t *testing.T, secret string) string {
	t.Helper()
	now := time.Now()
	near := map[string]bool{}
	for _, d := range []time.Duration{-60 * time.Second, -30 * time.Second, 0, 30 * time.Second, 60 * time.Second} {
		near[code(t, secret, now.Add(d))] = true
	}
	for i := 0; ; i++ {
		c := fmt.Sprintf("%06d", i*111111%1000000)
		if !near[c] {
			return c
		}
	}
}

// mapPrefs keeps preferences in memory.
type mapPrefs struct {
	mu sync.Mutex
	m  map[string]string
}

func (p *mapPrefs) String(key string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.m[key]
}

func (p *mapPrefs) SetString(key, value string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = map[string]string{}
	}
	p.m[key] = value
}

func (p *mapPrefs) RemoveValue(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.m, key)
}

// richText is the text of a RichText.
func richText(t *widget.RichText) string { return t.String() }

// contains reports whether got contains want, ignoring case.
func contains(got, want string) bool {
	return strings.Contains(strings.ToLower(got), strings.ToLower(want))
}

// anyAddressTenant is the demo's configuration with SMS and email
// templates that take any address (confirmed by their first code), as
// an organisation without contact details for them has.
func anyAddressTenant() server.Tenant {
	t := server.DemoTenant()
	t.TemplateContacts = nil
	return t
}
