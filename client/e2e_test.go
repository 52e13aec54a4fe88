package client_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"selfservice/api"
	"selfservice/app"
	"selfservice/client"
	"selfservice/server"
	"selfservice/server/storetest"
)

// The client must offer everything the app's core consumes.
var _ app.Backend = (*client.Client)(nil)

func TestMain(m *testing.M) {
	server.UseFastPasswordHashing()
	os.Exit(m.Run())
}

// clock is the server's clock in these tests; codes are made for its time.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// NextStep moves the clock to the next 30-second TOTP step, so that a new
// code can be used.
func (c *clock) NextStep() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(30 * time.Second)
}

// backend is a real server on a temporary SQLite file, seeded with the
// demo accounts, served over httptest.
type backend struct {
	url      string
	store    *server.SQLStore
	clock    *clock
	demo     server.DemoUser // employee with one ACTIVE TOTP token
	helpdesk server.DemoUser // restricted role with one ACTIVE TOTP token
}

func newBackend(t *testing.T) *backend {
	t.Helper()
	return newBackendWith(t, server.Config{})
}

// newBackendWith is newBackend with cfg for the settings the tests do not
// fix: the clock, the lockout and the logger are always theirs.
func newBackendWith(t testing.TB, cfg server.Config) *backend {
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
	clk := &clock{now: time.Date(2030, 5, 6, 7, 8, 0, 0, time.UTC)}
	cfg.Secrets = box
	cfg.Now = clk.Now
	cfg.MaxFailures = 3
	cfg.Lockout = 5 * time.Minute
	cfg.Logger = slog.New(slog.DiscardHandler)
	// Step-ups right after the sign-in are what these tests confirm: no
	// grace, unless a test sets one.
	if cfg.Tenant.StepUp.GraceSeconds == nil {
		noGrace := 0
		cfg.Tenant.StepUp.GraceSeconds = &noGrace
	}
	srv := httptest.NewUnstartedServer(nil)
	cfg.PublicURL = "http://" + srv.Listener.Addr().String() // where the phone reaches it
	srv.Config.Handler = server.New(store, cfg).Handler()
	srv.Start()
	t.Cleanup(srv.Close)

	b := &backend{url: srv.URL, store: store, clock: clk}
	for _, u := range accounts.Users {
		switch u.Username {
		case "demo":
			b.demo = u
		case "helpdesk":
			b.helpdesk = u
		}
	}
	if b.demo.TOTPSecret == "" || b.helpdesk.TOTPSecret == "" {
		t.Fatalf("SeedDemo returned %d accounts; want demo and helpdesk with TOTP secrets", len(accounts.Users))
	}
	return b
}

// client returns a new client of the backend, without a session.
func (b *backend) client(t testing.TB) *client.Client {
	return newClient(t, b.url, client.Options{})
}

// code is the TOTP code of secret at the server's time.
func (b *backend) code(t testing.TB, secret string) string {
	t.Helper()
	code, err := totp.GenerateCode(secret, b.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// wrongCode is a code the token does not show at or near the server's time.
func (b *backend) wrongCode(t *testing.T, secret string) string {
	t.Helper()
	valid := map[string]bool{}
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		code, err := totp.GenerateCode(secret, b.clock.Now().Add(d))
		if err != nil {
			t.Fatal(err)
		}
		valid[code] = true
	}
	for _, c := range []string{"000000", "111111", "222222", "333333"} {
		if !valid[c] {
			return c
		}
	}
	t.Fatal("no wrong code found")
	return ""
}

// signIn signs user in with password and TOTP code and returns a client
// holding the session.
func (b *backend) signIn(t testing.TB, user server.DemoUser) *client.Client {
	t.Helper()
	c := b.client(t)
	b.signInOn(t, c, user)
	return c
}

// signInOn signs user in on the client c.
func (b *backend) signInOn(t testing.TB, c *client.Client, user server.DemoUser) {
	t.Helper()
	ctx := context.Background()
	login, err := c.Login(ctx, api.LoginRequest{Username: user.Username, Password: user.Password})
	if err != nil {
		t.Fatalf("Login(%s): %v", user.Username, err)
	}
	if len(login.Methods) == 0 {
		t.Fatalf("Login(%s) = %+v; want a second step", user.Username, login)
	}
	b.clock.NextStep() // a fresh code, never one used before
	sess, err := c.VerifyLogin(ctx, login.LoginID, api.VerifyLoginRequest{TokenID: login.Methods[0].TokenID, OTP: b.code(t, user.TOTPSecret)})
	if err != nil {
		t.Fatalf("VerifyLogin(%s): %v", user.Username, err)
	}
	c.SetSessionToken(sess.SessionToken)
}

// enrollingUser makes a user without tokens and signs them in: the session may
// only enroll.
func (b *backend) enrollingUser(t *testing.T, username string) *client.Client {
	t.Helper()
	ctx := context.Background()
	const password = "new-user-password"
	if _, err := server.AddUser(ctx, b.store, username, "New User", "employee", password); err != nil {
		t.Fatal(err)
	}
	c := b.client(t)
	login, err := c.Login(ctx, api.LoginRequest{Username: username, Password: password})
	if err != nil {
		t.Fatal(err)
	}
	if !login.EnrollmentRequired || login.SessionToken == "" || login.ExpiresAt == nil {
		t.Fatalf("Login of a user without tokens = %+v; want an enrollment session", login)
	}
	c.SetSessionToken(login.SessionToken)
	return c
}

func TestSignInWithTOTPCode(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	c := b.client(t)

	if h, err := c.Health(ctx); err != nil || h.Status != "ok" {
		t.Fatalf("Health = %+v, %v; want ok", h, err)
	}

	login, err := c.Login(ctx, api.LoginRequest{Username: b.demo.Username, Password: b.demo.Password})
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if login.LoginID == "" || len(login.Methods) != 1 || login.Methods[0].Type != api.TypeTOTP || login.SessionToken != "" {
		t.Fatalf("Login = %+v; want a login id and one TOTP method", login)
	}

	sess, err := c.VerifyLogin(ctx, login.LoginID, api.VerifyLoginRequest{TokenID: login.Methods[0].TokenID, OTP: b.code(t, b.demo.TOTPSecret)})
	if err != nil {
		t.Fatalf("VerifyLogin: %v", err)
	}
	if sess.SessionToken == "" || !sess.ExpiresAt.After(b.clock.Now()) {
		t.Fatalf("VerifyLogin = %+v; want a session token that expires later", sess)
	}
	c.SetSessionToken(sess.SessionToken)

	me, err := c.Me(ctx)
	if err != nil {
		t.Fatalf("Me: %v", err)
	}
	if me.User.Username != "demo" || me.User.Enrollment != api.EnrollmentFull || !api.Has(me.Privileges, api.PrivTokenView) {
		t.Errorf("Me = %+v; want demo, fully enrolled, with token_frontend_view", me)
	}

	tokens, err := c.Tokens(ctx)
	if err != nil {
		t.Fatalf("Tokens: %v", err)
	}
	if len(tokens) != 1 || tokens[0].Status != api.StatusActive || tokens[0].ID != login.Methods[0].TokenID {
		t.Fatalf("Tokens = %+v; want the one ACTIVE token", tokens)
	}
	if tok, err := c.Token(ctx, tokens[0].ID); err != nil || tok.ID != tokens[0].ID {
		t.Errorf("Token = %+v, %v; want %s", tok, err, tokens[0].ID)
	}

	if err := c.Logout(ctx); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	_, err = c.Me(ctx)
	if !errors.Is(err, api.ErrUnauthenticated) {
		t.Fatalf("Me after Logout: error = %v; want unauthenticated", err)
	}
	var apiErr *api.Error
	if errors.As(err, &apiErr); apiErr.Status != http.StatusUnauthorized {
		t.Errorf("status = %d; want 401", apiErr.Status)
	}
}

func TestEnrollAndActivateFirstToken(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	c := b.enrollingUser(t, "newbie")

	me, err := c.Me(ctx)
	if err != nil || me.User.Enrollment != api.EnrollmentPartial {
		t.Fatalf("Me = %+v, %v; want a partial enrollment", me, err)
	}

	templates, err := c.Templates(ctx)
	if err != nil {
		t.Fatalf("Templates: %v", err)
	}
	var tpl api.TokenTemplate
	for _, t := range templates {
		if t.Type == api.TypeTOTP {
			tpl = t
		}
	}
	if tpl.ID == "" || !tpl.Available() {
		t.Fatalf("Templates = %+v; want an available TOTP template", templates)
	}

	created, err := c.CreateToken(ctx, api.CreateTokenRequest{TemplateID: tpl.ID, Description: "My phone"})
	if err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	p := created.Provisioning
	if created.Token.Status != api.StatusPending || created.Token.Description != "My phone" || p == nil || p.Secret == "" ||
		!strings.HasPrefix(p.OTPAuthURI, "otpauth://totp/") || !strings.Contains(p.OTPAuthURI, "secret="+p.Secret) {
		t.Fatalf("CreateToken = %+v (provisioning %+v); want a PENDING token and its otpauth URI", created.Token, p)
	}

	activated, err := c.ActivateToken(ctx, created.Token.ID, api.OTPRequest{OTP: b.code(t, p.Secret)})
	if err != nil {
		t.Fatalf("ActivateToken: %v", err)
	}
	if activated.Status != api.StatusActive {
		t.Errorf("activated status = %s; want ACTIVE", activated.Status)
	}
	if me, err := c.Me(ctx); err != nil || me.User.Enrollment != api.EnrollmentFull {
		t.Errorf("Me after activation = %+v, %v; want a full enrollment", me, err)
	}

	renamed, err := c.UpdateToken(ctx, created.Token.ID, api.UpdateTokenRequest{Description: "Work phone"})
	if err != nil || renamed.Description != "Work phone" {
		t.Errorf("UpdateToken = %+v, %v; want the new description", renamed, err)
	}
	b.clock.NextStep()
	if tested, err := c.TestToken(ctx, created.Token.ID, api.OTPRequest{OTP: b.code(t, p.Secret)}); err != nil || tested.LastUsedAt == nil {
		t.Errorf("TestToken = %+v, %v; want a last-used time", tested, err)
	}
}

func TestTokenLifecycle(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	c := b.signIn(t, b.demo)

	created, err := c.CreateToken(ctx, api.CreateTokenRequest{TemplateID: "totp-app", Description: "Second phone"})
	if err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	secret := created.Provisioning.Secret
	id := created.Token.ID
	if _, err := c.ActivateToken(ctx, id, api.OTPRequest{OTP: b.code(t, secret)}); err != nil {
		t.Fatalf("ActivateToken: %v", err)
	}

	steps := []struct {
		name string
		call func() (api.Token, error)
		want api.TokenStatus
	}{
		{"disable", func() (api.Token, error) { return c.DisableToken(ctx, id) }, api.StatusDisabled},
		{"enable", func() (api.Token, error) { return c.EnableToken(ctx, id) }, api.StatusActive},
		{"resync", func() (api.Token, error) {
			now := b.clock.Now()
			code1, _ := totp.GenerateCode(secret, now.Add(60*time.Second))
			code2, _ := totp.GenerateCode(secret, now.Add(90*time.Second))
			return c.ResyncToken(ctx, id, api.ResyncRequest{OTP1: code1, OTP2: code2})
		}, api.StatusActive},
	}
	for _, s := range steps {
		got, err := s.call()
		if err != nil || got.Status != s.want || got.ID != id {
			t.Fatalf("%s = %+v, %v; want status %s", s.name, got, err, s.want)
		}
	}

	if err := c.DeleteToken(ctx, id); err != nil {
		t.Fatalf("DeleteToken: %v", err)
	}
	if _, err := c.Token(ctx, id); !errors.Is(err, api.ErrNotFound) {
		t.Errorf("Token after DeleteToken: error = %v; want not_found", err)
	}
}

func TestServerErrorsAreTyped(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name       string
		provoke    func(t *testing.T, b *backend) error
		wantCode   string
		wantStatus int
	}{
		{"wrong password", func(t *testing.T, b *backend) error {
			_, err := b.client(t).Login(ctx, api.LoginRequest{Username: "demo", Password: "not-the-password"})
			return err
		}, api.CodeInvalidCredentials, 401},
		{"unknown user", func(t *testing.T, b *backend) error {
			_, err := b.client(t).Login(ctx, api.LoginRequest{Username: "nobody", Password: "whatever-password"})
			return err
		}, api.CodeInvalidCredentials, 401},
		{"empty username", func(t *testing.T, b *backend) error {
			_, err := b.client(t).Login(ctx, api.LoginRequest{Username: "", Password: "whatever-password"})
			if fields := fieldErrors(err); fields["username"] == "" {
				t.Errorf("field errors = %v; want one for username", fields)
			}
			return err
		}, api.CodeInvalidRequest, 400},
		{"unknown login id", func(t *testing.T, b *backend) error {
			_, err := b.client(t).VerifyLogin(ctx, "no-such-login", api.VerifyLoginRequest{TokenID: "t", OTP: "123456"})
			return err
		}, api.CodeLoginExpired, 401},
		{"wrong code", func(t *testing.T, b *backend) error {
			c := b.client(t)
			login, err := c.Login(ctx, api.LoginRequest{Username: b.demo.Username, Password: b.demo.Password})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.VerifyLogin(ctx, login.LoginID, api.VerifyLoginRequest{TokenID: login.Methods[0].TokenID, OTP: b.wrongCode(t, b.demo.TOTPSecret)})
			return err
		}, api.CodeOTPInvalid, 401},
		{"code used twice", func(t *testing.T, b *backend) error {
			c := b.client(t)
			code := b.code(t, b.demo.TOTPSecret)
			var err error
			for range 2 {
				login, lerr := c.Login(ctx, api.LoginRequest{Username: b.demo.Username, Password: b.demo.Password})
				if lerr != nil {
					t.Fatal(lerr)
				}
				_, err = c.VerifyLogin(ctx, login.LoginID, api.VerifyLoginRequest{TokenID: login.Methods[0].TokenID, OTP: code})
			}
			return err
		}, api.CodeOTPReplayed, 401},
		{"no session", func(t *testing.T, b *backend) error {
			_, err := b.client(t).Tokens(ctx)
			return err
		}, api.CodeUnauthenticated, 401},
		{"someone else's or no token", func(t *testing.T, b *backend) error {
			helpdeskTokens, err := b.signIn(t, b.helpdesk).Tokens(ctx)
			if err != nil {
				t.Fatal(err)
			}
			_, err = b.signIn(t, b.demo).Token(ctx, helpdeskTokens[0].ID)
			return err
		}, api.CodeNotFound, 404},
		{"last active token", func(t *testing.T, b *backend) error {
			c := b.signIn(t, b.demo)
			tokens, err := c.Tokens(ctx)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.DisableToken(ctx, tokens[0].ID)
			return err
		}, api.CodeLastActiveToken, 409},
		{"privilege missing", func(t *testing.T, b *backend) error {
			c := b.signIn(t, b.helpdesk)
			tokens, err := c.Tokens(ctx)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.UpdateToken(ctx, tokens[0].ID, api.UpdateTokenRequest{Description: "Mine"})
			var apiErr *api.Error
			if errors.As(err, &apiErr) && apiErr.Details["privilege"] != string(api.PrivTokenModify) {
				t.Errorf("details = %v; want privilege %s", apiErr.Details, api.PrivTokenModify)
			}
			return err
		}, api.CodePrivilegeMissing, 403},
		{"enrollment required", func(t *testing.T, b *backend) error {
			_, err := b.enrollingUser(t, "newbie").TestToken(ctx, "any", api.OTPRequest{OTP: "123456"})
			return err
		}, api.CodeEnrollmentRequired, 403},
		{"unknown template", func(t *testing.T, b *backend) error {
			_, err := b.signIn(t, b.demo).CreateToken(ctx, api.CreateTokenRequest{TemplateID: "no-such-template"})
			return err
		}, api.CodeTemplateNotAllowed, 403},
		{"template limit", func(t *testing.T, b *backend) error {
			c := b.signIn(t, b.demo)
			for range 10 {
				if _, err := c.CreateToken(ctx, api.CreateTokenRequest{TemplateID: "hotp-app"}); err != nil {
					return err
				}
			}
			return nil
		}, api.CodeTemplateLimit, 409},
		{"token not in that state", func(t *testing.T, b *backend) error {
			c := b.signIn(t, b.demo)
			tokens, err := c.Tokens(ctx)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.EnableToken(ctx, tokens[0].ID) // it is ACTIVE already
			return err
		}, api.CodeInvalidState, 409},
		{"description too long", func(t *testing.T, b *backend) error {
			_, err := b.signIn(t, b.demo).CreateToken(ctx, api.CreateTokenRequest{TemplateID: "totp-app", Description: strings.Repeat("x", 101)})
			if fields := fieldErrors(err); fields["description"] == "" {
				t.Errorf("field errors = %v; want one for description", fields)
			}
			return err
		}, api.CodeInvalidRequest, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.provoke(t, newBackend(t))
			var apiErr *api.Error
			if !errors.As(err, &apiErr) {
				t.Fatalf("error = %v; want an *api.Error %s", err, tt.wantCode)
			}
			if apiErr.Code != tt.wantCode || apiErr.Status != tt.wantStatus {
				t.Errorf("error = %s (HTTP %d); want %s (HTTP %d)", apiErr.Code, apiErr.Status, tt.wantCode, tt.wantStatus)
			}
			if apiErr.Message == "" {
				t.Error("error has no message for the user")
			}
		})
	}
}

func TestTooManyWrongCodesLocksWithRetryAfter(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	c := b.signIn(t, b.demo)
	tokens, err := c.Tokens(ctx)
	if err != nil {
		t.Fatal(err)
	}

	wrong := api.OTPRequest{OTP: b.wrongCode(t, b.demo.TOTPSecret)}
	for range 2 { // MaxFailures is 3
		if _, err := c.TestToken(ctx, tokens[0].ID, wrong); !errors.Is(err, api.ErrOTPInvalid) {
			t.Fatalf("TestToken with a wrong code: error = %v; want otp_invalid", err)
		}
	}
	_, err = c.TestToken(ctx, tokens[0].ID, wrong)
	var apiErr *api.Error
	if !errors.As(err, &apiErr) || apiErr.Code != api.CodeTooManyAttempts {
		t.Fatalf("third wrong code: error = %v; want too_many_attempts", err)
	}
	if apiErr.Status != http.StatusTooManyRequests || apiErr.RetryAfter != 5*time.Minute {
		t.Errorf("error = HTTP %d, retry after %s; want 429 and 5m0s", apiErr.Status, apiErr.RetryAfter)
	}
}

// fieldErrors returns the per-field messages of an *api.Error.
func fieldErrors(err error) map[string]string {
	var apiErr *api.Error
	if errors.As(err, &apiErr) {
		return apiErr.FieldErrors()
	}
	return nil
}
