package server

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"selfservice/api"
	"selfservice/server/notify"
)

// SMS and email tokens: codes sent through the outbox. The tests read
// each code from the outbox table, where the message waits for the
// worker (which does not run here).

const (
	smsTemplate   = "sms-otp"
	emailTemplate = "email-otp"
)

// newCodeEnv is a server that can send emails and text messages.
func newCodeEnv(t *testing.T) *env {
	files := notify.NewFileSender(t.TempDir())
	return newEnvWith(t, Config{EmailSender: files, SMSSender: files})
}

// addCodeToken gives a user an SMS or email token with an address,
// directly in the store.
func (e *env) addCodeToken(userID, templateID, address string, status api.TokenStatus) TokenRecord {
	e.t.Helper()
	tpl, err := e.store.Template(context.Background(), templateID)
	if err != nil {
		e.t.Fatalf("template %s: %v", templateID, err)
	}
	tok := newToken(userID, tpl, "", status, e.clock.Now())
	tok.Address = address
	if err := e.store.CreateToken(context.Background(), tok, 0); err != nil {
		e.t.Fatalf("CreateToken: %v", err)
	}
	return tok
}

// messagesTo lists the outbox's messages to an address, oldest first.
func (e *env) messagesTo(to string) []notify.Message {
	e.t.Helper()
	rows, err := e.query(`SELECT channel, recipient, subject, body FROM outbox WHERE recipient = ? ORDER BY rowid`, to)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []notify.Message
	for rows.Next() {
		var m notify.Message
		if err := rows.Scan(&m.Channel, &m.To, &m.Subject, &m.Body); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		e.t.Fatal(err)
	}
	return out
}

// lastMessageTo is the newest message to an address.
func (e *env) lastMessageTo(to string) notify.Message {
	e.t.Helper()
	msgs := e.messagesTo(to)
	if len(msgs) == 0 {
		e.t.Fatalf("no message to %s in the outbox", to)
	}
	return msgs[len(msgs)-1]
}

var sentCodePattern = regexp.MustCompile(`\b\d{6}\b`)

// sentCode reads the code of the newest message to an address.
func (e *env) sentCode(to string) string {
	e.t.Helper()
	m := e.lastMessageTo(to)
	code := sentCodePattern.FindString(m.Body)
	if code == "" {
		e.t.Fatalf("the message to %s holds no code: %q", to, m.Body)
	}
	return code
}

// otherCode is a 6-digit code that is not code.
func otherCode(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

// challenge asks for a code to be sent to a token through path and
// returns where it went.
func (e *env) challenge(path, session string, body any) api.CodeDelivery {
	e.t.Helper()
	var ch api.ChallengeResponse
	e.ok(e.call("POST", path, session, body), 200, &ch)
	if ch.Proof != api.ProofOTP || ch.Delivery == nil {
		e.t.Fatalf("challenge = %+v; want proof otp with a delivery", ch)
	}
	return *ch.Delivery
}

// emergencyReason is why the user's last emergency access code was
// deactivated ("" while it is active).
func (e *env) emergencyReason(userID string) string {
	e.t.Helper()
	var reason string
	err := e.queryRow(`SELECT deactivate_reason FROM emergency_codes WHERE user_id = ? ORDER BY created_at DESC LIMIT 1`, userID).Scan(&reason)
	if err != nil {
		e.t.Fatal(err)
	}
	return reason
}

func TestSMSTokenEnrollsAndActivatesWithItsFirstCode(t *testing.T) {
	e := newCodeEnv(t)
	u := e.addUser("sam", RoleEmployee)
	session := e.enrollingSession("sam")

	var created api.CreateTokenResponse
	e.ok(e.call("POST", "/tokens", session, api.CreateTokenRequest{TemplateID: smsTemplate, Address: " +49 (151) 1234-5678"}), 201, &created)
	now := e.clock.Now()
	want := api.CodeDelivery{Channel: api.ChannelSMS, SentTo: "+49 •••• ••78", ExpiresAt: now.Add(5 * time.Minute), ResendAt: now.Add(20 * time.Second)}
	if created.Delivery == nil || *created.Delivery != want {
		t.Fatalf("delivery = %+v; want %+v", created.Delivery, want)
	}
	if created.Token.Status != api.StatusPending || created.Token.Address != "+4915112345678" || created.Provisioning != nil {
		t.Fatalf("token = %+v; want PENDING at +4915112345678, no provisioning", created.Token)
	}
	sms := e.messagesTo("+4915112345678")
	if len(sms) != 1 || sms[0].Channel != notify.ChannelSMS {
		t.Fatalf("messages = %+v; want one SMS", sms)
	}
	if !regexp.MustCompile(`^\d{6} is your Selfservice code\. It expires in 5 minutes\. Never share it\.$`).MatchString(sms[0].Body) {
		t.Errorf("SMS text = %q", sms[0].Body)
	}
	code := e.sentCode("+4915112345678")

	e.issueCode("sam", time.Hour, 1) // activation deactivates it
	path := "/tokens/" + created.Token.ID + "/activate"
	e.apiErr(e.call("POST", path, session, api.OTPRequest{OTP: otherCode(code)}), api.CodeOTPInvalid)

	// Asking again sends a new activation code, which replaces the first.
	e.clock.Advance(20 * time.Second)
	e.challenge("/tokens/"+created.Token.ID+"/challenge", session, nil)
	if next := e.sentCode("+4915112345678"); next != code {
		e.apiErr(e.call("POST", path, session, api.OTPRequest{OTP: code}), api.CodeOTPInvalid)
		code = next
	}
	var out api.TokenResponse
	e.ok(e.call("POST", path, session, api.OTPRequest{OTP: code}), 200, &out)
	if out.Token.Status != api.StatusActive {
		t.Errorf("status = %s; want ACTIVE", out.Token.Status)
	}
	if got := e.emergencyReason(u.ID); got != ReasonTokenActivated {
		t.Errorf("emergency code deactivated for %q; want %q", got, ReasonTokenActivated)
	}
	if logs := e.logs.String(); strings.Contains(logs, code) {
		t.Errorf("the log holds the code:\n%s", logs)
	}
}

func TestCodeEnrollmentNeedsAnAddress(t *testing.T) {
	e := newCodeEnv(t)
	_, _, session := e.userWithToken("alice", RoleEmployee)
	for _, c := range []struct{ template, address, example string }{
		{smsTemplate, "", "+4915112345678"},
		{smsTemplate, "0151 12345678", "+4915112345678"},
		{smsTemplate, "alice@example.com", "+4915112345678"},
		{emailTemplate, "", "name@example.com"},
		{emailTemplate, "alice", "name@example.com"},
		{emailTemplate, "Alice <alice@example.com>", "name@example.com"},
	} {
		res := e.call("POST", "/tokens", session, api.CreateTokenRequest{TemplateID: c.template, Address: c.address})
		got := e.apiErr(res, api.CodeInvalidRequest).FieldErrors()["address"]
		if !strings.Contains(got, c.example) {
			t.Errorf("%s with %q: address error %q; want one that shows %s", c.template, c.address, got, c.example)
		}
	}
	tokens, err := e.store.Tokens(context.Background(), e.token2user(session))
	if err != nil || len(tokens) != 1 {
		t.Errorf("tokens = %d, %v; want only the TOTP token", len(tokens), err)
	}

	var created api.CreateTokenResponse
	e.ok(e.call("POST", "/tokens", session, api.CreateTokenRequest{TemplateID: emailTemplate, Address: "  Alice.Smith@Example.COM "}), 201, &created)
	if created.Token.Address != "Alice.Smith@example.com" || created.Delivery.SentTo != "A•••@example.com" || created.Delivery.Channel != api.ChannelEmail {
		t.Errorf("token %+v, delivery %+v; want Alice.Smith@example.com, masked", created.Token, created.Delivery)
	}
}

// token2user is the user of a session.
func (e *env) token2user(session string) string {
	e.t.Helper()
	var me api.MeResponse
	e.ok(e.call("GET", "/me", session, nil), 200, &me)
	return me.User.ID
}

func TestSignInWithSentCode(t *testing.T) {
	for _, c := range []struct {
		template, address, hint string
	}{
		{smsTemplate, "+4915112345678", "+49 •••• ••78"},
		{emailTemplate, "dana@example.com", "d•••@example.com"},
	} {
		t.Run(c.template, func(t *testing.T) {
			e := newCodeEnv(t)
			u := e.addUser("dana", RoleEmployee)
			tok := e.addCodeToken(u.ID, c.template, c.address, api.StatusActive)

			l := e.login("dana")
			if len(l.Methods) != 1 || l.Methods[0].TokenID != tok.ID || l.Methods[0].Hint != c.hint {
				t.Fatalf("methods = %+v; want the token with hint %s", l.Methods, c.hint)
			}
			d := e.challenge("/auth/login/"+l.LoginID+"/challenge", "", api.LoginChallengeRequest{TokenID: tok.ID})
			if d.SentTo != c.hint {
				t.Errorf("sent to %q; want %q", d.SentTo, c.hint)
			}
			code := e.sentCode(c.address)
			if m := e.lastMessageTo(c.address); c.template == emailTemplate {
				if m.Subject != "Your Selfservice code" || !strings.Contains(m.Body, "to sign in") || !strings.Contains(m.Body, "If you did not try to sign in") {
					t.Errorf("email = %q / %q; want the subject without the code, and what the code is for", m.Subject, m.Body)
				}
			}

			verify := "/auth/login/" + l.LoginID + "/verify"
			e.apiErr(e.call("POST", verify, "", api.VerifyLoginRequest{TokenID: tok.ID, OTP: otherCode(code)}), api.CodeOTPInvalid)
			var sess api.SessionResponse
			e.ok(e.call("POST", verify, "", api.VerifyLoginRequest{TokenID: tok.ID, OTP: code}), 200, &sess)
			var me api.MeResponse
			e.ok(e.call("GET", "/me", sess.SessionToken, nil), 200, &me)
			if me.User.Username != "dana" {
				t.Errorf("signed in as %+v", me.User)
			}
			if got := e.token(u.ID, tok.ID); got.Failures.Count != 0 || !got.LastUsedAt.Equal(e.clock.Now()) {
				t.Errorf("token after sign-in: failures %d, last used %v; want 0, now", got.Failures.Count, got.LastUsedAt)
			}
			if logs := e.logs.String(); strings.Contains(logs, code) {
				t.Errorf("the log holds the code:\n%s", logs)
			}
		})
	}
}

func TestStepUpWithSMSCode(t *testing.T) {
	e := newCodeEnv(t)
	u, totp, session := e.userWithToken("alice", RoleEmployee)
	sms := e.addCodeToken(u.ID, smsTemplate, "+4915112345678", api.StatusActive)
	if err := SetApprovalPolicy(context.Background(), e.store, ApprovalPolicy{Operation: api.OpTokenDelete, Mode: api.ModeSelf}); err != nil {
		t.Fatal(err)
	}
	step, ok := api.ApprovalRequired(e.apiErr(e.call("DELETE", "/tokens/"+totp.ID, session, nil), api.CodeApprovalRequired))
	if !ok {
		t.Fatal("no approval details")
	}
	e.challenge("/approvals/"+step.ApprovalID+"/challenge", session, api.ApprovalChallengeRequest{TokenID: sms.ID})
	code := e.sentCode("+4915112345678")
	var a api.ApprovalResponse
	e.ok(e.call("POST", "/approvals/"+step.ApprovalID+"/verify", session, api.VerifyApprovalRequest{TokenID: sms.ID, OTP: code}), 200, &a)
	if a.Approval.Status != api.ApprovalVerified {
		t.Fatalf("approval %+v; want VERIFIED", a.Approval)
	}
	e.ok(e.callApproved("DELETE", "/tokens/"+totp.ID, session, step.ApprovalID, nil), 204, nil)
}

func TestTestingAnSMSToken(t *testing.T) {
	e := newCodeEnv(t)
	u, _, session := e.userWithToken("alice", RoleEmployee)
	sms := e.addCodeToken(u.ID, smsTemplate, "+4915112345678", api.StatusActive)

	e.challenge("/tokens/"+sms.ID+"/challenge", session, nil)
	var out api.TokenResponse
	e.ok(e.call("POST", "/tokens/"+sms.ID+"/test", session, api.OTPRequest{OTP: e.sentCode("+4915112345678")}), 200, &out)
	if out.Token.LastUsedAt == nil || !out.Token.LastUsedAt.Equal(e.clock.Now()) {
		t.Errorf("last used %v; want now", out.Token.LastUsedAt)
	}
	e.apiErr(e.call("POST", "/tokens/"+sms.ID+"/resync", session, api.ResyncRequest{OTP1: "123456", OTP2: "234567"}), api.CodeNotSupported)
}

func TestSentCodeExpires(t *testing.T) {
	e := newCodeEnv(t)
	u, _, session := e.userWithToken("alice", RoleEmployee)
	tok := e.addCodeToken(u.ID, emailTemplate, "alice@example.com", api.StatusActive)
	e.challenge("/tokens/"+tok.ID+"/challenge", session, nil)
	code := e.sentCode("alice@example.com")
	e.clock.Advance(5*time.Minute + time.Second)
	got := e.apiErr(e.call("POST", "/tokens/"+tok.ID+"/test", session, api.OTPRequest{OTP: code}), api.CodeCodeExpired)
	if !strings.Contains(got.Message, "new code") {
		t.Errorf("message %q; want it to say to ask for a new code", got.Message)
	}
}

func TestSentCodeWorksOnce(t *testing.T) {
	e := newCodeEnv(t)
	u, _, session := e.userWithToken("alice", RoleEmployee)
	tok := e.addCodeToken(u.ID, smsTemplate, "+4915112345678", api.StatusActive)
	e.challenge("/tokens/"+tok.ID+"/challenge", session, nil)
	code := e.sentCode("+4915112345678")
	test := "/tokens/" + tok.ID + "/test"
	e.ok(e.call("POST", test, session, api.OTPRequest{OTP: code}), 200, nil)
	e.apiErr(e.call("POST", test, session, api.OTPRequest{OTP: code}), api.CodeCodeExpired)
}

func TestParallelRightCodesSucceedOnce(t *testing.T) {
	e := newCodeEnv(t)
	u, _, session := e.userWithToken("alice", RoleEmployee)
	tok := e.addCodeToken(u.ID, smsTemplate, "+4915112345678", api.StatusActive)
	e.challenge("/tokens/"+tok.ID+"/challenge", session, nil)
	code := e.sentCode("+4915112345678")

	const n = 4
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = e.call("POST", "/tokens/"+tok.ID+"/test", session, api.OTPRequest{OTP: code}).Status
		}()
	}
	wg.Wait()
	ok := 0
	for _, s := range statuses {
		if s == 200 {
			ok++
		} else if s != api.HTTPStatus(api.CodeCodeExpired) {
			t.Errorf("status %d; want 200 or code_expired", s)
		}
	}
	if ok != 1 {
		t.Errorf("%d requests succeeded with one code (%v); want exactly 1", ok, statuses)
	}
}

// TestSentCodeAttemptsLimit: a code takes MaxFailures wrong tries; each
// also counts against the token's lock, which a success elsewhere clears.
func TestSentCodeAttemptsLimit(t *testing.T) {
	e := newCodeEnv(t)
	u, _, session := e.userWithToken("alice", RoleEmployee)
	tok := e.addCodeToken(u.ID, smsTemplate, "+4915112345678", api.StatusActive)
	test := "/tokens/" + tok.ID + "/test"

	e.challenge("/tokens/"+tok.ID+"/challenge", session, nil)
	code := e.sentCode("+4915112345678")
	for range 4 {
		e.apiErr(e.call("POST", test, session, api.OTPRequest{OTP: otherCode(code)}), api.CodeOTPInvalid)
	}
	if got := e.token(u.ID, tok.ID).Failures.Count; got != 4 {
		t.Fatalf("token failures %d; want 4", got)
	}

	// A sign-in with a code of its own clears the token's count…
	e.clock.Advance(20 * time.Second)
	l := e.login("alice")
	e.challenge("/auth/login/"+l.LoginID+"/challenge", "", api.LoginChallengeRequest{TokenID: tok.ID})
	e.ok(e.call("POST", "/auth/login/"+l.LoginID+"/verify", "", api.VerifyLoginRequest{TokenID: tok.ID, OTP: e.sentCode("+4915112345678")}), 200, nil)
	if got := e.token(u.ID, tok.ID).Failures.Count; got != 0 {
		t.Fatalf("token failures after a sign-in %d; want 0", got)
	}
	// …but not the test code's: its fifth wrong try is its last.
	e.apiErr(e.call("POST", test, session, api.OTPRequest{OTP: otherCode(code)}), api.CodeOTPInvalid)
	got := e.apiErr(e.call("POST", test, session, api.OTPRequest{OTP: code}), api.CodeCodeExpired)
	if !strings.Contains(got.Message, "new code") {
		t.Errorf("message %q; want it to say to ask for a new code", got.Message)
	}
}

func TestSentCodesLockTheToken(t *testing.T) {
	e := newCodeEnv(t)
	u, _, session := e.userWithToken("alice", RoleEmployee)
	tok := e.addCodeToken(u.ID, smsTemplate, "+4915112345678", api.StatusActive)
	e.challenge("/tokens/"+tok.ID+"/challenge", session, nil)
	code := e.sentCode("+4915112345678")
	test := "/tokens/" + tok.ID + "/test"
	for range 4 {
		e.apiErr(e.call("POST", test, session, api.OTPRequest{OTP: otherCode(code)}), api.CodeOTPInvalid)
	}
	e.apiErr(e.call("POST", test, session, api.OTPRequest{OTP: otherCode(code)}), api.CodeTooManyAttempts)
	e.apiErr(e.call("POST", "/tokens/"+tok.ID+"/challenge", session, nil), api.CodeTooManyAttempts)
}

func TestResendThrottle(t *testing.T) {
	e := newCodeEnv(t)
	u, _, session := e.userWithToken("alice", RoleEmployee)
	tok := e.addCodeToken(u.ID, smsTemplate, "+4915112345678", api.StatusActive)
	challenge := "/tokens/" + tok.ID + "/challenge"

	first := e.challenge(challenge, session, nil)
	old := e.sentCode("+4915112345678")
	res := e.call("POST", challenge, session, nil)
	got := e.apiErr(res, api.CodeResendTooSoon)
	if res.Header.Get("Retry-After") != "20" || !strings.Contains(got.Message, "20 seconds") {
		t.Errorf("Retry-After %q, message %q; want 20 seconds", res.Header.Get("Retry-After"), got.Message)
	}
	// The throttle holds across scopes: a sign-in asks too soon as well.
	e.clock.Advance(19 * time.Second)
	l := e.login("alice")
	res = e.call("POST", "/auth/login/"+l.LoginID+"/challenge", "", api.LoginChallengeRequest{TokenID: tok.ID})
	e.apiErr(res, api.CodeResendTooSoon)
	if res.Header.Get("Retry-After") != "1" {
		t.Errorf("Retry-After %q; want 1", res.Header.Get("Retry-After"))
	}
	if n := len(e.messagesTo("+4915112345678")); n != 1 {
		t.Errorf("%d messages; want 1", n)
	}

	e.clock.Advance(time.Second)
	if !e.clock.Now().Equal(first.ResendAt) {
		t.Fatalf("test clock at %v; want the first resend_at %v", e.clock.Now(), first.ResendAt)
	}
	e.challenge(challenge, session, nil)
	code := e.sentCode("+4915112345678")
	test := "/tokens/" + tok.ID + "/test"
	if old != code {
		e.apiErr(e.call("POST", test, session, api.OTPRequest{OTP: old}), api.CodeOTPInvalid)
	}
	e.ok(e.call("POST", test, session, api.OTPRequest{OTP: code}), 200, nil)
}

func TestSentCodeBoundToItsScope(t *testing.T) {
	e := newCodeEnv(t)
	u, totp, session := e.userWithToken("alice", RoleEmployee)
	tok := e.addCodeToken(u.ID, smsTemplate, "+4915112345678", api.StatusActive)

	l := e.login("alice")
	e.challenge("/auth/login/"+l.LoginID+"/challenge", "", api.LoginChallengeRequest{TokenID: tok.ID})
	signInCode := e.sentCode("+4915112345678")

	// Not for a test, for which nothing was sent…
	e.apiErr(e.call("POST", "/tokens/"+tok.ID+"/test", session, api.OTPRequest{OTP: signInCode}), api.CodeCodeExpired)

	// …nor for a step-up, which has a code of its own.
	if err := SetApprovalPolicy(context.Background(), e.store, ApprovalPolicy{Operation: api.OpTokenDisable, Mode: api.ModeSelf}); err != nil {
		t.Fatal(err)
	}
	step, _ := api.ApprovalRequired(e.apiErr(e.call("POST", "/tokens/"+totp.ID+"/disable", session, nil), api.CodeApprovalRequired))
	e.clock.Advance(20 * time.Second)
	e.challenge("/approvals/"+step.ApprovalID+"/challenge", session, api.ApprovalChallengeRequest{TokenID: tok.ID})
	stepUpCode := e.sentCode("+4915112345678")
	verifyApproval := "/approvals/" + step.ApprovalID + "/verify"
	if stepUpCode != signInCode {
		e.apiErr(e.call("POST", verifyApproval, session, api.VerifyApprovalRequest{TokenID: tok.ID, OTP: signInCode}), api.CodeOTPInvalid)
	}

	// Each works where it was sent for.
	verifyLogin := "/auth/login/" + l.LoginID + "/verify"
	if stepUpCode != signInCode {
		e.apiErr(e.call("POST", verifyLogin, "", api.VerifyLoginRequest{TokenID: tok.ID, OTP: stepUpCode}), api.CodeOTPInvalid)
	}
	e.ok(e.call("POST", verifyLogin, "", api.VerifyLoginRequest{TokenID: tok.ID, OTP: signInCode}), 200, nil)
	e.ok(e.call("POST", verifyApproval, session, api.VerifyApprovalRequest{TokenID: tok.ID, OTP: stepUpCode}), 200, nil)

	// Another sign-in's code is not this one's.
	e.clock.Advance(20 * time.Second)
	first, second := e.login("alice"), e.login("alice")
	e.challenge("/auth/login/"+first.LoginID+"/challenge", "", api.LoginChallengeRequest{TokenID: tok.ID})
	e.apiErr(e.call("POST", "/auth/login/"+second.LoginID+"/verify", "", api.VerifyLoginRequest{TokenID: tok.ID, OTP: e.sentCode("+4915112345678")}), api.CodeCodeExpired)
}

func TestAddressChange(t *testing.T) {
	e := newCodeEnv(t)
	u, _, session := e.userWithToken("alice", RoleEmployee)
	tok := e.addCodeToken(u.ID, emailTemplate, "alice@example.com", api.StatusActive)
	e.issueCode("alice", time.Hour, 1)
	path := "/tokens/" + tok.ID + "/address"

	var ch api.ChallengeResponse
	e.ok(e.call("PUT", path, session, api.ChangeAddressRequest{Address: " Alice.New@Example.ORG"}), 200, &ch)
	if ch.Proof != api.ProofOTP || ch.Delivery == nil || ch.Delivery.SentTo != "A•••@example.org" {
		t.Fatalf("challenge = %+v; want a code sent to A•••@example.org", ch)
	}
	code := e.sentCode("Alice.New@example.org")
	if body := e.lastMessageTo("Alice.New@example.org").Body; !strings.Contains(body, "to confirm this address") {
		t.Errorf("email body %q; want it to say what the code is for", body)
	}

	// Until confirmed, the token keeps its address and works with it.
	if got := e.token(u.ID, tok.ID).Address; got != "alice@example.com" {
		t.Fatalf("address before confirming = %q; want the old one", got)
	}
	e.clock.Advance(20 * time.Second)
	e.challenge("/tokens/"+tok.ID+"/challenge", session, nil)
	e.ok(e.call("POST", "/tokens/"+tok.ID+"/test", session, api.OTPRequest{OTP: e.sentCode("alice@example.com")}), 200, nil)
	if e.emergencyReason(u.ID) != "" {
		t.Fatal("the emergency code was deactivated before the change was confirmed")
	}

	confirm := path + "/confirm"
	e.apiErr(e.call("POST", confirm, session, api.OTPRequest{OTP: otherCode(code)}), api.CodeOTPInvalid)
	if got := e.token(u.ID, tok.ID).Failures.Count; got != 1 {
		t.Errorf("token failures after a wrong code %d; want 1", got)
	}
	var out api.TokenResponse
	e.ok(e.call("POST", confirm, session, api.OTPRequest{OTP: code}), 200, &out)
	if out.Token.Address != "Alice.New@example.org" {
		t.Errorf("address = %q; want the new one", out.Token.Address)
	}
	if got := e.token(u.ID, tok.ID); got.Address != "Alice.New@example.org" || got.Failures.Count != 0 {
		t.Errorf("stored token: %q, %d failures; want the new address, 0", got.Address, got.Failures.Count)
	}
	if got := e.emergencyReason(u.ID); got != ReasonAddressChanged {
		t.Errorf("emergency code deactivated for %q; want %q", got, ReasonAddressChanged)
	}
	notice := e.lastMessageTo("alice@example.com")
	if notice.Channel != notify.ChannelEmail || !strings.Contains(notice.Body, "changed to A•••@example.org") ||
		!strings.Contains(notice.Body, "call your helpdesk") || strings.Contains(notice.Body, "Alice.New") {
		t.Errorf("notice to the old address = %q / %q", notice.Subject, notice.Body)
	}
	e.apiErr(e.call("POST", confirm, session, api.OTPRequest{OTP: code}), api.CodeCodeExpired)

	// Codes now go to the new address.
	e.clock.Advance(20 * time.Second)
	e.challenge("/tokens/"+tok.ID+"/challenge", session, nil)
	e.ok(e.call("POST", "/tokens/"+tok.ID+"/test", session, api.OTPRequest{OTP: e.sentCode("Alice.New@example.org")}), 200, nil)
}

func TestAddressChangeRefusals(t *testing.T) {
	e := newCodeEnv(t)
	u, totp, session := e.userWithToken("alice", RoleEmployee)
	sms := e.addCodeToken(u.ID, smsTemplate, "+4915112345678", api.StatusActive)
	pendingSMS := e.addCodeToken(u.ID, smsTemplate, "+4915100000000", api.StatusPending)
	change := func(id, address string) response {
		return e.call("PUT", "/tokens/"+id+"/address", session, api.ChangeAddressRequest{Address: address})
	}

	got := e.apiErr(change(sms.ID, "+49 151 1234 5678"), api.CodeInvalidRequest).FieldErrors()["address"]
	if !strings.Contains(got, "already") {
		t.Errorf("same address: %q", got)
	}
	got = e.apiErr(change(sms.ID, "alice@example.com"), api.CodeInvalidRequest).FieldErrors()["address"]
	if !strings.Contains(got, "+4915112345678") {
		t.Errorf("an email address for an SMS token: %q", got)
	}
	e.apiErr(change(sms.ID, ""), api.CodeInvalidRequest)
	e.apiErr(change(pendingSMS.ID, "+4915199999999"), api.CodeInvalidState)
	e.apiErr(change(totp.ID, "+4915199999999"), api.CodeNotSupported)
	e.apiErr(change("no-such-token", "+4915199999999"), api.CodeNotFound)
	e.apiErr(e.call("POST", "/tokens/"+sms.ID+"/address/confirm", session, api.OTPRequest{OTP: "123456"}), api.CodeCodeExpired)

	// Someone else's token is not found.
	v := e.addUser("victor", RoleEmployee)
	theirs := e.addCodeToken(v.ID, smsTemplate, "+4915177777777", api.StatusActive)
	e.apiErr(change(theirs.ID, "+4915199999999"), api.CodeNotFound)
	if n := len(e.messagesTo("+4915199999999")); n != 0 {
		t.Errorf("%d messages went out for refused changes; want none", n)
	}

	// A DISABLED token may move.
	e.addCodeToken(u.ID, emailTemplate, "alice@example.com", api.StatusActive)
	e.ok(e.call("POST", "/tokens/"+sms.ID+"/disable", session, nil), 200, nil)
	e.ok(change(sms.ID, "+4915199999999"), 200, nil)
}

func TestDeliveryUnavailableWithoutSender(t *testing.T) {
	e := newEnvWith(t, Config{EmailSender: notify.NewFileSender(t.TempDir())}) // no SMS
	u, _, session := e.userWithToken("alice", RoleEmployee)

	var out api.TemplatesResponse
	e.ok(e.call("GET", "/token-templates", session, nil), 200, &out)
	offered := map[string]bool{}
	for _, tpl := range out.Templates {
		offered[tpl.ID] = true
	}
	if offered[smsTemplate] || !offered[emailTemplate] || !offered[templateTOTP] {
		t.Errorf("templates %v; want email and TOTP, no SMS", offered)
	}
	e.apiErr(e.call("POST", "/tokens", session, api.CreateTokenRequest{TemplateID: smsTemplate, Address: "+4915112345678"}), api.CodeDeliveryUnavailable)

	// A token of a channel that went away cannot be sent codes.
	sms := e.addCodeToken(u.ID, smsTemplate, "+4915112345678", api.StatusActive)
	l := e.login("alice")
	got := e.apiErr(e.call("POST", "/auth/login/"+l.LoginID+"/challenge", "", api.LoginChallengeRequest{TokenID: sms.ID}), api.CodeDeliveryUnavailable)
	if !strings.Contains(got.Message, "text messages") {
		t.Errorf("message %q; want it to name text messages", got.Message)
	}
	if n := len(e.messagesTo("+4915112345678")); n != 0 {
		t.Errorf("%d messages queued; want none", n)
	}

	none := newEnv(t)
	_, _, session = none.userWithToken("bob", RoleEmployee)
	none.ok(none.call("GET", "/token-templates", session, nil), 200, &out)
	for _, tpl := range out.Templates {
		if tpl.Type == api.TypeSMS || tpl.Type == api.TypeEmail {
			t.Errorf("template %s offered without a sender", tpl.ID)
		}
	}
}
