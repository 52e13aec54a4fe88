package server

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"selfservice/api"
	"selfservice/hw"
)

// activity lists the caller's sign-in attempts, newest first.
func (e *env) activity(session string) []api.SignInAttempt {
	e.t.Helper()
	var out api.ActivityResponse
	e.ok(e.call("GET", "/account/activity?limit=200", session, nil), 200, &out)
	return out.Attempts
}

// attempts writes attempts as "method result" lines, oldest first.
func attempts(list []api.SignInAttempt) []string {
	var out []string
	for _, a := range slices.Backward(list) {
		out = append(out, string(a.Method)+" "+string(a.Result))
	}
	return out
}

func TestActivityRecordsEachAttemptOfAKnownUser(t *testing.T) {
	e := newEnvWith(t, Config{MaxFailures: 3})
	e.headers.Set(api.DeviceHeader, "Selfservice 1.2 on Linux (build-07)")
	u := e.addUser("alice", RoleEmployee)
	tok := e.addToken(u.ID, templateTOTP, api.StatusActive)
	var secrets []string // what was tried: none of it may be stored

	// A wrong password; a wrong code, then the right one.
	e.apiErr(e.call("POST", "/auth/login", "", api.LoginRequest{Username: "alice", Password: "not-her-password"}), api.CodeInvalidCredentials)
	e.clock.Advance(30 * time.Second)
	l := e.login("alice")
	right := e.totp(tok, 0)
	wrong := otherCode(right)
	e.apiErr(e.call("POST", "/auth/login/"+l.LoginID+"/verify", "", api.VerifyLoginRequest{TokenID: tok.ID, OTP: wrong}), api.CodeOTPInvalid)
	var signed api.SessionResponse
	e.ok(e.call("POST", "/auth/login/"+l.LoginID+"/verify", "", api.VerifyLoginRequest{TokenID: tok.ID, OTP: right}), 200, &signed)
	secrets = append(secrets, "not-her-password", testPassword, wrong, right, signed.SessionToken, l.LoginID)

	// A wrong emergency access code.
	code := api.NormalizeEmergencyCode(e.issueCode("alice", time.Hour, 1))
	wrongEmergency := strings.Repeat("A", len(code))
	if wrongEmergency == code {
		wrongEmergency = strings.Repeat("B", len(code))
	}
	l = e.login("alice")
	e.apiErr(e.call("POST", "/auth/login/"+l.LoginID+"/verify", "", api.VerifyLoginRequest{TokenID: api.EmergencyTokenID, EmergencyCode: wrongEmergency}), api.CodeOTPInvalid)
	secrets = append(secrets, code, wrongEmergency)

	// Wrong passwords from elsewhere lock that source, for the right one too.
	const elsewhere = "203.0.113.5:4000"
	for range 2 {
		e.apiErr(e.callFrom(elsewhere, "POST", "/auth/login", "", api.LoginRequest{Username: "alice", Password: "guess-1"}), api.CodeInvalidCredentials)
	}
	e.apiErr(e.callFrom(elsewhere, "POST", "/auth/login", "", api.LoginRequest{Username: "alice", Password: "guess-1"}), api.CodeTooManyAttempts)
	e.apiErr(e.callFrom(elsewhere, "POST", "/auth/login", "", api.LoginRequest{Username: "alice", Password: testPassword}), api.CodeTooManyAttempts)

	// Unknown usernames record nothing, locked or not.
	before := e.countRows("sign_in_activity")
	for range 4 {
		e.callFrom(elsewhere, "POST", "/auth/login", "", api.LoginRequest{Username: "mallory", Password: "guess-2"})
	}
	if n := e.countRows("sign_in_activity"); n != before {
		t.Errorf("attempts at an unknown username added %d rows", n-before)
	}

	got := e.activity(signed.SessionToken)
	want := []string{
		"password wrong_password", "totp wrong_code", "totp success", "emergency wrong_code",
		"password wrong_password", "password wrong_password", "password locked", "password locked",
	}
	if !slices.Equal(attempts(got), want) {
		t.Fatalf("activity %v, want %v", attempts(got), want)
	}
	for i, a := range got {
		wantIP := "192.0.2.1"
		if i < 4 {
			wantIP = "203.0.113.5"
		}
		if a.IP != wantIP || a.Device != "Selfservice 1.2 on Linux (build-07)" || a.ID == "" || a.At.IsZero() || a.ReportedAt != nil {
			t.Errorf("attempt %d %+v: want its source %s, device, id and time", i, a, wantIP)
		}
	}

	rows, err := e.query(`SELECT ` + signInColumns + ` FROM sign_in_activity`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		rec, err := scanSignIn(rows)
		if err != nil {
			t.Fatal(err)
		}
		stored := fmt.Sprintf("%+v", rec)
		for _, secret := range secrets {
			if strings.Contains(stored, secret) {
				t.Errorf("a stored attempt %s holds %q", stored, secret)
			}
		}
	}
}

func TestSignInRefusesABadDeviceName(t *testing.T) {
	e := newEnv(t)
	e.addUser("alice", RoleEmployee)
	for _, name := range []string{strings.Repeat("x", api.MaxDeviceLen+1), "laptop\x1b[31m"} {
		e.headers.Set(api.DeviceHeader, name)
		got := e.apiErr(e.call("POST", "/auth/login", "", api.LoginRequest{Username: "alice", Password: "wrong"}), api.CodeInvalidRequest)
		if got.FieldErrors()[api.DeviceHeader] == "" {
			t.Errorf("device %q: %+v names no %s", name, got, api.DeviceHeader)
		}
	}
	if n := e.countRows("sign_in_activity"); n != 0 {
		t.Errorf("refused requests recorded %d attempts", n)
	}
	e.headers.Set(api.DeviceHeader, strings.Repeat("é", api.MaxDeviceLen))
	e.apiErr(e.call("POST", "/auth/login", "", api.LoginRequest{Username: "alice", Password: "wrong"}), api.CodeInvalidCredentials)
}

func TestActivityIsBoundedAndPurged(t *testing.T) {
	e := newEnv(t)
	u, _, session := e.userWithToken("alice", RoleEmployee)
	ctx := context.Background()
	success := SignInRecord{ID: "success", UserID: u.ID, At: e.clock.Now().Add(-time.Hour), Method: api.MethodPassword, Result: api.ResultSuccess}
	if err := e.store.AddSignIn(ctx, success, activityKeep); err != nil {
		t.Fatal(err)
	}
	successes := e.countRows("sign_in_activity") // the sign-in of the session too
	for i := range activityKeep + 10 {
		err := e.store.AddSignIn(ctx, SignInRecord{ID: fmt.Sprint("old-", i), UserID: u.ID, At: e.clock.Now(),
			Method: api.MethodPassword, Result: api.ResultWrongPassword}, activityKeep)
		if err != nil {
			t.Fatal(err)
		}
	}
	got := e.activity(session)
	if len(got) != activityKeep || got[0].ID != fmt.Sprint("old-", activityKeep+9) || got[len(got)-1].ID != "old-10" {
		t.Fatalf("kept %d attempts, %s to %s; want the newest %d", len(got), got[0].ID, got[len(got)-1].ID, activityKeep)
	}
	if n := e.countRows("sign_in_activity"); n != activityKeep+successes {
		t.Errorf("%d rows stored, want %d failures and %d successes", n, activityKeep, successes)
	}
	if all, err := e.store.SignIns(ctx, u.ID, 2*activityKeep); err != nil || all[len(all)-1].ID != "success" {
		t.Errorf("the flood of failures pushed out the sign-in that succeeded (%v)", err)
	}
	var two api.ActivityResponse
	e.ok(e.call("GET", "/account/activity?limit=2", session, nil), 200, &two)
	if len(two.Attempts) != 2 || two.Attempts[0].ID != got[0].ID {
		t.Errorf("limit=2 gave %+v", two.Attempts)
	}
	for _, bad := range []string{"0", "201", "ten"} {
		err := e.apiErr(e.call("GET", "/account/activity?limit="+bad, session, nil), api.CodeInvalidRequest)
		if err.FieldErrors()["limit"] == "" {
			t.Errorf("limit=%s: %+v names no limit", bad, err)
		}
	}

	tok := e.addToken(u.ID, templateTOTP, api.StatusActive)
	e.clock.Advance(activityRetention - time.Hour)
	e.signIn("alice", tok)
	e.clock.Advance(2 * time.Hour)
	if err := e.store.PurgeExpired(ctx, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if got := attempts(e.activity(e.signIn("alice", tok))); !slices.Equal(got, []string{"totp success", "totp success"}) {
		t.Errorf("after the purge: %v; want only the attempts younger than %v", got, activityRetention)
	}
}

func TestReportSignsOutEverywhereAndTellsTheHelpdeskOnce(t *testing.T) {
	const helpdesk = "helpdesk@example.com"
	e := newEnvWith(t, Config{Tenant: Tenant{Sessions: TenantSessions{HelpdeskEmail: helpdesk}}})
	_, tok, laptop := e.userWithToken("alice", RoleEmployee)
	phone := e.signIn("alice", tok)
	_, _, bob := e.userWithToken("bob", RoleEmployee)
	e.headers.Set(api.DeviceHeader, "Unknown PC")
	e.apiErr(e.callFrom("203.0.113.5:4000", "POST", "/auth/login", "", api.LoginRequest{Username: "alice", Password: "guess"}), api.CodeInvalidCredentials)
	e.headers.Del(api.DeviceHeader)

	list := e.activity(phone)
	strange := list[0]
	if strange.Result != api.ResultWrongPassword || strange.IP != "203.0.113.5" {
		t.Fatalf("newest attempt %+v; want the wrong password from 203.0.113.5", strange)
	}
	// Bob cannot report alice's attempt.
	e.apiErr(e.call("POST", "/account/activity/"+strange.ID+"/report", bob, nil), api.CodeNotFound)
	if n := len(e.messagesTo(helpdesk)); n != 0 || !e.works(laptop) {
		t.Fatalf("bob's refused report sent %d messages or ended alice's session", n)
	}

	var out api.ReportResponse
	e.ok(e.call("POST", "/account/activity/"+strange.ID+"/report", phone, nil), 200, &out)
	if out != (api.ReportResponse{SignedOut: 2, HelpdeskTold: true}) {
		t.Errorf("report %+v; want both sessions ended and the helpdesk told", out)
	}
	if e.works(laptop) || e.works(phone) {
		t.Error("a session survived the report")
	}
	if !e.works(bob) {
		t.Error("alice's report ended bob's session")
	}
	msgs := e.messagesTo(helpdesk)
	if len(msgs) != 1 {
		t.Fatalf("%d messages to the helpdesk, want 1", len(msgs))
	}
	for _, want := range []string{"alice", "203.0.113.5", "Unknown PC", "wrong_password", strange.At.UTC().Format("2006-01-02 15:04:05")} {
		if !strings.Contains(msgs[0].Body, want) {
			t.Errorf("the notice %q does not say %q", msgs[0].Body, want)
		}
	}

	// Signed in again, the attempt shows as reported, and reporting it
	// again is refused and tells nobody.
	again := e.signIn("alice", tok)
	var reported *api.SignInAttempt
	for _, a := range e.activity(again) {
		if a.ID == strange.ID {
			reported = &a
		}
	}
	if reported == nil || reported.ReportedAt == nil {
		t.Fatalf("the attempt after the report: %+v; want reported_at", reported)
	}
	e.apiErr(e.call("POST", "/account/activity/"+strange.ID+"/report", again, nil), api.CodeConflict)
	if n := len(e.messagesTo(helpdesk)); n != 1 || !e.works(again) {
		t.Errorf("a repeated report sent %d messages in all or ended the session", n)
	}
}

func TestReportWithoutAHelpdeskAddressIsLogged(t *testing.T) {
	e := newEnv(t)
	_, _, session := e.userWithToken("alice", RoleEmployee)
	attempt := e.activity(session)[0]
	var out api.ReportResponse
	e.ok(e.call("POST", "/account/activity/"+attempt.ID+"/report", session, nil), 200, &out)
	if out != (api.ReportResponse{SignedOut: 1}) || e.works(session) {
		t.Errorf("report %+v; want the session ended and nobody told", out)
	}
	if e.countRows("outbox") != 0 || !strings.Contains(e.logs.String(), "level=WARN msg=\"Sign-in reported by its user as not theirs\"") {
		t.Errorf("want no message and a warning in the log:\n%s", e.logs.String())
	}
}

func TestActivityRecordsKeysAndPushes(t *testing.T) {
	e := newEnv(t)
	_, _, session := e.userWithToken("alice", RoleEmployee)
	key := newKey(t, hw.FormatPacked)
	tok := e.enrollKey(session, templateKey, key)
	loginID, opts := e.keyChallenge("alice", tok.ID)
	e.apiErr(e.call("POST", "/auth/login/"+loginID+"/verify", "", api.VerifyLoginRequest{TokenID: tok.ID, WebAuthn: sign(t, key, opts, "https://evil.localhost")}), api.CodeWebAuthnInvalid)
	loginID, opts = e.keyChallenge("alice", tok.ID)
	e.ok(e.call("POST", "/auth/login/"+loginID+"/verify", "", api.VerifyLoginRequest{TokenID: tok.ID, WebAuthn: sign(t, key, opts, "")}), 200, nil)
	if got := attempts(e.activity(session)); !slices.Equal(got, []string{"totp success", "fido2 key_refused", "fido2 success"}) {
		t.Errorf("alice's activity %v", got)
	}

	_, _, bobSession, phone := e.pushUser("bob")
	l := e.login("bob")
	pushID := e.pushChallenge("/auth/login/"+l.LoginID+"/challenge", "", api.LoginChallengeRequest{TokenID: phone.deviceID})
	phone.answer(phone.only(), api.PushDeny)
	e.apiErr(e.call("POST", "/auth/login/"+l.LoginID+"/verify", "", api.VerifyLoginRequest{TokenID: phone.deviceID, PushID: pushID}), api.CodePushDenied)
	loginID, req := e.beginQR()
	phone.answer(req, api.PushDeny)
	e.apiErr(e.verifyQR(loginID), api.CodePushDenied)
	loginID, req = e.beginQR()
	phone.answer(req, api.PushApprove)
	e.ok(e.verifyQR(loginID), 200, nil)
	if got := attempts(e.activity(bobSession)); !slices.Equal(got[len(got)-3:], []string{"push denied", "qr denied", "qr success"}) {
		t.Errorf("bob's activity %v; want the refused push, then the QR sign-ins", got)
	}
}
