package server

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"selfservice/api"
	"selfservice/server/notify"
)

func newCapsEnv(t *testing.T, cfg Config) *env {
	files := notify.NewFileSender(t.TempDir())
	cfg.EmailSender, cfg.SMSSender = files, files
	return newEnvWith(t, cfg)
}

// phone is the n-th of distinct numbers, so that the per-recipient
// throttle never stops them first.
func phone(n int) string { return fmt.Sprintf("+491511234%04d", n) }

// TestSMSPumpingIsCappedPerUser: enrolling a pending SMS token sends its
// activation code; deleting it and enrolling again, to new numbers each
// time, stops at the user's daily cap, whatever became of the tokens.
func TestSMSPumpingIsCappedPerUser(t *testing.T) {
	e := newCapsEnv(t, Config{DailySMSPerUser: 3})
	e.addUser("sam", RoleEmployee)
	var session string
	enroll := func(n int) response {
		session = e.enrollingSession("sam") // the hours between the tries end each session
		return e.call("POST", "/tokens", session, api.CreateTokenRequest{TemplateID: smsTemplate, Address: phone(n)})
	}
	for n := range 3 {
		var created api.CreateTokenResponse
		e.ok(enroll(n), 201, &created)
		e.ok(e.call("DELETE", "/tokens/"+created.Token.ID, session, nil), 204, nil)
		e.clock.Advance(time.Hour)
	}
	res := enroll(3)
	e.apiErr(res, api.CodeMessageLimit)
	// The oldest of the three leaves the window 24 h after it was sent, 21 h from now.
	if got, want := res.Header.Get("Retry-After"), strconv.Itoa(21*3600); got != want {
		t.Errorf("Retry-After = %q, want %s", got, want)
	}
	if got := e.countRows("outbox"); got != 3 {
		t.Errorf("%d messages in the outbox, want the 3 under the cap", got)
	}
	var tokens api.TokensResponse
	e.ok(e.call("GET", "/tokens", session, nil), 200, &tokens)
	if len(tokens.Tokens) != 0 {
		t.Errorf("the refused enrollment left tokens: %+v", tokens.Tokens)
	}

	// An email is counted apart; a day after the first SMS, one SMS is free again.
	var email api.CreateTokenResponse
	e.ok(e.call("POST", "/tokens", session, api.CreateTokenRequest{TemplateID: emailTemplate, Address: "sam@example.com"}), 201, &email)
	e.ok(e.call("DELETE", "/tokens/"+email.Token.ID, session, nil), 204, nil)
	e.clock.Advance(21 * time.Hour)
	e.ok(enroll(4), 201, nil)
	e.apiErr(enroll(5), api.CodeMessageLimit)
}

// TestSignInCodesAreCappedPerUser: asking again and again for a sign-in
// code, on several tokens, stops at the cap too.
func TestSignInCodesAreCappedPerUser(t *testing.T) {
	e := newCapsEnv(t, Config{DailySMSPerUser: 2})
	u := e.addUser("dana", RoleEmployee)
	a := e.addCodeToken(u.ID, smsTemplate, phone(1), api.StatusActive)
	b := e.addCodeToken(u.ID, smsTemplate, phone(2), api.StatusActive)
	ask := func(tok TokenRecord) response {
		l := e.login("dana")
		return e.call("POST", "/auth/login/"+l.LoginID+"/challenge", "", api.LoginChallengeRequest{TokenID: tok.ID})
	}
	e.ok(ask(a), 200, nil)
	e.ok(ask(b), 200, nil)
	e.clock.Advance(time.Minute)
	e.apiErr(ask(a), api.CodeMessageLimit)
	e.apiErr(ask(b), api.CodeMessageLimit)
	if got := len(e.messagesTo(phone(1))) + len(e.messagesTo(phone(2))); got != 2 {
		t.Errorf("%d SMS sent, want 2", got)
	}
}

// TestDeploymentCapStopsEveryone: many users, each under their own cap,
// together reach the deployment's.
func TestDeploymentCapStopsEveryone(t *testing.T) {
	e := newCapsEnv(t, Config{DailySMS: 4})
	for n := range 5 {
		name := fmt.Sprintf("user%d", n)
		e.addUser(name, RoleEmployee)
		res := e.call("POST", "/tokens", e.enrollingSession(name), api.CreateTokenRequest{TemplateID: smsTemplate, Address: phone(n)})
		if n < 4 {
			e.ok(res, 201, nil)
			continue
		}
		if err := e.apiErr(res, api.CodeMessageLimit); err.Message == "" || res.Header.Get("Retry-After") == "" {
			t.Errorf("refusal %+v, Retry-After %q; want a message and when to try again", err, res.Header.Get("Retry-After"))
		}
	}
	if logs := e.logs.String(); !strings.Contains(logs, "Daily message cap of the deployment reached") || !strings.Contains(logs, "channel=sms") {
		t.Errorf("the log does not tell the operator:\n%s", logs)
	}
}

// TestAddressChangeNoticeGoesOutAtTheCap: the notice to the old address
// tells of a change already confirmed (its code used up), so it counts
// but is never refused; the next message is.
func TestAddressChangeNoticeGoesOutAtTheCap(t *testing.T) {
	e := newCapsEnv(t, Config{DailySMSPerUser: 1})
	u, _, session := e.userWithToken("alice", RoleEmployee)
	tok := e.addCodeToken(u.ID, smsTemplate, phone(1), api.StatusActive)
	path := "/tokens/" + tok.ID + "/address"

	e.ok(e.call("PUT", path, session, api.ChangeAddressRequest{Address: phone(2)}), 200, nil)
	e.ok(e.call("POST", path+"/confirm", session, api.OTPRequest{OTP: e.sentCode(phone(2))}), 200, nil)
	if msgs := e.messagesTo(phone(1)); len(msgs) != 1 {
		t.Fatalf("%d messages to the old number, want the notice", len(msgs))
	}
	e.clock.Advance(time.Minute)
	e.apiErr(e.call("PUT", path, session, api.ChangeAddressRequest{Address: phone(3)}), api.CodeMessageLimit)
}

// TestDailyCapSlidesOverTheLast24Hours: each message frees its place 24
// hours after it was sent, the oldest first.
func TestDailyCapSlidesOverTheLast24Hours(t *testing.T) {
	e := newCapsEnv(t, Config{DailySMSPerUser: 2})
	u := e.addUser("dana", RoleEmployee)
	a := e.addCodeToken(u.ID, smsTemplate, phone(1), api.StatusActive)
	ask := func() response {
		l := e.login("dana")
		return e.call("POST", "/auth/login/"+l.LoginID+"/challenge", "", api.LoginChallengeRequest{TokenID: a.ID})
	}
	e.ok(ask(), 200, nil) // at 0 h
	e.clock.Advance(10 * time.Hour)
	e.ok(ask(), 200, nil) // at 10 h
	e.clock.Advance(10 * time.Hour)
	res := ask()
	e.apiErr(res, api.CodeMessageLimit)
	if got := res.Header.Get("Retry-After"); got != strconv.Itoa(4*3600) {
		t.Errorf("Retry-After = %s, want 4 hours: the first message leaves the window at 24 h", got)
	}
	e.clock.Advance(4*time.Hour + time.Second)
	e.ok(ask(), 200, nil)
	e.clock.Advance(time.Minute)
	e.apiErr(ask(), api.CodeMessageLimit)
}
