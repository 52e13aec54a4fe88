package server

import (
	"slices"
	"strings"
	"testing"
	"time"

	"selfservice/api"
)

// The methods offered after the password carry the names users gave
// them, the masked address of an SMS or email token apart, and the
// user's preferred one; at step-up too.
func TestMethodsOfferedCarryTheirNamesAndTheDefault(t *testing.T) {
	e := newEnv(t)
	e.setPolicy(ApprovalPolicy{Operation: api.OpTokenDisable, Mode: api.ModeSelf})
	u, tok, session := e.userWithToken("alice", RoleEmployee)
	e.ok(e.call("PATCH", "/tokens/"+tok.ID, session, api.UpdateTokenRequest{Description: "Work phone"}), 200, nil)
	sms := e.addCodeToken(u.ID, smsTemplate, "+4915112345678", api.StatusActive)
	e.ok(e.call("PATCH", "/tokens/"+sms.ID, session, api.UpdateTokenRequest{Description: "Private mobile"}), 200, nil)
	e.ok(e.call("PUT", "/account/default-method", session, api.DefaultMethodRequest{TokenID: sms.ID}), 200, nil)

	want := []api.LoginMethod{
		{TokenID: tok.ID, Type: api.TypeTOTP, Label: tok.Label, Name: "Work phone"},
		{TokenID: sms.ID, Type: api.TypeSMS, Label: sms.Label, Name: "Private mobile", Hint: api.MaskAddress(api.ChannelSMS, sms.Address), Default: true},
	}
	if got := e.login("alice").Methods; !slices.Equal(got, want) {
		t.Errorf("methods at sign-in %+v;\nwant %+v", got, want)
	}
	step, _ := api.ApprovalRequired(e.apiErr(e.call("POST", "/tokens/"+sms.ID+"/disable", session, nil), api.CodeApprovalRequired))
	if got := step.Methods; !slices.Equal(got, want) {
		t.Errorf("methods at step-up %+v;\nwant %+v", got, want)
	}
	var list api.TokensResponse
	e.ok(e.call("GET", "/tokens", session, nil), 200, &list)
	for _, tk := range list.Tokens {
		if tk.Default != (tk.ID == sms.ID) {
			t.Errorf("token %s default %v; want only the SMS token marked", tk.ID, tk.Default)
		}
	}

	// Nobody learns them before the password: a wrong one gets nothing.
	res := e.call("POST", "/auth/login", "", api.LoginRequest{Username: "alice", Password: "not the password"})
	if e.apiErr(res, api.CodeInvalidCredentials); strings.Contains(string(res.Body), "Work phone") || strings.Contains(string(res.Body), sms.ID) {
		t.Errorf("a wrong password's answer names the methods: %s", res.Body)
	}
}

func TestDefaultMethodIsOneOfTheUsersActiveTokens(t *testing.T) {
	e := newEnv(t)
	u, tok, session := e.userWithToken("alice", RoleEmployee)
	_, bobTok, _ := e.userWithToken("bob", RoleEmployee)
	disabled := e.addToken(u.ID, templateTOTP, api.StatusDisabled)
	put := func(id string) response {
		return e.call("PUT", "/account/default-method", session, api.DefaultMethodRequest{TokenID: id})
	}
	for name, id := range map[string]string{"another user's": bobTok.ID, "a disabled": disabled.ID, "an unknown": "no-such-token", "no": ""} {
		if got := e.apiErr(put(id), api.CodeInvalidRequest).FieldErrors()["token_id"]; got == "" {
			t.Errorf("%s token: no field error on token_id", name)
		}
	}
	if id, _ := e.store.DefaultMethod(t.Context(), u.ID); id != "" {
		t.Fatalf("default %q stored after refusals", id)
	}
	var out api.TokenResponse
	e.ok(put(tok.ID), 200, &out)
	if !out.Token.Default || out.Token.ID != tok.ID {
		t.Errorf("answer %+v; want the token, marked default", out.Token)
	}
	// Bob's default is his own business.
	if id, _ := e.store.DefaultMethod(t.Context(), u.ID); id != tok.ID {
		t.Errorf("alice's default %q, want %q", id, tok.ID)
	}

	// Without token_modify: refused.
	_, _, helpdesk := e.userWithToken("carol", RoleHelpdesk)
	e.apiErr(e.call("PUT", "/account/default-method", helpdesk, api.DefaultMethodRequest{TokenID: tok.ID}), api.CodePrivilegeMissing)
}

// graceEnv is a server whose tenant gives seconds of grace after a sign-in,
// asking always for the operations in always.
func graceEnv(t *testing.T, seconds int, always ...api.Operation) *env {
	e := newEnvWith(t, Config{Tenant: Tenant{StepUp: TenantStepUp{GraceSeconds: &seconds, Always: always}}})
	for _, op := range []api.Operation{api.OpTokenDisable, api.OpTokenDelete, api.OpAccountDelete} {
		e.setPolicy(ApprovalPolicy{Operation: op, Mode: api.ModeSelf})
	}
	return e
}

// TestStepUpGraceAfterASignInWithASecondFactor: for the grace after the
// sign-in, a step-up is confirmed by that sign-in; after it, not; never
// for deleting the account or what the tenant marks always.
func TestStepUpGraceAfterASignInWithASecondFactor(t *testing.T) {
	e := graceEnv(t, 120, api.OpTokenDelete)
	u, _, session := e.userWithToken("alice", RoleEmployee)
	first := e.addToken(u.ID, templateTOTP, api.StatusActive)
	second := e.addToken(u.ID, templateTOTP, api.StatusActive)

	e.clock.Advance(119 * time.Second)
	e.ok(e.call("POST", "/tokens/"+first.ID+"/disable", session, nil), 200, nil)
	if got := e.token(u.ID, first.ID).Status; got != api.StatusDisabled {
		t.Errorf("token %s in the grace; want DISABLED", got)
	}
	e.apiErr(e.call("DELETE", "/tokens/"+second.ID, session, nil), api.CodeApprovalRequired)
	e.apiErr(e.call("DELETE", "/account", session, api.DeleteAccountRequest{Username: "alice"}), api.CodeApprovalRequired)

	e.clock.Advance(time.Second)
	e.apiErr(e.call("POST", "/tokens/"+second.ID+"/disable", session, nil), api.CodeApprovalRequired)
	if got := e.token(u.ID, second.ID).Status; got != api.StatusActive {
		t.Errorf("token %s after the grace; want ACTIVE", got)
	}
}

// A sign-in by the password alone, or by an emergency access code, gives
// no grace; a grace of 0 is none.
func TestStepUpGraceNeedsASecondFactor(t *testing.T) {
	e := graceEnv(t, 300)
	u := e.addUser("ann", RoleEmployee)
	e.addToken(u.ID, templateTOTP, api.StatusActive)
	other := e.addToken(u.ID, templateTOTP, api.StatusActive)
	code := e.issueCode("ann", time.Hour, 2)
	var out api.SessionResponse
	e.ok(e.emergencySignIn("ann", code), 200, &out)
	e.apiErr(e.call("POST", "/tokens/"+other.ID+"/disable", out.SessionToken, nil), api.CodeApprovalRequired)

	off := graceEnv(t, 0)
	bob, _, session := off.userWithToken("bob", RoleEmployee)
	more := off.addToken(bob.ID, templateTOTP, api.StatusActive)
	off.apiErr(off.call("POST", "/tokens/"+more.ID+"/disable", session, nil), api.CodeApprovalRequired)
}

func TestStepUpSectionOfTheConfiguration(t *testing.T) {
	for _, tt := range []struct{ json, want string }{
		{`{"step_up": {"grace_seconds": -1}}`, "step_up.grace_seconds"},
		{`{"step_up": {"grace_seconds": 3601}}`, "step_up.grace_seconds"},
		{`{"step_up": {"always": ["token.delete", "token.explode"]}}`, "step_up.always[1]"},
		{`{"step_up": {"grace": 60}}`, "grace"},
	} {
		if _, err := ReadTenant(strings.NewReader(tt.json)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v; want an error naming %s", tt.json, err, tt.want)
		}
	}
	tenant, err := ReadTenant(strings.NewReader(`{"step_up": {"grace_seconds": 0, "always": ["question.reveal"]}}`))
	if err != nil || tenant.StepUp.grace() != 0 || tenant.StepUp.graced(api.OpQuestionReveal) || !tenant.StepUp.graced(api.OpTokenDisable) {
		t.Errorf("ReadTenant = %+v, %v; want no grace, question.reveal always asked", tenant.StepUp, err)
	}
	if tenant.isZero() {
		t.Error("a configuration with a step_up section counts as empty")
	}
	if got := (TenantStepUp{}).grace(); got != defaultStepUpGrace {
		t.Errorf("grace without a setting %v, want %v", got, defaultStepUpGrace)
	}
}

// TestPushNumberMatching: the sign-in's push request carries a number the
// computer shows; the phone offers it among three with where the sign-in
// comes from; only the right pick approves, a wrong one refuses.
func TestPushNumberMatching(t *testing.T) {
	e := newEnv(t)
	_, _, _, phone := e.pushUser("alice")
	e.headers.Set(api.DeviceHeader, "Selfservice 1.4 on Linux (desk-12)")
	l := e.login("alice")
	var ch api.ChallengeResponse
	e.ok(e.call("POST", "/auth/login/"+l.LoginID+"/challenge", "", api.LoginChallengeRequest{TokenID: phone.deviceID}), 200, &ch)
	req := phone.only()
	if n := ch.Push.Number; n < 10 || n > 99 || len(req.Choices) != 3 || !slices.Contains(req.Choices, n) {
		t.Fatalf("number %d, choices %v; want two digits, among three choices", n, req.Choices)
	}
	if req.Device != "Selfservice 1.4 on Linux (desk-12)" || req.IP == "" || !req.CreatedAt.Equal(e.clock.Now()) {
		t.Errorf("request %+v; want the app, address and time of the sign-in", req)
	}
	// Approving without a number is refused, and changes nothing.
	e.apiErr(phone.answerNumber(phone.key, req.ID, req.Challenge, api.PushApprove, api.PushApprove, 0), api.CodeInvalidRequest)
	verify := "/auth/login/" + l.LoginID + "/verify"
	e.apiErr(e.call("POST", verify, "", api.VerifyLoginRequest{TokenID: phone.deviceID, PushID: req.ID}), api.CodePushPending)
	// A wrong number refuses the request.
	wrong := req.Choices[slices.IndexFunc(req.Choices, func(n int) bool { return n != ch.Push.Number })]
	err := e.apiErr(phone.answerNumber(phone.key, req.ID, req.Challenge, api.PushApprove, api.PushApprove, wrong), api.CodeInvalidRequest)
	if err.FieldErrors()["number"] == "" {
		t.Errorf("fields %v; want number", err.FieldErrors())
	}
	e.apiErr(e.call("POST", verify, "", api.VerifyLoginRequest{TokenID: phone.deviceID, PushID: req.ID}), api.CodePushDenied)

	// The right one approves.
	e.clock.Advance(time.Minute)
	l = e.login("alice")
	pushID := e.pushChallenge("/auth/login/"+l.LoginID+"/challenge", "", api.LoginChallengeRequest{TokenID: phone.deviceID})
	phone.answer(phone.only(), api.PushApprove)
	e.ok(e.call("POST", "/auth/login/"+l.LoginID+"/verify", "", api.VerifyLoginRequest{TokenID: phone.deviceID, PushID: pushID}), 200, nil)
}

// A number signed for one pick cannot be sent with another.
func TestPushNumberIsSigned(t *testing.T) {
	e := newEnv(t)
	_, _, _, phone := e.pushUser("alice")
	l := e.login("alice")
	var ch api.ChallengeResponse
	e.ok(e.call("POST", "/auth/login/"+l.LoginID+"/challenge", "", api.LoginChallengeRequest{TokenID: phone.deviceID}), 200, &ch)
	req := phone.only()
	res := e.call("POST", "/push/requests/"+req.ID+"/answer", "", api.PushAnswer{
		DeviceID: phone.deviceID, Decision: api.PushApprove, Number: ch.Push.Number,
		Signature: phone.sign(phone.key, api.AnswerPayload(req.ID, req.Challenge, api.PushApprove, req.Choices[0]+req.Choices[1])),
	})
	e.apiErr(res, api.CodeDeviceInvalid)
}
