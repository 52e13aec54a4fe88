package server

import (
	"testing"
	"time"

	"selfservice/api"
)

// secondInstance is another server on e's database, with its own store
// (its own connections) and the same settings and clock, as a second
// process behind the same load balancer would be.
func (e *env) secondInstance() *env {
	e.t.Helper()
	other := *e
	other.store = openStore(e.t, e.path)
	other.handler = New(other.store, e.cfg).Handler()
	return &other
}

// TestInstancesShareTheirState runs two servers on one database (on
// PostgreSQL when the suite does): what one starts the other finishes,
// and what protects users holds on both.
func TestInstancesShareTheirState(t *testing.T) {
	a := newEnv(t)
	b := a.secondInstance()
	u, tok, _ := a.userWithToken("alice", RoleEmployee)
	a.clock.Advance(30 * time.Second)

	// A sign-in begun on one finishes on the other, whose session both know.
	var l api.LoginResponse
	a.ok(a.call("POST", "/auth/login", "", api.LoginRequest{Username: "alice", Password: testPassword}), 200, &l)
	var sess api.SessionResponse
	b.ok(b.call("POST", "/auth/login/"+l.LoginID+"/verify", "", api.VerifyLoginRequest{TokenID: tok.ID, OTP: a.totp(tok, 0)}), 200, &sess)
	for _, e := range []*env{a, b} {
		var me api.MeResponse
		e.ok(e.call("GET", "/me", sess.SessionToken, nil), 200, &me)
		if me.User.ID != u.ID {
			t.Errorf("GET /me = %+v; want alice on both servers", me.User)
		}
	}

	// The code just used is used on both.
	a.ok(a.call("POST", "/auth/login", "", api.LoginRequest{Username: "alice", Password: testPassword}), 200, &l)
	a.apiErr(a.call("POST", "/auth/login/"+l.LoginID+"/verify", "", api.VerifyLoginRequest{TokenID: tok.ID, OTP: a.totp(tok, 0)}), api.CodeOTPReplayed)

	// Wrong passwords spread over both servers lock the source out of both.
	const attacker = "198.51.100.66:5000"
	wrong := api.LoginRequest{Username: "alice", Password: "not the password"}
	for i := range 4 {
		e := []*env{a, b}[i%2]
		e.apiErr(e.callFrom(attacker, "POST", "/auth/login", "", wrong), api.CodeInvalidCredentials)
	}
	a.apiErr(a.callFrom(attacker, "POST", "/auth/login", "", wrong), api.CodeTooManyAttempts)
	b.apiErr(b.callFrom(attacker, "POST", "/auth/login", "", api.LoginRequest{Username: "alice", Password: testPassword}), api.CodeTooManyAttempts)

	// Signing out on one ends the session on the other.
	b.ok(b.call("POST", "/auth/logout", sess.SessionToken, nil), 204, nil)
	a.apiErr(a.call("GET", "/me", sess.SessionToken, nil), api.CodeUnauthenticated)
}
