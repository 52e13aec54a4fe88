package server

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"selfservice/api"
)

func TestSignInTwoSteps(t *testing.T) {
	e := newEnv(t)
	u, tok, session := e.userWithToken("alice", RoleEmployee)

	var me api.MeResponse
	e.ok(e.call("GET", "/me", session, nil), 200, &me)
	if me.User.ID != u.ID || me.User.Username != "alice" || me.User.Enrollment != api.EnrollmentFull {
		t.Errorf("me.user = %+v, want alice with full enrollment", me.User)
	}
	if !api.Has(me.Privileges, api.PrivTokenEnroll) {
		t.Errorf("me.privileges = %v, want token_enroll among them", me.Privileges)
	}
	if got := e.token(u.ID, tok.ID).LastUsedAt; !got.Equal(e.clock.Now()) {
		t.Errorf("last used %v, want the sign-in time %v", got, e.clock.Now())
	}
}

func TestWrongPasswordAndUnknownUserAnswerAlike(t *testing.T) {
	e := newEnv(t)
	e.addUser("alice", RoleEmployee)
	wrong := e.call("POST", "/auth/login", "", api.LoginRequest{Username: "alice", Password: "not the password"})
	unknown := e.call("POST", "/auth/login", "", api.LoginRequest{Username: "mallory", Password: "not the password"})
	e.apiErr(wrong, api.CodeInvalidCredentials)
	e.apiErr(unknown, api.CodeInvalidCredentials)
	if string(wrong.Body) != string(unknown.Body) {
		t.Errorf("unknown user got %s, wrong password %s; want the same answer", unknown.Body, wrong.Body)
	}
}

func TestUsernameIsCaseAndSpaceInsensitive(t *testing.T) {
	e := newEnv(t)
	e.addUser("alice", RoleEmployee)
	res := e.call("POST", "/auth/login", "", api.LoginRequest{Username: "  Alice ", Password: testPassword})
	e.ok(res, 200, nil)
}

func TestPasswordLockout(t *testing.T) {
	for _, username := range []string{"alice", "nobody"} { // known and unknown users alike
		t.Run(username, func(t *testing.T) {
			e := newEnvWith(t, Config{MaxFailures: 3, Lockout: 2 * time.Minute})
			e.addUser("alice", RoleEmployee)
			bad := api.LoginRequest{Username: username, Password: "wrong password"}
			for i := 1; i < 3; i++ {
				e.apiErr(e.call("POST", "/auth/login", "", bad), api.CodeInvalidCredentials)
			}
			res := e.call("POST", "/auth/login", "", bad)
			e.apiErr(res, api.CodeTooManyAttempts)
			if got := res.Header.Get("Retry-After"); got != "120" {
				t.Errorf("Retry-After = %q, want 120", got)
			}

			// Locked: even the right password is refused, with the time left.
			e.clock.Advance(90 * time.Second)
			res = e.call("POST", "/auth/login", "", api.LoginRequest{Username: username, Password: testPassword})
			e.apiErr(res, api.CodeTooManyAttempts)
			if got := res.Header.Get("Retry-After"); got != "30" {
				t.Errorf("Retry-After = %q, want 30", got)
			}

			e.clock.Advance(30 * time.Second)
			res = e.call("POST", "/auth/login", "", api.LoginRequest{Username: username, Password: testPassword})
			if username == "alice" {
				e.ok(res, 200, nil)
			} else {
				e.apiErr(res, api.CodeInvalidCredentials)
			}
		})
	}
}

// staleFailures answers every lock check as if no attempt had failed
// yet: what requests see that pass the check while parallel requests with
// wrong passwords are still being hashed.
type staleFailures struct{ Store }

func (staleFailures) PasswordFailures(context.Context, string, string) (Failures, error) {
	return Failures{}, nil
}

func TestPasswordLockHoldsForRequestsAlreadyPastTheCheck(t *testing.T) {
	e := newEnvWith(t, Config{MaxFailures: 3, Lockout: time.Minute})
	e.addUser("alice", RoleEmployee)
	e.handler = New(staleFailures{e.store}, e.cfg).Handler()
	bad := api.LoginRequest{Username: "alice", Password: "wrong password"}
	for range 2 {
		e.apiErr(e.call("POST", "/auth/login", "", bad), api.CodeInvalidCredentials)
	}
	e.apiErr(e.call("POST", "/auth/login", "", bad), api.CodeTooManyAttempts)

	// Both answers during the lock are the same, or they would tell which
	// password is right.
	for _, password := range []string{testPassword, "another wrong one"} {
		res := e.call("POST", "/auth/login", "", api.LoginRequest{Username: "alice", Password: password})
		e.apiErr(res, api.CodeTooManyAttempts)
		if got := res.Header.Get("Retry-After"); got != "60" {
			t.Errorf("Retry-After = %q, want 60", got)
		}
	}
	e.clock.Advance(time.Minute)
	e.ok(e.call("POST", "/auth/login", "", api.LoginRequest{Username: "alice", Password: testPassword}), 200, nil)
}

func TestPasswordSuccessResetsFailures(t *testing.T) {
	e := newEnvWith(t, Config{MaxFailures: 3})
	e.addUser("alice", RoleEmployee)
	bad := api.LoginRequest{Username: "alice", Password: "wrong password"}
	good := api.LoginRequest{Username: "alice", Password: testPassword}
	for range 2 {
		e.apiErr(e.call("POST", "/auth/login", "", bad), api.CodeInvalidCredentials)
	}
	e.ok(e.call("POST", "/auth/login", "", good), 200, nil)
	for range 2 {
		e.apiErr(e.call("POST", "/auth/login", "", bad), api.CodeInvalidCredentials)
	}
	e.ok(e.call("POST", "/auth/login", "", good), 200, nil)
}

func TestLoginOffersActiveTokensOnly(t *testing.T) {
	e := newEnv(t)
	u := e.addUser("alice", RoleEmployee)
	active := e.addToken(u.ID, templateTOTP, api.StatusActive)
	e.addToken(u.ID, templateTOTP, api.StatusDisabled)
	e.addToken(u.ID, templateTOTP, api.StatusPending)
	hotp := e.addToken(u.ID, "hotp-app", api.StatusActive)

	l := e.login("alice")
	want := []api.LoginMethod{
		{TokenID: active.ID, Type: api.TypeTOTP, Label: active.Label},
		{TokenID: hotp.ID, Type: api.TypeHOTP, Label: hotp.Label},
	}
	if len(l.Methods) != len(want) || l.Methods[0] != want[0] || l.Methods[1] != want[1] {
		t.Errorf("methods = %+v, want %+v", l.Methods, want)
	}
	if len(l.LoginID) < 22 { // 16 random bytes in base64url
		t.Errorf("login_id %q is shorter than 128 bits", l.LoginID)
	}
	if l.SessionToken != "" || l.EnrollmentRequired {
		t.Errorf("login answered a session before the second step: %+v", l)
	}
}

func TestVerifyLogin(t *testing.T) {
	e := newEnvWith(t, Config{MaxFailures: 3})
	u := e.addUser("alice", RoleEmployee)
	tok := e.addToken(u.ID, templateTOTP, api.StatusActive)
	other := e.addUser("bob", RoleEmployee)
	otherTok := e.addToken(other.ID, templateTOTP, api.StatusActive)
	disabled := e.addToken(u.ID, templateTOTP, api.StatusDisabled)
	verify := func(loginID, tokenID, code string) response {
		return e.call("POST", "/auth/login/"+loginID+"/verify", "", api.VerifyLoginRequest{TokenID: tokenID, OTP: code})
	}

	t.Run("wrong code", func(t *testing.T) {
		l := e.login("alice")
		e.apiErr(verify(l.LoginID, tok.ID, "000000"), api.CodeOTPInvalid)
	})
	t.Run("code with a space", func(t *testing.T) {
		e.clock.Advance(30 * time.Second)
		l := e.login("alice")
		code := e.totp(tok, 0)
		e.ok(verify(l.LoginID, tok.ID, code[:3]+" "+code[3:]), 200, nil)
	})
	t.Run("replayed code", func(t *testing.T) {
		e.clock.Advance(30 * time.Second)
		code := e.totp(tok, 0)
		e.ok(verify(e.login("alice").LoginID, tok.ID, code), 200, nil)
		e.apiErr(verify(e.login("alice").LoginID, tok.ID, code), api.CodeOTPReplayed)
	})
	t.Run("login used once", func(t *testing.T) {
		e.clock.Advance(30 * time.Second)
		l := e.login("alice")
		e.ok(verify(l.LoginID, tok.ID, e.totp(tok, 0)), 200, nil)
		e.clock.Advance(30 * time.Second)
		e.apiErr(verify(l.LoginID, tok.ID, e.totp(tok, 0)), api.CodeLoginExpired)
	})
	t.Run("login expires", func(t *testing.T) {
		l := e.login("alice")
		e.clock.Advance(5*time.Minute + time.Second)
		e.apiErr(verify(l.LoginID, tok.ID, e.totp(tok, 0)), api.CodeLoginExpired)
	})
	t.Run("unknown login", func(t *testing.T) {
		e.apiErr(verify("made-up", tok.ID, e.totp(tok, 0)), api.CodeLoginExpired)
	})
	t.Run("another user's token", func(t *testing.T) {
		e.clock.Advance(30 * time.Second)
		l := e.login("alice")
		got := e.apiErr(verify(l.LoginID, otherTok.ID, e.totp(otherTok, 0)), api.CodeInvalidRequest)
		if got.FieldErrors()["token_id"] == "" {
			t.Errorf("fields = %v, want token_id", got.FieldErrors())
		}
	})
	t.Run("a token that is not ACTIVE", func(t *testing.T) {
		e.clock.Advance(30 * time.Second)
		l := e.login("alice")
		e.apiErr(verify(l.LoginID, disabled.ID, e.totp(disabled, 0)), api.CodeInvalidRequest)
	})
	t.Run("too many wrong codes use the login up", func(t *testing.T) {
		e.clock.Advance(30 * time.Second)
		l := e.login("alice")
		// Wrong codes against two tokens, so that no token locks first.
		second := e.addToken(u.ID, templateTOTP, api.StatusActive)
		e.apiErr(verify(l.LoginID, tok.ID, "000000"), api.CodeOTPInvalid)
		e.apiErr(verify(l.LoginID, second.ID, "000000"), api.CodeOTPInvalid)
		// The last wrong code says that the sign-in is over, and so does
		// every try after it: a lock, never an expiry.
		for _, code := range []string{"000000", e.totp(tok, 0)} {
			err := e.apiErr(verify(l.LoginID, tok.ID, code), api.CodeTooManyAttempts)
			if lock, _ := api.LockOf(err); lock.Scope != api.LockSignIn || !lock.Until.IsZero() {
				t.Errorf("lock %+v; want the sign-in's, nothing to wait for (no token is locked)", lock)
			}
		}
	})
}

func TestVerifyLoginTokenLockout(t *testing.T) {
	e := newEnvWith(t, Config{MaxFailures: 3, Lockout: 5 * time.Minute})
	u := e.addUser("alice", RoleEmployee)
	tok := e.addToken(u.ID, templateTOTP, api.StatusActive)
	verify := func(loginID, code string) response {
		return e.call("POST", "/auth/login/"+loginID+"/verify", "", api.VerifyLoginRequest{TokenID: tok.ID, OTP: code})
	}
	l := e.login("alice")
	e.apiErr(verify(l.LoginID, "000000"), api.CodeOTPInvalid)
	e.apiErr(verify(l.LoginID, "000000"), api.CodeOTPInvalid)
	res := verify(l.LoginID, "000000")
	err := e.apiErr(res, api.CodeTooManyAttempts)
	if got := res.Header.Get("Retry-After"); got != "300" {
		t.Errorf("Retry-After = %q, want 300", got)
	}
	until := e.clock.Now().Add(5 * time.Minute)
	// The sign-in is over, and says until when the token is locked.
	if lock, _ := api.LockOf(err); lock.Scope != api.LockSignIn || !lock.Until.Equal(until) {
		t.Errorf("lock %+v; want the sign-in's until %v", lock, until)
	}
	if strings.Contains(err.Message, "expired") {
		t.Errorf("message %q blames the time taken for a lock", err.Message)
	}
	// A sixth try on the same sign-in says the same, not that it expired.
	e.clock.Advance(10 * time.Second)
	err = e.apiErr(verify(l.LoginID, e.totp(tok, 0)), api.CodeTooManyAttempts)
	if lock, _ := api.LockOf(err); lock.Scope != api.LockSignIn || !lock.Until.Equal(until) {
		t.Errorf("lock %+v; want the sign-in's until %v", lock, until)
	}

	// A fresh login does not help: the token itself is locked.
	l = e.login("alice")
	res = verify(l.LoginID, e.totp(tok, 0))
	err = e.apiErr(res, api.CodeTooManyAttempts)
	if lock, _ := api.LockOf(err); lock.Scope != api.LockToken || !lock.Until.Equal(until) || res.Header.Get("Retry-After") != "290" {
		t.Errorf("lock %+v, Retry-After %s; want the token's until %v, 290", lock, res.Header.Get("Retry-After"), until)
	}

	e.clock.Advance(5 * time.Minute)
	l = e.login("alice")
	e.ok(verify(l.LoginID, e.totp(tok, 0)), 200, nil)
}

func TestSessionExpiry(t *testing.T) {
	e := newEnvWith(t, Config{SessionIdle: 30 * time.Minute, SessionAbsolute: 2 * time.Hour})
	u := e.addUser("alice", RoleEmployee)
	tok := e.addToken(u.ID, templateTOTP, api.StatusActive)

	t.Run("idle", func(t *testing.T) {
		session := e.signIn("alice", tok)
		e.clock.Advance(29 * time.Minute)
		e.ok(e.call("GET", "/me", session, nil), 200, nil) // slides the idle expiry
		e.clock.Advance(29 * time.Minute)
		e.ok(e.call("GET", "/me", session, nil), 200, nil)
		e.clock.Advance(30 * time.Minute)
		e.apiErr(e.call("GET", "/me", session, nil), api.CodeUnauthenticated)
	})
	t.Run("absolute", func(t *testing.T) {
		session := e.signIn("alice", tok)
		for range 4 {
			e.clock.Advance(25 * time.Minute)
			e.ok(e.call("GET", "/me", session, nil), 200, nil)
		}
		e.clock.Advance(20 * time.Minute) // 2 h after sign-in, though used 20 min ago
		e.apiErr(e.call("GET", "/me", session, nil), api.CodeUnauthenticated)
	})
	t.Run("expires_at is the sooner expiry", func(t *testing.T) {
		e.clock.Advance(30 * time.Second)
		l := e.login("alice")
		var s api.SessionResponse
		e.ok(e.call("POST", "/auth/login/"+l.LoginID+"/verify", "", api.VerifyLoginRequest{TokenID: tok.ID, OTP: e.totp(tok, 0)}), 200, &s)
		if want := e.clock.Now().Add(30 * time.Minute); !s.ExpiresAt.Equal(want) {
			t.Errorf("expires_at = %v, want the idle expiry %v", s.ExpiresAt, want)
		}
		rec, err := e.store.Session(context.Background(), hashToken(s.SessionToken))
		if err != nil {
			t.Fatal(err)
		}
		rec.IdleExpiresAt = rec.AbsoluteExpiresAt.Add(time.Minute)
		if !rec.ExpiresAt().Equal(rec.AbsoluteExpiresAt) {
			t.Errorf("ExpiresAt() = %v, want the absolute expiry %v", rec.ExpiresAt(), rec.AbsoluteExpiresAt)
		}
	})
}

func TestSessionTokenIsStoredHashed(t *testing.T) {
	e := newEnv(t)
	_, _, session := e.userWithToken("alice", RoleEmployee)
	if len(session) != 43 { // 32 bytes, base64url without padding
		t.Errorf("session token %d characters, want 43", len(session))
	}
	if _, err := e.store.Session(context.Background(), session); err == nil {
		t.Errorf("the session token itself is a key in the store; want only its hash")
	}
	if _, err := e.store.Session(context.Background(), hashToken(session)); err != nil {
		t.Errorf("no session under the token's hash: %v", err)
	}
}

func TestLogout(t *testing.T) {
	e := newEnv(t)
	_, tok, session := e.userWithToken("alice", RoleEmployee)
	other := e.signIn("alice", tok)
	e.ok(e.call("POST", "/auth/logout", session, nil), 204, nil)
	e.apiErr(e.call("GET", "/me", session, nil), api.CodeUnauthenticated)
	e.apiErr(e.call("POST", "/auth/logout", session, nil), api.CodeUnauthenticated)
	e.ok(e.call("GET", "/me", other, nil), 200, nil) // other sessions go on
}

func TestRolePrivileges(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		role string
		want []api.Privilege
	}{
		{RoleEmployee, slices.DeleteFunc(slices.Clone(api.AllPrivileges), func(p api.Privilege) bool {
			return p == api.PrivEmergencyIssue || p == api.PrivHardwareUnassign || p == api.PrivQuestionCheck
		})},
		{RoleHelpdesk, []api.Privilege{api.PrivTokenTemplateView, api.PrivTokenSync, api.PrivTokenTest, api.PrivTokenView,
			api.PrivMyApprovalsList, api.PrivMyApprovalsView, api.PrivMyApprovalsApprove, api.PrivMyApprovalsDecline,
			api.PrivProfileView, api.PrivProfileUpdate, api.PrivSessionsView, api.PrivSessionsManage,
			api.PrivEmergencyIssue, api.PrivHardwareUnassign, api.PrivQuestionCheck,
			api.PrivPrivacyView, api.PrivPrivacyUpdate}},
	}
	for _, tt := range tests {
		_, _, session := e.userWithToken("user-"+tt.role, tt.role)
		var me api.MeResponse
		e.ok(e.call("GET", "/me", session, nil), 200, &me)
		if !slices.Equal(me.Privileges, tt.want) {
			t.Errorf("%s privileges = %v, want %v", tt.role, me.Privileges, tt.want)
		}
		if me.User.Role != tt.role {
			t.Errorf("role = %q, want %q", me.User.Role, tt.role)
		}
	}
}

// TestUnknownUsersCostAPasswordCheck: the answer for an unknown user takes
// as long as for a wrong password because the password is checked against
// a hash of the same cost as the users' hashes.
func TestUnknownUsersCostAPasswordCheck(t *testing.T) {
	dummy, _, _, err := parseHash(New(nil, Config{Secrets: testSecrets}).dummyHash)
	if err != nil {
		t.Fatalf("the hash for unknown users: %v", err)
	}
	user, _, _, _ := parseHash(hashPassword("a user's password"))
	if dummy != user {
		t.Errorf("unknown users are checked with cost %+v, users with %+v; want the same", dummy, user)
	}
}

func TestSessionUseIsRecordedAtMostOnceAMinute(t *testing.T) {
	e := newEnvWith(t, Config{SessionIdle: 30 * time.Minute})
	_, _, session := e.userWithToken("alice", RoleEmployee)
	stored := func() SessionRecord {
		t.Helper()
		rec, err := e.store.Session(context.Background(), hashToken(session))
		if err != nil {
			t.Fatal(err)
		}
		return rec
	}
	signedIn := stored()

	e.clock.Advance(59 * time.Second)
	e.ok(e.call("GET", "/tokens", session, nil), 200, nil)
	if got := stored(); !got.LastSeenAt.Equal(signedIn.LastSeenAt) || !got.IdleExpiresAt.Equal(signedIn.IdleExpiresAt) {
		t.Errorf("a read 59 s after sign-in wrote the session: last seen %v, idle expiry %v; want them unchanged", got.LastSeenAt, got.IdleExpiresAt)
	}

	e.clock.Advance(time.Second)
	e.ok(e.call("GET", "/tokens", session, nil), 200, nil)
	if got, want := stored(), e.clock.Now(); !got.LastSeenAt.Equal(want) || !got.IdleExpiresAt.Equal(want.Add(30*time.Minute)) {
		t.Errorf("a read a minute after sign-in: last seen %v, idle expiry %v; want %v and 30 min later", got.LastSeenAt, got.IdleExpiresAt, want)
	}
}

// A read must not wait for the database's writer: with another
// connection holding SQLite's write lock, GET /tokens still answers.
func TestSQLiteReadsDoNotWaitForAWriter(t *testing.T) {
	sqliteOnly(t)
	e := newEnv(t)
	_, _, session := e.userWithToken("alice", RoleEmployee)
	e.clock.Advance(10 * time.Minute) // long enough for the session's use to be recorded once more
	e.ok(e.call("GET", "/tokens", session, nil), 200, nil)

	writer, err := e.store.db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	if _, err := writer.ExecContext(context.Background(), `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	defer writer.ExecContext(context.Background(), `ROLLBACK`) //nolint:errcheck

	done := make(chan response, 1)
	go func() { done <- e.call("GET", "/tokens", session, nil) }()
	select {
	case res := <-done:
		e.ok(res, 200, nil)
	case <-time.After(5 * time.Second):
		t.Fatal("GET /tokens waited for the writer: an authenticated read writes")
	}
}

// Expired rows are deleted by the server's background work, and the
// requests of a sign-in do not delete them.
func TestExpiredRowsArePurgedInTheBackground(t *testing.T) {
	e := newEnv(t)
	u, tok, _ := e.userWithToken("alice", RoleEmployee)
	ctx := context.Background()
	stale := LoginRecord{IDHash: hashToken("stale"), UserID: u.ID, ExpiresAt: e.clock.Now().Add(-time.Second)}
	if err := e.store.CreateLogin(ctx, stale); err != nil {
		t.Fatal(err)
	}
	e.signIn("alice", tok)
	if _, err := e.store.Login(ctx, stale.IDHash); err != nil {
		t.Fatalf("a sign-in purged the expired sign-in step (%v); want purges left to the background work", err)
	}

	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		New(e.store, e.cfg).Run(runCtx)
	}()
	defer func() { stop(); <-done }()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		_, err := e.store.Login(ctx, stale.IDHash)
		if errors.Is(err, ErrNotFound) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Run did not purge the expired sign-in step within 10 s (Login: %v)", err)
		}
	}
}
