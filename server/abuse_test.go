package server

import (
	"context"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"selfservice/api"
	"selfservice/hw"
)

// Wrong passwords lock the username for the source they come from only:
// the real user, signing in from elsewhere, is not locked out.
func TestWrongPasswordsLockOnlyTheirSource(t *testing.T) {
	e := newEnvWith(t, Config{MaxFailures: 5, Lockout: 5 * time.Minute})
	u := e.addUser("alice", RoleEmployee)
	tok := e.addToken(u.ID, templateTOTP, api.StatusActive)
	const attacker, neighbour, alice = "203.0.113.9:4000", "[2001:db8:1:2::77]:4000", "198.51.100.7:5000"
	wrong := api.LoginRequest{Username: "alice", Password: "guess"}
	for range 4 {
		e.apiErr(e.callFrom(attacker, "POST", "/auth/login", "", wrong), api.CodeInvalidCredentials)
	}
	e.apiErr(e.callFrom(attacker, "POST", "/auth/login", "", wrong), api.CodeTooManyAttempts)
	e.apiErr(e.callFrom(attacker, "POST", "/auth/login", "", api.LoginRequest{Username: "alice", Password: testPassword}), api.CodeTooManyAttempts)

	// Alice, elsewhere, signs in with her password and her second factor.
	var l api.LoginResponse
	e.ok(e.callFrom(alice, "POST", "/auth/login", "", api.LoginRequest{Username: "alice", Password: testPassword}), 200, &l)
	e.ok(e.callFrom(alice, "POST", "/auth/login/"+l.LoginID+"/verify", "", api.VerifyLoginRequest{TokenID: tok.ID, OTP: e.totp(tok, 0)}), 200, nil)

	// An IPv6 source is its /64: changing the last bits does not buy new tries.
	for range 5 {
		e.callFrom(neighbour, "POST", "/auth/login", "", wrong)
	}
	e.apiErr(e.callFrom("[2001:db8:1:2::78]:4000", "POST", "/auth/login", "", wrong), api.CodeTooManyAttempts)
}

// A count of wrong passwords is forgotten failureMemory after the last
// one, and the purge then deletes it: unknown usernames do not pile up.
func TestPasswordFailuresAreForgotten(t *testing.T) {
	e := newEnvWith(t, Config{MaxFailures: 5})
	ctx := context.Background()
	wrong := api.LoginRequest{Username: "nobody", Password: "guess"}
	for range 4 {
		e.apiErr(e.call("POST", "/auth/login", "", wrong), api.CodeInvalidCredentials)
	}
	e.clock.Advance(failureMemory)
	for range 4 {
		e.apiErr(e.call("POST", "/auth/login", "", wrong), api.CodeInvalidCredentials)
	}
	f, err := e.store.PasswordFailures(ctx, "nobody", "192.0.2.1")
	if err != nil || f.Count != 4 {
		t.Fatalf("failures = %+v, %v; want a count of 4 begun afresh", f, err)
	}
	e.clock.Advance(failureMemory)
	if err := e.store.PurgeExpired(ctx, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	var rows int
	if err := e.queryRow(`SELECT count(*) FROM password_failures`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 0 {
		t.Errorf("%d password failure rows after they were forgotten and purged, want 0", rows)
	}
}

func TestAnonymousCallsAreRateLimitedPerSource(t *testing.T) {
	e := newEnvWith(t, Config{SourceRate: 1, SourceBurst: 3})
	_, _, session := e.userWithToken("alice", RoleEmployee) // two anonymous calls, a minute ago by the test clock
	const a, b = "203.0.113.1:1000", "203.0.113.2:1000"
	for range 3 {
		e.ok(e.callFrom(a, "POST", "/auth/qr", "", nil), 200, nil)
	}
	res := e.callFrom(a, "POST", "/auth/qr", "", nil)
	e.apiErr(res, api.CodeRateLimited)
	if got := res.Header.Get("Retry-After"); got != "1" {
		t.Errorf("Retry-After = %q, want 1", got)
	}
	e.ok(e.callFrom(b, "POST", "/auth/qr", "", nil), 200, nil)
	e.ok(e.callFrom(a, "GET", "/health", "", nil), 200, nil)
	e.ok(e.callFrom(a, "GET", "/tokens", session, nil), 200, nil)

	// The refused calls wrote nothing: the table grows with the rate, not
	// with what an attacker sends.
	var rows int
	if err := e.queryRow(`SELECT count(*) FROM push_requests`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 4 {
		t.Errorf("%d QR sign-ins stored, want the 4 that were let through", rows)
	}

	e.clock.Advance(time.Second)
	e.ok(e.callFrom(a, "POST", "/auth/qr", "", nil), 200, nil)
}

func TestAnonymousCallsAreRateLimitedInTotal(t *testing.T) {
	e := newEnvWith(t, Config{SourceRate: 10, SourceBurst: 2, AnonymousRate: 4})
	for _, source := range []string{"203.0.113.1:1", "203.0.113.2:1"} {
		for range 2 {
			e.ok(e.callFrom(source, "POST", "/auth/passwordless", "", nil), 200, nil)
		}
	}
	e.apiErr(e.callFrom("203.0.113.3:1", "POST", "/auth/passwordless", "", nil), api.CodeRateLimited)
	e.clock.Advance(time.Second)
	e.ok(e.callFrom("203.0.113.3:1", "POST", "/auth/passwordless", "", nil), 200, nil)
}

// Password checks run at most MaxHashes at once; a sign-in that finds none
// free in time is told to retry, and nothing is counted against it.
func TestPasswordChecksAreBounded(t *testing.T) {
	e := newEnvWith(t, Config{MaxHashes: 1, HashWait: 10 * time.Millisecond})
	e.addUser("alice", RoleEmployee)
	srv := New(e.store, e.cfg)
	e.handler = srv.Handler()

	srv.hashes <- struct{}{} // another sign-in is being checked
	res := e.call("POST", "/auth/login", "", api.LoginRequest{Username: "alice", Password: "wrong"})
	e.apiErr(res, api.CodeServerBusy)
	if got := res.Header.Get("Retry-After"); got != "1" {
		t.Errorf("Retry-After = %q, want 1", got)
	}
	if f, err := e.store.PasswordFailures(context.Background(), "alice", "192.0.2.1"); err != nil || f.Count != 0 {
		t.Errorf("failures after a busy answer = %+v, %v; want none", f, err)
	}
	<-srv.hashes
	e.ok(e.call("POST", "/auth/login", "", api.LoginRequest{Username: "alice", Password: testPassword}), 200, nil)
}

func TestClientSourceTrustsOnlyConfiguredProxies(t *testing.T) {
	srv := New(openStore(t, t.TempDir()+"/selfservice.db"), Config{Secrets: testSecrets, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}})
	for _, c := range []struct{ remote, forwarded, want string }{
		{"198.51.100.1:443", "", "198.51.100.1"},
		{"198.51.100.1:443", "203.0.113.5", "198.51.100.1"}, // not a proxy: the header is the client's own
		{"10.1.1.1:443", "203.0.113.5", "203.0.113.5"},
		{"10.1.1.1:443", "6.6.6.6, 203.0.113.5, 10.2.2.2", "203.0.113.5"}, // the nearest hop not a proxy
		{"10.1.1.1:443", "garbage, 203.0.113.5", "203.0.113.5"},
		{"[2001:db8::1]:443", "", "2001:db8::/64"},
		{"[::ffff:198.51.100.1]:443", "", "198.51.100.1"},
	} {
		r := httptest.NewRequest("POST", "/", nil)
		r.RemoteAddr = c.remote
		if c.forwarded != "" {
			r.Header.Set("X-Forwarded-For", c.forwarded)
		}
		if got := srv.clientSource(r); got != c.want {
			t.Errorf("from %s forwarded for %q: source %q, want %q", c.remote, c.forwarded, got, c.want)
		}
	}
}

// Anyone can answer a passwordless sign-in naming a user's key: such
// failures never lock the key.
func TestPasswordlessFailuresDoNotLockTheKey(t *testing.T) {
	e := newEnvWith(t, Config{MaxFailures: 3})
	u, _, session := e.userWithToken("alice", RoleEmployee)
	key := newKey(t, hw.FormatPacked)
	tok := e.enrollKey(session, templatePasskey, key)
	begin := func() api.PasswordlessResponse {
		var p api.PasswordlessResponse
		e.ok(e.call("POST", "/auth/passwordless", "", nil), 200, &p)
		return p
	}
	// The key's real answer, but to another sign-in's challenge.
	answer := func(signed, sent api.PasswordlessResponse) response {
		return e.call("POST", "/auth/passwordless/"+sent.LoginID+"/verify", "", api.PasswordlessVerifyRequest{WebAuthn: sign(t, key, signed.WebAuthn, "")})
	}
	for range 5 {
		e.apiErr(answer(begin(), begin()), api.CodeWebAuthnInvalid)
	}
	if got := e.token(u.ID, tok.ID).Failures; got.Count != 0 || !got.LockedUntil.IsZero() {
		t.Errorf("key failures after bad passwordless answers = %+v, want none", got)
	}
	p := begin()
	e.ok(answer(p, p), 200, nil)
}

// URIs for phones carry the configured public address, never the Host
// header a caller sent; without one, push and QR sign-in are off.
func TestPhoneURIsNeedThePublicURL(t *testing.T) {
	e := newEnv(t)
	_, _, session := e.userWithToken("alice", RoleEmployee)
	req := httptest.NewRequest("POST", api.BasePath+"/auth/qr", nil)
	req.Host = "evil.example"
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	var qr api.QRLoginResponse
	e.ok(response{Status: rec.Code, Body: rec.Body.Bytes()}, 200, &qr)
	if got := uriParam(t, qr.URI, "login", "server"); got != testPublicURL {
		t.Errorf("server in the QR code = %q, want %q whatever the Host header", got, testPublicURL)
	}

	cfg := e.cfg
	cfg.PublicURL = ""
	e.handler = New(e.store, cfg).Handler()
	e.apiErr(e.call("POST", "/auth/qr", "", nil), api.CodeNotSupported)
	var templates api.TemplatesResponse
	e.ok(e.call("GET", "/token-templates", session, nil), 200, &templates)
	for _, tpl := range templates.Templates {
		if tpl.Type == api.TypePush {
			t.Errorf("template %s offered without a public address", tpl.ID)
		}
	}
	e.apiErr(e.call("POST", "/tokens", session, api.CreateTokenRequest{TemplateID: templatePush}), api.CodeNotSupported)
}
