package server

import (
	"context"
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"selfservice/api"
	"selfservice/server/notify"
)

// newPushEnv is a server that can send emails and SMS (into files).
func newPushEnv(t *testing.T) *env {
	files := notify.NewFileSender(t.TempDir())
	return newEnvWith(t, Config{EmailSender: files, SMSSender: files})
}

func TestPushEnrollmentAndProvisioningIsSingleUse(t *testing.T) {
	e := newEnv(t)
	u, _, session := e.userWithToken("alice", RoleEmployee)
	var created api.CreateTokenResponse
	e.ok(e.call("POST", "/tokens", session, api.CreateTokenRequest{TemplateID: templatePush}), 201, &created)
	if created.Token.Status != api.StatusPending || created.Push == nil {
		t.Fatalf("enrollment = %+v; want a PENDING token with a provisioning payload", created)
	}
	if want := e.clock.Now().Add(10 * time.Minute); !created.Push.ExpiresAt.Equal(want) {
		t.Errorf("payload expires at %v, want %v", created.Push.ExpiresAt, want)
	}
	uri := created.Push.URI
	if got := uriParam(t, uri, "provision", "server"); got != testPublicURL {
		t.Errorf("server in the URI = %q, want the public URL", got)
	}
	if got := uriParam(t, uri, "provision", "user"); got != "alice" {
		t.Errorf("user in the URI = %q, want alice", got)
	}
	code := uriParam(t, uri, "provision", "code")
	if raw, err := base64URLLen(code); err != nil || raw < 16 {
		t.Errorf("code %q has %d random bytes (%v); want at least 16", code, raw, err)
	}
	if strings.Contains(e.logs.String(), code) {
		t.Error("the provisioning code is in the logs")
	}

	// An emergency code issued meanwhile is deactivated when the phone
	// activates the token.
	e.issueCode("alice", time.Hour, 1)
	key := newPhoneKey(t)
	var reg api.DeviceRegistrationResponse
	e.ok(e.registerPhoneWith(key, uri, "Alice's phone"), 201, &reg)
	if reg.DeviceID != created.Token.ID || reg.Username != "alice" || reg.Label != created.Token.Label {
		t.Errorf("registration = %+v; want the token %s of alice", reg, created.Token.ID)
	}
	tok := e.token(u.ID, created.Token.ID)
	if tok.Status != api.StatusActive || tok.Description != "Alice's phone" {
		t.Errorf("token after registration: %s %q; want ACTIVE named after the phone", tok.Status, tok.Description)
	}
	active, err := e.store.EmergencyCode(context.Background(), u.ID)
	if err == nil {
		t.Errorf("the emergency code is still active after the phone activated the token: %+v", active)
	}
	var reason string
	if err := e.queryRow(`SELECT deactivate_reason FROM emergency_codes WHERE user_id = ?`, u.ID).Scan(&reason); err != nil {
		t.Fatal(err)
	}
	if got := reason; got != ReasonTokenActivated {
		t.Errorf("emergency code deactivated for %q, want %q", got, ReasonTokenActivated)
	}

	// The code works once.
	e.apiErr(e.registerPhoneWith(newPhoneKey(t), uri, "Mallory's phone"), api.CodeProvisioningInvalid)
	e.apiErr(e.call("POST", "/push/devices", "", api.DeviceRegistration{Code: "not-a-code", PublicKey: publicKeyB64(t, &key.PublicKey), DeviceName: "x"}), api.CodeProvisioningInvalid)

	// An active push token gets no new payload.
	e.apiErr(e.call("POST", "/tokens/"+tok.ID+"/provisioning", session, api.ProvisioningRequest{}), api.CodeInvalidState)
}

// base64URLLen is the number of bytes an unpadded base64url string (the
// form of random tokens) holds.
func base64URLLen(s string) (int, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	return len(raw), err
}

func TestPushProvisioningExpires(t *testing.T) {
	e := newEnv(t)
	_, totp, session := e.userWithToken("alice", RoleEmployee)
	var created api.CreateTokenResponse
	e.ok(e.call("POST", "/tokens", session, api.CreateTokenRequest{TemplateID: templatePush}), 201, &created)
	e.clock.Advance(10 * time.Minute)
	e.apiErr(e.registerPhoneWith(newPhoneKey(t), created.Push.URI, "Late phone"), api.CodeProvisioningInvalid)

	// Purged with the other expired things; a new payload works.
	if err := e.store.PurgeExpired(context.Background(), e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if n := e.countRows("push_provisioning"); n != 0 {
		t.Errorf("%d provisioning codes left after the purge, want 0", n)
	}
	// A new payload lets whoever reads it sign in as alice: from a session
	// older than RecentAuth it needs a step-up, like the enrollment.
	renew := "/tokens/" + created.Token.ID + "/provisioning"
	step, ok := api.ApprovalRequired(e.apiErr(e.call("POST", renew, session, api.ProvisioningRequest{}), api.CodeApprovalRequired))
	if !ok {
		t.Fatal("no approval details")
	}
	e.ok(e.call("POST", "/approvals/"+step.ApprovalID+"/verify", session, api.VerifyApprovalRequest{TokenID: totp.ID, OTP: e.totp(totp, 0)}), 200, nil)
	var renewed api.ProvisioningResponse
	e.ok(e.callApproved("POST", renew, session, step.ApprovalID, api.ProvisioningRequest{}), 200, &renewed)
	e.apiErr(e.callApproved("POST", renew, session, step.ApprovalID, api.ProvisioningRequest{}), api.CodeApprovalUsed)
	e.registerPhone(renewed.Push.URI)
}

// countRows counts the rows of a table.
func (e *env) countRows(table string) int {
	e.t.Helper()
	var n int
	if err := e.queryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func TestRenewedProvisioningReplacesTheOldCode(t *testing.T) {
	e := newEnv(t)
	_, _, session := e.userWithToken("alice", RoleEmployee)
	var created api.CreateTokenResponse
	e.ok(e.call("POST", "/tokens", session, api.CreateTokenRequest{TemplateID: templatePush}), 201, &created)
	var renewed api.ProvisioningResponse
	e.ok(e.call("POST", "/tokens/"+created.Token.ID+"/provisioning", session, api.ProvisioningRequest{}), 200, &renewed)
	if renewed.Push.URI == created.Push.URI || renewed.SentTo != "" {
		t.Fatalf("renewed payload = %+v; want a new URI, sent nowhere", renewed)
	}
	e.apiErr(e.registerPhoneWith(newPhoneKey(t), created.Push.URI, "Phone"), api.CodeProvisioningInvalid)
	e.registerPhone(renewed.Push.URI)

	// Only the caller's PENDING push tokens have payloads.
	_, _, other := e.userWithToken("bob", RoleEmployee)
	e.apiErr(e.call("POST", "/tokens/"+created.Token.ID+"/provisioning", other, api.ProvisioningRequest{}), api.CodeNotFound)
	totp := e.enroll(session, templateTOTP)
	e.apiErr(e.call("POST", "/tokens/"+totp.Token.ID+"/provisioning", session, api.ProvisioningRequest{}), api.CodeNotSupported)
}

func TestPushEnrollmentNeedsAnotherMethodFirst(t *testing.T) {
	e := newEnv(t)
	e.addUser("newbie", RoleEmployee)
	session := e.enrollingSession("newbie")
	e.apiErr(e.call("POST", "/tokens", session, api.CreateTokenRequest{TemplateID: templatePush}), api.CodeEnrollmentRequired)

	// And at most one (the template's limit).
	_, _, full, _ := e.pushUser("alice")
	e.apiErr(e.call("POST", "/tokens", full, api.CreateTokenRequest{TemplateID: templatePush}), api.CodeTemplateLimit)
}

func TestPushEnrollmentNeedsARecentSignIn(t *testing.T) {
	e := newEnv(t)
	u, totp, session := e.userWithToken("alice", RoleEmployee)
	e.clock.Advance(10 * time.Minute) // the session is still open, but no longer recent
	req := api.CreateTokenRequest{TemplateID: templatePush, Description: "Work phone"}
	step, ok := api.ApprovalRequired(e.apiErr(e.call("POST", "/tokens", session, req), api.CodeApprovalRequired))
	if !ok {
		t.Fatal("approval_required without a step-up")
	}
	if n := len(e.tokensOf(u.ID)); n != 1 {
		t.Fatalf("%d tokens after the refused enrollment, want 1", n)
	}
	// Not confirmed yet: refused.
	e.apiErr(e.callApproved("POST", "/tokens", session, step.ApprovalID, req), api.CodeApprovalInvalid)
	e.clock.Advance(30 * time.Second)
	e.ok(e.call("POST", "/approvals/"+step.ApprovalID+"/verify", session, api.VerifyApprovalRequest{TokenID: totp.ID, OTP: e.totp(totp, 0)}), 200, nil)
	// Confirmed for another enrollment: refused.
	other := api.CreateTokenRequest{TemplateID: templatePush, Description: "Other phone"}
	e.apiErr(e.callApproved("POST", "/tokens", session, step.ApprovalID, other), api.CodeApprovalInvalid)
	var created api.CreateTokenResponse
	e.ok(e.callApproved("POST", "/tokens", session, step.ApprovalID, req), 201, &created)
	if created.Push == nil {
		t.Fatalf("enrollment after the step-up = %+v; want a provisioning payload", created)
	}
	// The confirmation was used up with it.
	e.ok(e.call("DELETE", "/tokens/"+created.Token.ID, session, nil), 204, nil)
	e.apiErr(e.callApproved("POST", "/tokens", session, step.ApprovalID, req), api.CodeApprovalUsed)
}

// tokensOf lists a user's tokens from the store.
func (e *env) tokensOf(userID string) []TokenRecord {
	e.t.Helper()
	tokens, err := e.store.Tokens(context.Background(), userID)
	if err != nil {
		e.t.Fatal(err)
	}
	return tokens
}

func TestProvisioningByEmailCarriesTheQRCode(t *testing.T) {
	if _, err := exec.LookPath("zbarimg"); err != nil {
		t.Skip("zbarimg (zbar-tools) is not installed")
	}
	e := newPushEnv(t)
	_, _, session := e.userWithToken("alice", RoleEmployee)
	created := e.enroll(session, templatePush)
	var out api.ProvisioningResponse
	e.ok(e.call("POST", "/tokens/"+created.Token.ID+"/provisioning", session,
		api.ProvisioningRequest{Channel: api.ChannelEmail, Address: " alice@Example.COM "}), 200, &out)
	if out.SentTo != "a•••@example.com" {
		t.Errorf("sent to %q, want the masked address", out.SentTo)
	}
	var subject, body, attachmentType string
	var png []byte
	err := e.queryRow(`SELECT subject, body, attachment_type, attachment FROM outbox WHERE channel = 'email' AND recipient = ?`,
		"alice@example.com").Scan(&subject, &body, &attachmentType, &png)
	if err != nil {
		t.Fatalf("the email is not in the outbox: %v", err)
	}
	if !strings.Contains(body, out.Push.URI) || subject == "" || attachmentType != "image/png" {
		t.Errorf("email %q / %q with a %s attachment; want the link in the text and a PNG", subject, body, attachmentType)
	}
	file := filepath.Join(t.TempDir(), "qr.png")
	if err := os.WriteFile(file, png, 0o600); err != nil {
		t.Fatal(err)
	}
	decoded, err := exec.Command("zbarimg", "--quiet", "--raw", file).Output()
	if err != nil {
		t.Fatalf("zbarimg could not read the attached QR code: %v", err)
	}
	if got := strings.TrimSpace(string(decoded)); got != out.Push.URI {
		t.Errorf("the QR code says %q, want %q", got, out.Push.URI)
	}
	e.registerPhone(out.Push.URI)
}

func TestProvisioningBySMSCarriesTheLink(t *testing.T) {
	e := newPushEnv(t)
	_, _, session := e.userWithToken("alice", RoleEmployee)
	created := e.enroll(session, templatePush)
	var out api.ProvisioningResponse
	e.ok(e.call("POST", "/tokens/"+created.Token.ID+"/provisioning", session,
		api.ProvisioningRequest{Channel: api.ChannelSMS, Address: "+49 151 1234 5678"}), 200, &out)
	if out.SentTo != "+49 •••• ••78" {
		t.Errorf("sent to %q, want the masked number", out.SentTo)
	}
	var channel, body string
	err := e.queryRow(`SELECT channel, body FROM outbox WHERE recipient = ?`, "+4915112345678").Scan(&channel, &body)
	if err != nil || channel != notify.ChannelSMS || !strings.Contains(body, out.Push.URI) {
		t.Fatalf("message to the phone: %s %q (%v); want one SMS with the link %s", channel, body, err, out.Push.URI)
	}
	if strings.Contains(e.logs.String(), uriParam(t, out.Push.URI, "provision", "code")) {
		t.Error("the provisioning code is in the logs")
	}

	// A wrong address or an unknown channel says what to fix.
	e.apiErr(e.call("POST", "/tokens/"+created.Token.ID+"/provisioning", session,
		api.ProvisioningRequest{Channel: api.ChannelSMS, Address: "0151 1234"}), api.CodeInvalidRequest)
	e.apiErr(e.call("POST", "/tokens/"+created.Token.ID+"/provisioning", session,
		api.ProvisioningRequest{Channel: "fax", Address: "123"}), api.CodeInvalidRequest)
}

func TestProvisioningWithoutSenderIsUnavailable(t *testing.T) {
	e := newEnv(t) // no senders
	_, _, session := e.userWithToken("alice", RoleEmployee)
	created := e.enroll(session, templatePush)
	for _, req := range []api.ProvisioningRequest{
		{Channel: api.ChannelEmail, Address: "alice@example.com"},
		{Channel: api.ChannelSMS, Address: "+4915112345678"},
	} {
		e.apiErr(e.call("POST", "/tokens/"+created.Token.ID+"/provisioning", session, req), api.CodeDeliveryUnavailable)
	}
	if n := e.countRows("outbox"); n != 0 {
		t.Errorf("%d messages in the outbox, want none", n)
	}
}

func TestProvisioningURIUsesThePublicURL(t *testing.T) {
	e := newEnvWith(t, Config{PublicURL: "https://id.example.org/"})
	_, _, session := e.userWithToken("alice", RoleEmployee)
	created := e.enroll(session, templatePush)
	if got := uriParam(t, created.Push.URI, "provision", "server"); got != "https://id.example.org" {
		t.Errorf("server in the URI = %q, want the public URL", got)
	}
}

func TestDeviceKeyMustBeP256(t *testing.T) {
	e := newEnv(t)
	_, _, session := e.userWithToken("alice", RoleEmployee)
	created := e.enroll(session, templatePush)
	code := uriParam(t, created.Push.URI, "provision", "code")
	for name, key := range map[string]string{
		"P-384":      publicKeyB64(t, &newP384Key(t).PublicKey),
		"not a key":  "bm90IGEga2V5",
		"not base64": "***",
	} {
		res := e.call("POST", "/push/devices", "", api.DeviceRegistration{Code: code, PublicKey: key, DeviceName: "Phone"})
		if fields := e.apiErr(res, api.CodeInvalidRequest).FieldErrors(); fields["public_key"] == "" {
			t.Errorf("%s: fields %v; want public_key", name, fields)
		}
	}
	// The refusals did not use the code up.
	e.registerPhone(created.Push.URI)
}

func TestPhoneSignaturesAreChecked(t *testing.T) {
	e := newEnv(t)
	_, _, _, phone := e.pushUser("alice")
	_, _, _, other := e.pushUser("bob")
	l := e.login("alice")
	e.pushChallenge("/auth/login/"+l.LoginID+"/challenge", "", api.LoginChallengeRequest{TokenID: phone.deviceID})
	req := phone.only()
	if req.Kind != api.PushSignIn || req.Summary != "Sign in as alice" || req.Challenge == "" {
		t.Errorf("pending request = %+v; want alice's sign-in", req)
	}
	if len(other.pending()) != 0 {
		t.Error("bob's phone lists alice's request")
	}

	// The list: wrong key, unknown device, stale or future timestamps.
	e.apiErr(phone.pendingCall(other.key, 0), api.CodeDeviceInvalid)
	unknown := &testPhone{e: e, key: phone.key, deviceID: "no-such-device"}
	e.apiErr(unknown.pendingCall(phone.key, 0), api.CodeDeviceInvalid)
	e.apiErr(phone.pendingCall(phone.key, -6*60), api.CodeInvalidRequest)
	e.apiErr(phone.pendingCall(phone.key, 6*60), api.CodeInvalidRequest)
	e.ok(phone.pendingCall(phone.key, -4*60), 200, nil)

	// The answer: wrong key, tampered decision, another device.
	e.apiErr(phone.answerCall(other.key, req.ID, req.Challenge, api.PushApprove, api.PushApprove), api.CodeDeviceInvalid)
	e.apiErr(phone.answerCall(phone.key, req.ID, req.Challenge, api.PushApprove, api.PushDeny), api.CodeDeviceInvalid)
	e.apiErr(phone.answerCall(phone.key, req.ID, "another-challenge", api.PushApprove, api.PushApprove), api.CodeDeviceInvalid)
	e.apiErr(other.answerCall(other.key, req.ID, req.Challenge, api.PushApprove, api.PushApprove), api.CodeNotFound)
	e.apiErr(phone.answerCall(phone.key, "no-such-request", req.Challenge, api.PushApprove, api.PushApprove), api.CodeNotFound)
	if got := phone.only(); got.ID != req.ID {
		t.Fatalf("the refused answers changed the request: pending %+v", got)
	}

	// A right answer, then the same answer replayed.
	phone.answer(req, api.PushApprove)
	e.apiErr(phone.answerCall(phone.key, req.ID, req.Challenge, api.PushApprove, api.PushApprove), api.CodeInvalidState)
	if len(phone.pending()) != 0 {
		t.Error("an answered request is still listed")
	}
	if logs := e.logs.String(); strings.Contains(logs, req.Challenge) {
		t.Error("the challenge is in the logs")
	}
}

func TestDisabledOrDeletedPushTokenHasNoDevice(t *testing.T) {
	e := newEnv(t)
	u, _, session, phone := e.pushUser("alice")
	e.ok(e.call("POST", "/tokens/"+phone.deviceID+"/disable", session, nil), 200, nil)
	e.apiErr(phone.pendingCall(phone.key, 0), api.CodeDeviceInvalid)
	e.ok(e.call("POST", "/tokens/"+phone.deviceID+"/enable", session, nil), 200, nil)
	e.ok(phone.pendingCall(phone.key, 0), 200, nil)
	e.ok(e.call("DELETE", "/tokens/"+phone.deviceID, session, nil), 204, nil)
	e.apiErr(phone.pendingCall(phone.key, 0), api.CodeDeviceInvalid)
	if n := len(e.tokensOf(u.ID)); n != 1 {
		t.Errorf("%d tokens left, want 1", n)
	}
}

func TestSignInWithPush(t *testing.T) {
	e := newEnv(t)
	u, _, _, phone := e.pushUser("alice")
	e.clock.Advance(time.Minute)
	l := e.login("alice")
	var offered bool
	for _, m := range l.Methods {
		offered = offered || (m.TokenID == phone.deviceID && m.Type == api.TypePush)
	}
	if !offered {
		t.Fatalf("methods %+v do not offer the push token", l.Methods)
	}
	verify := "/auth/login/" + l.LoginID + "/verify"
	pushID := e.pushChallenge("/auth/login/"+l.LoginID+"/challenge", "", api.LoginChallengeRequest{TokenID: phone.deviceID})

	// Polled before the answer: pending, which counts as no failure.
	for range 6 {
		e.apiErr(e.call("POST", verify, "", api.VerifyLoginRequest{TokenID: phone.deviceID, PushID: pushID}), api.CodePushPending)
	}
	// A code is no proof for a push token.
	e.apiErr(e.call("POST", verify, "", api.VerifyLoginRequest{TokenID: phone.deviceID, OTP: "123456"}), api.CodeInvalidRequest)

	req := phone.only()
	if req.ID != pushID {
		t.Fatalf("the phone lists %s, want %s", req.ID, pushID)
	}
	phone.answer(req, api.PushApprove)
	var sess api.SessionResponse
	e.ok(e.call("POST", verify, "", api.VerifyLoginRequest{TokenID: phone.deviceID, PushID: pushID}), 200, &sess)
	var me api.MeResponse
	e.ok(e.call("GET", "/me", sess.SessionToken, nil), 200, &me)
	if me.User.ID != u.ID {
		t.Errorf("signed in as %+v, want alice", me.User)
	}
	if got := e.token(u.ID, phone.deviceID).LastUsedAt; !got.Equal(e.clock.Now()) {
		t.Errorf("push token last used %v, want now", got)
	}
	// The login and the answer are used up.
	e.apiErr(e.call("POST", verify, "", api.VerifyLoginRequest{TokenID: phone.deviceID, PushID: pushID}), api.CodeLoginExpired)
}

func TestDeniedPushCountsAgainstTheLogin(t *testing.T) {
	e := newEnvWith(t, Config{MaxFailures: 2})
	u, _, _, phone := e.pushUser("alice")
	l := e.login("alice")
	verify := "/auth/login/" + l.LoginID + "/verify"
	for i := range 2 {
		pushID := e.pushChallenge("/auth/login/"+l.LoginID+"/challenge", "", api.LoginChallengeRequest{TokenID: phone.deviceID})
		phone.answer(phone.only(), api.PushDeny)
		want := api.CodePushDenied
		if i == 1 {
			want = api.CodeTooManyAttempts // the last refusal says the sign-in is over
		}
		e.apiErr(e.call("POST", verify, "", api.VerifyLoginRequest{TokenID: phone.deviceID, PushID: pushID}), want)
		if i == 0 {
			// Told once: polling again does not count twice.
			e.apiErr(e.call("POST", verify, "", api.VerifyLoginRequest{TokenID: phone.deviceID, PushID: pushID}), api.CodePushExpired)
		}
	}
	// Two refusals used the login up; the token is not locked by them.
	err := e.apiErr(e.call("POST", "/auth/login/"+l.LoginID+"/challenge", "", api.LoginChallengeRequest{TokenID: phone.deviceID}), api.CodeTooManyAttempts)
	if lock, _ := api.LockOf(err); lock.Scope != api.LockSignIn || !lock.Until.IsZero() {
		t.Errorf("lock %+v; want the sign-in's, with nothing to wait for", lock)
	}
	if f := e.token(u.ID, phone.deviceID).Failures; f.Count != 0 || !f.LockedUntil.IsZero() {
		t.Errorf("push token failures %+v; refusals count against the login only", f)
	}
}

func TestUnansweredPushExpires(t *testing.T) {
	e := newEnv(t)
	_, _, _, phone := e.pushUser("alice")
	l := e.login("alice")
	pushID := e.pushChallenge("/auth/login/"+l.LoginID+"/challenge", "", api.LoginChallengeRequest{TokenID: phone.deviceID})
	req := phone.only()
	e.clock.Advance(2 * time.Minute)
	if got := phone.pending(); len(got) != 0 {
		t.Errorf("expired requests are listed: %+v", got)
	}
	e.apiErr(phone.answerCall(phone.key, req.ID, req.Challenge, api.PushApprove, api.PushApprove), api.CodePushExpired)
	e.apiErr(e.call("POST", "/auth/login/"+l.LoginID+"/verify", "", api.VerifyLoginRequest{TokenID: phone.deviceID, PushID: pushID}), api.CodePushExpired)

	if err := e.store.PurgeExpired(context.Background(), e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if n := e.countRows("push_requests"); n != 0 {
		t.Errorf("%d push requests left after the purge, want 0", n)
	}
}

func TestPushApprovalFinishesOnlyItsOwnLogin(t *testing.T) {
	e := newEnv(t)
	_, _, _, phone := e.pushUser("alice")
	first, second := e.login("alice"), e.login("alice")
	pushID := e.pushChallenge("/auth/login/"+first.LoginID+"/challenge", "", api.LoginChallengeRequest{TokenID: phone.deviceID})
	phone.answer(phone.only(), api.PushApprove)

	// The approval of the first login finishes neither the second login,
	// nor a step-up, nor a test.
	e.apiErr(e.call("POST", "/auth/login/"+second.LoginID+"/verify", "", api.VerifyLoginRequest{TokenID: phone.deviceID, PushID: pushID}), api.CodePushExpired)
	e.ok(e.call("POST", "/auth/login/"+first.LoginID+"/verify", "", api.VerifyLoginRequest{TokenID: phone.deviceID, PushID: pushID}), 200, nil)
}

func TestPushApprovalFinishesOnlyItsOwnToken(t *testing.T) {
	e := newEnv(t)
	_, _, _, alice := e.pushUser("alice")
	_, _, bobSession, bob := e.pushUser("bob")
	l := e.login("alice")
	pushID := e.pushChallenge("/auth/login/"+l.LoginID+"/challenge", "", api.LoginChallengeRequest{TokenID: alice.deviceID})
	alice.answer(alice.only(), api.PushApprove)
	e.apiErr(e.call("POST", "/tokens/"+bob.deviceID+"/test", bobSession, api.OTPRequest{PushID: pushID}), api.CodePushExpired)
}

func TestStepUpWithPush(t *testing.T) {
	e := newEnv(t)
	if err := SetApprovalPolicy(context.Background(), e.store, ApprovalPolicy{Operation: api.OpTokenDisable, Mode: api.ModeSelf}); err != nil {
		t.Fatal(err)
	}
	u, totp, session, phone := e.pushUser("alice")
	disable := "/tokens/" + totp.ID + "/disable"
	step, _ := api.ApprovalRequired(e.apiErr(e.call("POST", disable, session, nil), api.CodeApprovalRequired))
	pushID := e.pushChallenge("/approvals/"+step.ApprovalID+"/challenge", session, api.ApprovalChallengeRequest{TokenID: phone.deviceID})
	verify := "/approvals/" + step.ApprovalID + "/verify"
	e.apiErr(e.call("POST", verify, session, api.VerifyApprovalRequest{TokenID: phone.deviceID, PushID: pushID}), api.CodePushPending)
	req := phone.only()
	if req.Kind != api.PushApproval || req.Summary != "Confirm disabling a sign-in method" {
		t.Errorf("request = %+v; want the step-up with its summary", req)
	}
	phone.answer(req, api.PushApprove)
	var approval api.ApprovalResponse
	e.ok(e.call("POST", verify, session, api.VerifyApprovalRequest{TokenID: phone.deviceID, PushID: pushID}), 200, &approval)
	if approval.Approval.Status != api.ApprovalVerified {
		t.Fatalf("approval = %+v; want VERIFIED", approval.Approval)
	}
	e.ok(e.callApproved("POST", disable, session, step.ApprovalID, nil), 200, nil)
	if got := e.token(u.ID, totp.ID).Status; got != api.StatusDisabled {
		t.Errorf("TOTP token %s after the confirmed step-up, want DISABLED", got)
	}
}

func TestDeniedStepUpCountsAgainstTheApproval(t *testing.T) {
	e := newEnvWith(t, Config{MaxFailures: 1})
	if err := SetApprovalPolicy(context.Background(), e.store, ApprovalPolicy{Operation: api.OpTokenDisable, Mode: api.ModeSelf}); err != nil {
		t.Fatal(err)
	}
	_, totp, session, phone := e.pushUser("alice")
	step, _ := api.ApprovalRequired(e.apiErr(e.call("POST", "/tokens/"+totp.ID+"/disable", session, nil), api.CodeApprovalRequired))
	pushID := e.pushChallenge("/approvals/"+step.ApprovalID+"/challenge", session, api.ApprovalChallengeRequest{TokenID: phone.deviceID})
	phone.answer(phone.only(), api.PushDeny)
	e.apiErr(e.call("POST", "/approvals/"+step.ApprovalID+"/verify", session, api.VerifyApprovalRequest{TokenID: phone.deviceID, PushID: pushID}), api.CodePushDenied)
	e.apiErr(e.call("POST", "/approvals/"+step.ApprovalID+"/challenge", session, api.ApprovalChallengeRequest{TokenID: phone.deviceID}), api.CodeApprovalExpired)
}

func TestTestingThePushToken(t *testing.T) {
	e := newEnv(t)
	u, _, session, phone := e.pushUser("alice")
	e.clock.Advance(time.Minute)
	pushID := e.pushChallenge("/tokens/"+phone.deviceID+"/challenge", session, nil)
	req := phone.only()
	if req.Kind != api.PushTest || !strings.HasPrefix(req.Summary, "Test PUSH-") {
		t.Errorf("request = %+v; want a test of the token", req)
	}
	test := "/tokens/" + phone.deviceID + "/test"
	e.apiErr(e.call("POST", test, session, api.OTPRequest{PushID: pushID}), api.CodePushPending)
	phone.answer(req, api.PushApprove)
	e.ok(e.call("POST", test, session, api.OTPRequest{PushID: pushID}), 200, nil)
	if got := e.token(u.ID, phone.deviceID).LastUsedAt; !got.Equal(e.clock.Now()) {
		t.Errorf("last used %v, want now", got)
	}
	e.apiErr(e.call("POST", test, session, api.OTPRequest{PushID: pushID}), api.CodePushExpired)
}

func TestPendingPushTokenIsActivatedByThePhoneOnly(t *testing.T) {
	e := newEnv(t)
	u, _, session := e.userWithToken("alice", RoleEmployee)
	created := e.enroll(session, templatePush)
	id := created.Token.ID
	e.apiErr(e.call("POST", "/tokens/"+id+"/challenge", session, nil), api.CodeNotSupported)
	e.apiErr(e.call("POST", "/tokens/"+id+"/activate", session, api.OTPRequest{PushID: "anything"}), api.CodeNotSupported)
	if got := e.token(u.ID, id).Status; got != api.StatusPending {
		t.Errorf("status %s, want PENDING", got)
	}
}

func TestParallelVerifiesOfOneApprovalGiveOneSession(t *testing.T) {
	e := newEnv(t)
	_, _, _, phone := e.pushUser("alice")
	l := e.login("alice")
	pushID := e.pushChallenge("/auth/login/"+l.LoginID+"/challenge", "", api.LoginChallengeRequest{TokenID: phone.deviceID})
	phone.answer(phone.only(), api.PushApprove)
	statuses := parallel(8, func() int {
		return e.call("POST", "/auth/login/"+l.LoginID+"/verify", "", api.VerifyLoginRequest{TokenID: phone.deviceID, PushID: pushID}).Status
	})
	if n := statuses[200]; n != 1 {
		t.Errorf("%d of 8 parallel verifies signed in (%v), want exactly 1", n, statuses)
	}
}

// parallel runs call n times at once and counts the statuses it returned.
func parallel(n int, call func() int) map[int]int {
	results := make(chan int, n)
	start := make(chan struct{})
	for range n {
		go func() {
			<-start
			results <- call()
		}()
	}
	close(start)
	counts := map[int]int{}
	for range n {
		counts[<-results]++
	}
	return counts
}
