package server

import (
	"context"
	"testing"
	"time"

	"selfservice/api"
)

// beginQR starts a QR sign-in and returns its login id and the request
// the QR code holds.
func (e *env) beginQR() (string, api.PushRequest) {
	e.t.Helper()
	var out api.QRLoginResponse
	e.ok(e.call("POST", "/auth/qr", "", nil), 200, &out)
	if out.LoginID == "" || !out.ExpiresAt.Equal(e.clock.Now().Add(2*time.Minute)) {
		e.t.Fatalf("QR sign-in = %+v; want a login id expiring in 2 minutes", out)
	}
	if got := uriParam(e.t, out.URI, "login", "server"); got != testPublicURL {
		e.t.Errorf("server in the QR code = %q, want the public URL", got)
	}
	req := api.PushRequest{ID: uriParam(e.t, out.URI, "login", "request"), Challenge: uriParam(e.t, out.URI, "login", "challenge")}
	if req.ID == "" || req.Challenge == "" {
		e.t.Fatalf("QR code %q lacks the request or its challenge", out.URI)
	}
	return out.LoginID, req
}

func (e *env) verifyQR(loginID string) response {
	e.t.Helper()
	return e.call("POST", "/auth/qr/"+loginID+"/verify", "", nil)
}

func TestQRSignIn(t *testing.T) {
	e := newEnv(t)
	u, _, _, phone := e.pushUser("alice")
	e.clock.Advance(time.Minute)
	loginID, req := e.beginQR()
	e.apiErr(e.verifyQR(loginID), api.CodePushPending)
	if got := phone.pending(); len(got) != 0 {
		t.Errorf("a QR sign-in is listed on the phone: %+v; only the screen shows it", got)
	}
	phone.answer(req, api.PushApprove)
	// A second answer, even from the same phone, is refused.
	e.apiErr(phone.answerCall(phone.key, req.ID, req.Challenge, api.PushDeny, api.PushDeny), api.CodeInvalidState)

	var sess api.SessionResponse
	e.ok(e.verifyQR(loginID), 200, &sess)
	var me api.MeResponse
	e.ok(e.call("GET", "/me", sess.SessionToken, nil), 200, &me)
	if me.User.ID != u.ID || me.User.Enrollment != api.EnrollmentFull {
		t.Errorf("signed in as %+v, want alice", me.User)
	}
	if got := e.token(u.ID, phone.deviceID).LastUsedAt; !got.Equal(e.clock.Now()) {
		t.Errorf("push token last used %v, want now", got)
	}
	e.apiErr(e.verifyQR(loginID), api.CodePushExpired)
	e.apiErr(e.verifyQR("not-a-login"), api.CodePushExpired)
}

func TestQRSignInBindsToThePhoneThatAnswers(t *testing.T) {
	e := newEnv(t)
	_, _, _, alice := e.pushUser("alice")
	bob, _, _, bobPhone := e.pushUser("bob")
	loginID, req := e.beginQR()
	bobPhone.answer(req, api.PushApprove)
	e.apiErr(alice.answerCall(alice.key, req.ID, req.Challenge, api.PushApprove, api.PushApprove), api.CodeNotFound)
	var sess api.SessionResponse
	e.ok(e.verifyQR(loginID), 200, &sess)
	var me api.MeResponse
	e.ok(e.call("GET", "/me", sess.SessionToken, nil), 200, &me)
	if me.User.ID != bob.ID {
		t.Errorf("signed in as %s, want bob, whose phone answered", me.User.Username)
	}
}

func TestQRSignInDenied(t *testing.T) {
	e := newEnv(t)
	_, _, _, phone := e.pushUser("alice")
	loginID, req := e.beginQR()
	phone.answer(req, api.PushDeny)
	e.apiErr(e.verifyQR(loginID), api.CodePushDenied)
	e.apiErr(e.verifyQR(loginID), api.CodePushExpired)
}

func TestQRSignInExpires(t *testing.T) {
	e := newEnv(t)
	_, _, _, phone := e.pushUser("alice")
	loginID, req := e.beginQR()
	e.clock.Advance(2 * time.Minute)
	e.apiErr(phone.answerCall(phone.key, req.ID, req.Challenge, api.PushApprove, api.PushApprove), api.CodePushExpired)
	e.apiErr(e.verifyQR(loginID), api.CodePushExpired)

	// Approved but collected too late.
	loginID, req = e.beginQR()
	phone.answer(req, api.PushApprove)
	e.clock.Advance(2 * time.Minute)
	e.apiErr(e.verifyQR(loginID), api.CodePushExpired)
}

func TestQRSignInNeedsAnUsableToken(t *testing.T) {
	e := newEnv(t)
	u, _, session, phone := e.pushUser("alice")

	// A DISABLED token's phone cannot answer.
	e.ok(e.call("POST", "/tokens/"+phone.deviceID+"/disable", session, nil), 200, nil)
	loginID, req := e.beginQR()
	e.apiErr(phone.answerCall(phone.key, req.ID, req.Challenge, api.PushApprove, api.PushApprove), api.CodeDeviceInvalid)
	e.apiErr(e.verifyQR(loginID), api.CodePushPending)
	e.ok(e.call("POST", "/tokens/"+phone.deviceID+"/enable", session, nil), 200, nil)

	// A locked token signs nobody in, and keeps the approval until the
	// lock ends.
	phone.answer(req, api.PushApprove)
	_, err := e.store.UpdateToken(context.Background(), u.ID, phone.deviceID, func(t *TokenRecord, _ int) error {
		t.Failures.LockedUntil = e.clock.Now().Add(time.Minute)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	e.apiErr(e.verifyQR(loginID), api.CodeTooManyAttempts)
	e.clock.Advance(time.Minute)
	e.ok(e.verifyQR(loginID), 200, nil)
}

func TestParallelQRVerifiesGiveOneSession(t *testing.T) {
	e := newEnv(t)
	_, _, _, phone := e.pushUser("alice")
	loginID, req := e.beginQR()
	phone.answer(req, api.PushApprove)
	statuses := parallel(8, func() int { return e.verifyQR(loginID).Status })
	if statuses[200] != 1 || statuses[401] != 7 {
		t.Errorf("parallel verifies answered %v; want one session and 7 push_expired", statuses)
	}
}
