package server

import (
	"testing"
	"time"

	"selfservice/api"
)

// TestPushRequestsCannotFloodThePhone: whoever has the password can start
// sign-ins at will, so asking the phone again waits CodeResend, and a new
// question for the same sign-in replaces the one still waiting.
func TestPushRequestsCannotFloodThePhone(t *testing.T) {
	e := newEnv(t)
	_, _, _, phone := e.pushUser("alice")
	e.clock.Advance(time.Minute)
	l := e.login("alice")
	challenge := "/auth/login/" + l.LoginID + "/challenge"
	first := e.pushChallenge(challenge, "", api.LoginChallengeRequest{TokenID: phone.deviceID})

	res := e.call("POST", challenge, "", api.LoginChallengeRequest{TokenID: phone.deviceID})
	e.apiErr(res, api.CodeResendTooSoon)
	if got := res.Header.Get("Retry-After"); got != "20" {
		t.Errorf("Retry-After = %q, want 20", got)
	}
	other := e.login("alice") // another sign-in is throttled as well
	e.apiErr(e.call("POST", "/auth/login/"+other.LoginID+"/challenge", "", api.LoginChallengeRequest{TokenID: phone.deviceID}), api.CodeResendTooSoon)

	e.clock.Advance(20 * time.Second)
	second := e.pushChallenge(challenge, "", api.LoginChallengeRequest{TokenID: phone.deviceID})
	if req := phone.only(); req.ID != second {
		t.Fatalf("the phone lists %s, want only the new request %s", req.ID, second)
	}
	verify := "/auth/login/" + l.LoginID + "/verify"
	e.apiErr(e.call("POST", verify, "", api.VerifyLoginRequest{TokenID: phone.deviceID, PushID: first}), api.CodePushExpired)
	phone.answer(phone.only(), api.PushApprove)
	e.ok(e.call("POST", verify, "", api.VerifyLoginRequest{TokenID: phone.deviceID, PushID: second}), 200, nil)
}
