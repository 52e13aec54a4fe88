package app_test

import (
	"context"
	"errors"
	"maps"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"selfservice/api"
	"selfservice/app"
	"selfservice/app/keyring"
)

func TestLoginWithSecondFactor(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	secrets, prefs := app.NewMemorySecrets(), newPrefs()
	s := app.NewSession(connect, secrets, prefs)

	ch, err := s.Login(ctx, b.url+"/", "  demo ", b.demo.Password)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if ch == nil || ch.LoginID == "" || len(ch.Methods) != 1 || ch.Methods[0].Type != api.TypeTOTP {
		t.Fatalf("challenge = %+v; want one TOTP method", ch)
	}
	if s.SignedIn() {
		t.Error("signed in before the second step")
	}
	if got := prefs.String(app.PrefServerURL); got != b.url {
		t.Errorf("saved server URL = %q; want %q", got, b.url)
	}
	if got := s.LastUsername(); got != "demo" {
		t.Errorf("LastUsername = %q; want demo", got)
	}

	code := b.code(t, b.demo.TOTPSecret)
	if err := s.Verify(ctx, ch, ch.Methods[0].TokenID, code[:3]+" "+code[3:]); err != nil {
		t.Fatalf("Verify with a spaced code: %v", err)
	}
	if !s.SignedIn() || s.User().Username != "demo" || s.EnrollmentRequired() {
		t.Errorf("after Verify: signed in %v, user %+v, enrollment required %v; want demo fully signed in",
			s.SignedIn(), s.User(), s.EnrollmentRequired())
	}
	if !s.Can(api.PrivTokenView) || !slices.Contains(s.Privileges(), api.PrivTokenEnroll) {
		t.Errorf("privileges = %v; want the employee's", s.Privileges())
	}
	token := b.savedToken(t, secrets)
	if token == "" || !b.tokenWorks(t, token) {
		t.Errorf("saved session token works = %v; want a working saved token", token != "")
	}
	if slices.Contains(slices.Collect(maps.Values(prefs.values)), token) {
		t.Error("the session token is in the preferences")
	}
	if err := s.KeyringProblem(); err != nil {
		t.Errorf("KeyringProblem = %v; want nil", err)
	}
	if tokens, err := s.Tokens(ctx); err != nil || len(tokens) != 1 {
		t.Errorf("Tokens = %+v, %v; want the demo token", tokens, err)
	}
}

func TestVerifyFailureLeavesSignedOut(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())

	ch, err := s.Login(ctx, b.url, b.demo.Username, b.demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	code := b.code(t, b.demo.TOTPSecret)
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	if err := s.Verify(ctx, ch, ch.Methods[0].TokenID, wrong); !errors.Is(err, api.ErrOTPInvalid) {
		t.Errorf("Verify with a wrong code: error = %v; want otp_invalid", err)
	}
	if s.SignedIn() {
		t.Error("signed in after a wrong code")
	}
	if err := s.Verify(ctx, nil, ch.Methods[0].TokenID, code); err == nil {
		t.Error("Verify without a challenge: error = nil; want one")
	}
}

func TestLoginWithoutTokenThenEnroll(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	password := b.addUser(t, "newbie")
	secrets := app.NewMemorySecrets()
	s := app.NewSession(connect, secrets, newPrefs())

	ch, err := s.Login(ctx, b.url, "newbie", password)
	if err != nil || ch != nil {
		t.Fatalf("Login = %+v, %v; want signed in at once", ch, err)
	}
	if !s.SignedIn() || !s.EnrollmentRequired() || s.Can(api.PrivTokenTest) {
		t.Fatalf("signed in %v, enrollment required %v, privileges %v; want an enrollment-only session",
			s.SignedIn(), s.EnrollmentRequired(), s.Privileges())
	}
	if _, err := secrets.Get(app.AppID, b.url+" newbie"); err != nil {
		t.Errorf("saved session: %v; want the enrollment session saved", err)
	}

	templates, err := s.Templates(ctx)
	if err != nil || len(templates) == 0 {
		t.Fatalf("Templates = %v, %v", templates, err)
	}
	created, err := s.EnrollToken(ctx, "totp-app", "  My phone  ")
	if err != nil {
		t.Fatalf("EnrollToken: %v", err)
	}
	if created.Token.Description != "My phone" || created.Provisioning == nil {
		t.Fatalf("EnrollToken = %+v; want a trimmed description and provisioning", created)
	}
	code := b.code(t, created.Provisioning.Secret)
	tok, err := s.ActivateToken(ctx, created.Token.ID, code[:3]+"-"+code[3:])
	if err != nil || tok.Status != api.StatusActive {
		t.Fatalf("ActivateToken = %+v, %v; want ACTIVE", tok, err)
	}
	if s.EnrollmentRequired() || !s.Can(api.PrivTokenTest) {
		t.Errorf("after activation: enrollment required %v, privileges %v; want full privileges",
			s.EnrollmentRequired(), s.Privileges())
	}
}

func TestTokenOperations(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	b.signIn(t, s)

	created, err := s.EnrollToken(ctx, "totp-app", "Spare phone")
	if err != nil {
		t.Fatal(err)
	}
	id, secret := created.Token.ID, created.Provisioning.Secret
	if _, err := s.ActivateToken(ctx, id, b.code(t, secret)); err != nil {
		t.Fatal(err)
	}

	steps := []struct {
		name string
		call func() (api.Token, error)
		want func(api.Token) bool
	}{
		{"test", func() (api.Token, error) { return s.TestToken(ctx, id, b.code(t, secret)) },
			func(tok api.Token) bool { return tok.LastUsedAt != nil }},
		{"rename", func() (api.Token, error) { return s.RenameToken(ctx, id, " Old phone ") },
			func(tok api.Token) bool { return tok.Description == "Old phone" }},
		{"disable", func() (api.Token, error) { return s.DisableToken(ctx, id) },
			func(tok api.Token) bool { return tok.Status == api.StatusDisabled }},
		{"enable", func() (api.Token, error) { return s.EnableToken(ctx, id) },
			func(tok api.Token) bool { return tok.Status == api.StatusActive }},
		{"resync", func() (api.Token, error) {
			code1 := b.code(t, secret)
			return s.ResyncToken(ctx, id, code1, b.code(t, secret))
		}, func(tok api.Token) bool { return tok.Status == api.StatusActive }},
	}
	for _, step := range steps {
		got, err := step.call()
		if err != nil || !step.want(got) {
			t.Fatalf("%s = %+v, %v", step.name, got, err)
		}
	}

	if err := s.DeleteToken(ctx, id); err != nil {
		t.Fatalf("DeleteToken: %v", err)
	}
	tokens, err := s.Tokens(ctx)
	if err != nil || len(tokens) != 1 {
		t.Fatalf("Tokens after delete = %+v, %v; want the demo token only", tokens, err)
	}
	if _, err := s.DisableToken(ctx, tokens[0].ID); !errors.Is(err, api.ErrLastActiveToken) {
		t.Errorf("disabling the last token: error = %v; want last_active_token", err)
	}
}

func TestResume(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	secrets, prefs := app.NewMemorySecrets(), newPrefs()

	if ok, err := app.NewSession(connect, secrets, prefs).Resume(ctx); ok || err != nil {
		t.Fatalf("Resume with nothing saved = %v, %v; want false, nil", ok, err)
	}

	b.signIn(t, app.NewSession(connect, secrets, prefs))

	next := app.NewSession(connect, secrets, prefs) // the app started again
	ok, err := next.Resume(ctx)
	if !ok || err != nil {
		t.Fatalf("Resume = %v, %v; want true, nil", ok, err)
	}
	if !next.SignedIn() || next.User().Username != "demo" || !next.Can(api.PrivTokenView) {
		t.Errorf("resumed session: user %+v, privileges %v", next.User(), next.Privileges())
	}
	if _, err := next.Tokens(ctx); err != nil {
		t.Errorf("Tokens in the resumed session: %v", err)
	}

	b.clock.Advance(sessionIdle + time.Minute) // the saved session expires
	ok, err = app.NewSession(connect, secrets, prefs).Resume(ctx)
	if ok || err != nil {
		t.Fatalf("Resume of an expired session = %v, %v; want false, nil", ok, err)
	}
	if b.savedToken(t, secrets) != "" {
		t.Error("the expired session is still saved")
	}
}

func TestResumeKeepsSessionWhenServerUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()

	secrets, prefs := app.NewMemorySecrets(), newPrefs()
	prefs.SetString(app.PrefServerURL, url)
	prefs.SetString(app.PrefLastUsername, "demo")
	if err := secrets.Set(app.AppID, url+" demo", "saved-session-token"); err != nil {
		t.Fatal(err)
	}

	ok, err := app.NewSession(connect, secrets, prefs).Resume(context.Background())
	if ok || !errors.Is(err, api.ErrUnreachable) {
		t.Fatalf("Resume = %v, %v; want false, server_unreachable", ok, err)
	}
	if got, _ := secrets.Get(app.AppID, url+" demo"); got != "saved-session-token" {
		t.Error("the saved session was deleted; want it kept for a later try")
	}
}

func TestSessionExpiry(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	secrets := app.NewMemorySecrets()
	s := app.NewSession(connect, secrets, newPrefs())
	b.signIn(t, s)

	var calls atomic.Int32
	var signedInDuringCallback, savedDuringCallback bool
	s.OnExpired(func() {
		calls.Add(1)
		signedInDuringCallback = s.SignedIn()
		savedDuringCallback = b.savedToken(t, secrets) != ""
	})

	b.clock.Advance(sessionIdle + time.Minute)
	if _, err := s.Tokens(ctx); !errors.Is(err, api.ErrUnauthenticated) {
		t.Fatalf("Tokens after expiry: error = %v; want unauthenticated", err)
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("OnExpired ran %d times; want 1", n)
	}
	if signedInDuringCallback || savedDuringCallback {
		t.Errorf("during the callback: signed in %v, session saved %v; want both cleared first", signedInDuringCallback, savedDuringCallback)
	}
	if s.SignedIn() || s.User() != (api.User{}) || s.Privileges() != nil {
		t.Errorf("after expiry: signed in %v, user %+v, privileges %v; want none", s.SignedIn(), s.User(), s.Privileges())
	}

	if _, err := s.Tokens(ctx); !errors.Is(err, api.ErrUnauthenticated) {
		t.Errorf("Tokens while signed out: error = %v; want unauthenticated", err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("OnExpired ran %d times; want it only for the expiry", n)
	}
}

func TestLogout(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	secrets := app.NewMemorySecrets()
	s := app.NewSession(connect, secrets, newPrefs())
	b.signIn(t, s)
	token := b.savedToken(t, secrets)

	if err := s.Logout(ctx); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	if s.SignedIn() || s.User() != (api.User{}) {
		t.Errorf("after Logout: signed in %v, user %+v", s.SignedIn(), s.User())
	}
	if b.savedToken(t, secrets) != "" {
		t.Error("the session is still saved after Logout")
	}
	if b.tokenWorks(t, token) {
		t.Error("the server still accepts the session after Logout")
	}
	if s.LastUsername() != "demo" {
		t.Errorf("LastUsername = %q; want demo kept for the next sign-in", s.LastUsername())
	}
	if err := s.Logout(ctx); err != nil {
		t.Errorf("second Logout: %v", err)
	}
}

func TestInputIsCheckedBeforeAnyRequest(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	b.signIn(t, s)
	other := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	ch, err := other.Login(ctx, b.url, b.demo.Username, b.demo.Password)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name       string
		call       func() error
		wantFields []string
	}{
		{"login with nothing", func() error { _, err := other.Login(ctx, " ", " ", ""); return err },
			[]string{"server_url", "username", "password"}},
		{"login without password", func() error { _, err := other.Login(ctx, b.url, "demo", ""); return err },
			[]string{"password"}},
		{"verify without method", func() error { return other.Verify(ctx, ch, "", "12a") },
			[]string{"token_id", "otp"}},
		{"verify short code", func() error { return other.Verify(ctx, ch, "t1", "123 45") },
			[]string{"otp"}},
		{"enroll", func() error { _, err := s.EnrollToken(ctx, "", strings.Repeat("x", 101)); return err },
			[]string{"template_id", "description"}},
		{"activate", func() error { _, err := s.ActivateToken(ctx, "", "12"); return err },
			[]string{"id", "otp"}},
		{"test", func() error { _, err := s.TestToken(ctx, "t1", "abcdef"); return err },
			[]string{"otp"}},
		{"resync same code twice", func() error { _, err := s.ResyncToken(ctx, "t1", "123456", "123 456"); return err },
			[]string{"otp2"}},
		{"resync", func() error { _, err := s.ResyncToken(ctx, "", "", "1"); return err },
			[]string{"id", "otp1", "otp2"}},
		{"rename", func() error { _, err := s.RenameToken(ctx, "t1", "bad\x00name"); return err },
			[]string{"description"}},
		{"enable", func() error { _, err := s.EnableToken(ctx, ""); return err }, []string{"id"}},
		{"disable", func() error { _, err := s.DisableToken(ctx, ""); return err }, []string{"id"}},
		{"delete", func() error { return s.DeleteToken(ctx, "") }, []string{"id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := b.requests.Load()
			err := tt.call()
			if !errors.Is(err, api.ErrInvalidRequest) {
				t.Fatalf("error = %v; want invalid_request", err)
			}
			got := slices.Sorted(maps.Keys(fieldErrors(err)))
			if want := slices.Sorted(slices.Values(tt.wantFields)); !slices.Equal(got, want) {
				t.Errorf("fields = %v; want %v", got, want)
			}
			if n := b.requests.Load() - before; n != 0 {
				t.Errorf("%d requests sent; want none", n)
			}
		})
	}
}

func TestLoginFailures(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	tests := []struct {
		name     string
		url      string
		password string
		want     error
	}{
		{"insecure URL", "http://selfservice.example.com", b.demo.Password, api.ErrInsecureURL},
		{"wrong password", b.url, "not-the-password", api.ErrInvalidCredentials},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefs := newPrefs()
			s := app.NewSession(connect, app.NewMemorySecrets(), prefs)
			ch, err := s.Login(ctx, tt.url, "demo", tt.password)
			if ch != nil || !errors.Is(err, tt.want) {
				t.Fatalf("Login = %v, %v; want %v", ch, err, tt.want)
			}
			if s.SignedIn() || len(prefs.values) != 0 {
				t.Errorf("signed in %v, preferences %v; want neither", s.SignedIn(), prefs.values)
			}
		})
	}
}

func TestServerURLDefaults(t *testing.T) {
	const saved, def = "https://saved.example.com", "https://default.example.com"
	tests := []struct {
		name     string
		saved    string
		def      string
		remember bool
		want     string
	}{
		{"nothing", "", "", true, ""},
		{"saved only", saved, "", true, saved},
		{"default only", "", def + "/", true, def},
		{"saved wins over a remembered default", saved, def, true, saved},
		{"this run's default wins", saved, def, false, def},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefs := newPrefs()
			if tt.saved != "" {
				prefs.SetString(app.PrefServerURL, tt.saved)
			}
			s := app.NewSession(connect, app.NewMemorySecrets(), prefs)
			if tt.def != "" {
				s.SetDefaultServerURL(tt.def, tt.remember)
			}
			if got := s.ServerURL(); got != tt.want {
				t.Errorf("ServerURL = %q; want %q", got, tt.want)
			}
		})
	}
}

func TestDemoServerURLIsNotSaved(t *testing.T) {
	b := newBackend(t)
	prefs := newPrefs()
	prefs.SetString(app.PrefServerURL, "https://saved.example.com")
	secrets := app.NewMemorySecrets()
	s := app.NewSession(connect, secrets, prefs)
	s.SetDefaultServerURL(b.url, false)

	b.signIn(t, s)
	if got := prefs.String(app.PrefServerURL); got != "https://saved.example.com" {
		t.Errorf("saved server URL = %q; want the earlier one kept", got)
	}
	if _, err := secrets.Get(app.AppID, b.url+" demo"); !errors.Is(err, app.ErrSecretNotFound) {
		t.Errorf("session of this run's server saved in the keyring (Get error %v); want nothing saved", err)
	}
	if s.KeyringProblem() != nil {
		t.Error("KeyringProblem reported although nothing was meant to be saved")
	}
	if got := prefs.String(app.PrefLastUsername); got != "demo" {
		t.Errorf("saved username = %q; want demo", got)
	}
}

func TestSessionWithoutKeyring(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
	b := newBackend(t)
	ctx := context.Background()
	s := app.NewSession(connect, keyring.New(10*time.Second), newPrefs())

	b.signIn(t, s)
	if !s.SignedIn() {
		t.Fatal("not signed in without a keyring")
	}
	if err := s.KeyringProblem(); !errors.Is(err, app.ErrSecretsUnavailable) {
		t.Errorf("KeyringProblem = %v; want ErrSecretsUnavailable", err)
	}
	if err := s.KeyringProblem(); err != nil {
		t.Errorf("second KeyringProblem = %v; want nil (told once)", err)
	}
	if _, err := s.Tokens(ctx); err != nil {
		t.Errorf("Tokens with the session in memory: %v", err)
	}
	if err := s.Logout(ctx); err != nil {
		t.Errorf("Logout: %v; want nil, nothing was saved", err)
	}

	b.signIn(t, s) // signing in again does not tell again
	if err := s.KeyringProblem(); err != nil {
		t.Errorf("KeyringProblem after a second sign-in = %v; want nil", err)
	}
}

func TestSessionIsSafeForConcurrentUse(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	b.signIn(t, s)

	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if _, err := s.Tokens(ctx); err != nil {
				t.Errorf("Tokens: %v", err)
			}
		})
		wg.Go(func() {
			_ = s.Can(api.PrivTokenView)
			_ = s.User()
			_ = s.ServerURL()
		})
	}
	wg.Wait()
	if err := s.Logout(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestDemoServerResumeLeavesKeyringAlone(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
	b := newBackend(t)
	prefs := newPrefs()
	prefs.SetString(app.PrefLastUsername, "demo")
	s := app.NewSession(connect, keyring.New(10*time.Second), prefs)
	s.SetDefaultServerURL(b.url, false)

	resumed, err := s.Resume(context.Background())
	if resumed || err != nil {
		t.Fatalf("Resume = %v, %v; want false, nil", resumed, err)
	}
	if err := s.KeyringProblem(); err != nil {
		t.Errorf("KeyringProblem = %v; want none: this run's server never uses the keyring", err)
	}
}
