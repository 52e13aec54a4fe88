package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"selfservice/api"
)

// issueCode gives username an emergency access code as the command line
// does, and returns the grouped code.
func (e *env) issueCode(username string, validFor time.Duration, uses int) string {
	e.t.Helper()
	out, err := IssueEmergencyCode(context.Background(), e.store, username, IssuedByAdmin, validFor, uses, e.clock.Now())
	if err != nil {
		e.t.Fatalf("IssueEmergencyCode(%s): %v", username, err)
	}
	return out.Code
}

// hasEmergencyMethod reports whether methods offer the emergency code.
func hasEmergencyMethod(methods []api.LoginMethod) bool {
	for _, m := range methods {
		if m.TokenID == api.EmergencyTokenID {
			return m.Type == api.TypeEmergency
		}
	}
	return false
}

// emergencySignIn runs both sign-in steps with an emergency access code.
func (e *env) emergencySignIn(username, code string) response {
	e.t.Helper()
	l := e.login(username)
	return e.call("POST", "/auth/login/"+l.LoginID+"/verify", "", api.VerifyLoginRequest{TokenID: api.EmergencyTokenID, EmergencyCode: code})
}

func TestHelpdeskIssuesAnEmergencyCodeThatSignsIn(t *testing.T) {
	e := newEnv(t)
	_, _, desk := e.userWithToken("hank", RoleHelpdesk)
	u := e.addUser("ann", RoleEmployee)
	e.addToken(u.ID, templateTOTP, api.StatusActive)

	if hasEmergencyMethod(e.login("ann").Methods) {
		t.Fatal("sign-in offers an emergency code before one was issued")
	}
	var out api.EmergencyCodeResponse
	e.ok(e.call("POST", "/users/ann/emergency-code", desk, api.IssueEmergencyCodeRequest{ValidForHours: 8, Uses: 2}), 201, &out)
	if plain := api.NormalizeEmergencyCode(out.Code); !api.ValidEmergencyCode(plain) || out.Code != api.FormatEmergencyCode(plain) {
		t.Fatalf("code = %q, want 16 characters in groups of four", out.Code)
	}
	if want := e.clock.Now().Add(8 * time.Hour); !out.ExpiresAt.Equal(want) || out.Uses != 2 {
		t.Errorf("expires_at, uses = %v, %d, want %v, 2", out.ExpiresAt, out.Uses, want)
	}
	if logs := e.logs.String(); !strings.Contains(logs, "emergency access code issued") || strings.Contains(logs, api.NormalizeEmergencyCode(out.Code)) || strings.Contains(logs, out.Code) {
		t.Errorf("logs lack the issue line or contain the code:\n%s", logs)
	}
	stored, err := e.store.EmergencyCode(context.Background(), u.ID)
	if err != nil || stored.IssuedBy != "hank" || strings.Contains(stored.CodeHash, api.NormalizeEmergencyCode(out.Code)) {
		t.Fatalf("stored code = %+v, %v, want a hash issued by hank", stored, err)
	}

	if !hasEmergencyMethod(e.login("ann").Methods) {
		t.Fatal("sign-in does not offer the emergency code")
	}
	// Typed in lower case with spaces, then grouped: two uses.
	for _, typed := range []string{strings.ToLower(strings.ReplaceAll(out.Code, "-", " ")), out.Code} {
		var sess api.SessionResponse
		e.ok(e.emergencySignIn("ann", typed), 200, &sess)
		if sess.SessionToken == "" {
			t.Fatal("no session")
		}
	}
	if hasEmergencyMethod(e.login("ann").Methods) {
		t.Error("sign-in still offers a used-up emergency code")
	}
	apiErr := e.apiErr(e.emergencySignIn("ann", out.Code), api.CodeInvalidRequest)
	if apiErr.FieldErrors()["token_id"] == "" {
		t.Errorf("used-up code: fields = %v, want token_id", apiErr.FieldErrors())
	}
}

func TestEmergencyCodeIssueRules(t *testing.T) {
	e := newEnv(t)
	hank, _, desk := e.userWithToken("hank", RoleHelpdesk)
	annUser, _, ann := e.userWithToken("ann", RoleEmployee)
	tests := []struct {
		name, session, username string
		req                     api.IssueEmergencyCodeRequest
		code                    string
	}{
		{"never for oneself", desk, "hank", api.IssueEmergencyCodeRequest{ValidForHours: 1, Uses: 1}, api.CodeEmergencyForSelf},
		{"never for oneself, other spelling", desk, "HANK", api.IssueEmergencyCodeRequest{ValidForHours: 1, Uses: 1}, api.CodeEmergencyForSelf},
		{"employees lack the privilege", ann, "hank", api.IssueEmergencyCodeRequest{ValidForHours: 1, Uses: 1}, api.CodePrivilegeMissing},
		{"unknown user", desk, "nobody", api.IssueEmergencyCodeRequest{ValidForHours: 1, Uses: 1}, api.CodeNotFound},
		{"too many uses", desk, "ann", api.IssueEmergencyCodeRequest{ValidForHours: 1, Uses: 11}, api.CodeInvalidRequest},
		{"no validity", desk, "ann", api.IssueEmergencyCodeRequest{Uses: 1}, api.CodeInvalidRequest},
		{"signed out", "", "ann", api.IssueEmergencyCodeRequest{ValidForHours: 1, Uses: 1}, api.CodeUnauthenticated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.apiErr(e.call("POST", "/users/"+tt.username+"/emergency-code", tt.session, tt.req), tt.code)
		})
	}
	for _, u := range []api.User{hank, annUser} {
		if _, err := e.store.EmergencyCode(context.Background(), u.ID); err != ErrNotFound {
			t.Errorf("a refused issue stored a code for %s: %v", u.Username, err)
		}
	}
}

func TestEmergencyCodeExpires(t *testing.T) {
	e := newEnv(t)
	u := e.addUser("ann", RoleEmployee)
	e.addToken(u.ID, templateTOTP, api.StatusActive)
	code := e.issueCode("ann", time.Hour, 1)
	e.clock.Advance(time.Hour)
	if hasEmergencyMethod(e.login("ann").Methods) {
		t.Error("sign-in offers an expired emergency code")
	}
	e.apiErr(e.emergencySignIn("ann", code), api.CodeInvalidRequest)
}

func TestNewEmergencyCodeReplacesTheOld(t *testing.T) {
	e := newEnv(t)
	u := e.addUser("ann", RoleEmployee)
	e.addToken(u.ID, templateTOTP, api.StatusActive)
	old := e.issueCode("ann", time.Hour, 3)
	code := e.issueCode("ann", time.Hour, 1)
	e.apiErr(e.emergencySignIn("ann", old), api.CodeOTPInvalid)
	e.ok(e.emergencySignIn("ann", code), 200, nil)
}

func TestWrongEmergencyCodesLockIt(t *testing.T) {
	e := newEnv(t)
	u := e.addUser("ann", RoleEmployee)
	e.addToken(u.ID, templateTOTP, api.StatusActive)
	code := e.issueCode("ann", 24*time.Hour, 1)
	wrong := "ZZZZ-ZZZZ-ZZZZ-ZZZZ"
	if code == wrong {
		t.Skip("the random code is the wrong one")
	}
	for i := 1; i < 5; i++ {
		e.apiErr(e.emergencySignIn("ann", wrong), api.CodeOTPInvalid)
	}
	e.apiErr(e.emergencySignIn("ann", wrong), api.CodeTooManyAttempts)
	e.apiErr(e.emergencySignIn("ann", code), api.CodeTooManyAttempts)
	e.clock.Advance(5 * time.Minute)
	e.ok(e.emergencySignIn("ann", code), 200, nil)

	// Wrong codes count against the login too.
	e.issueCode("ann", 24*time.Hour, 1)
	l := e.login("ann")
	for i := 0; i < 4; i++ {
		e.apiErr(e.call("POST", "/auth/login/"+l.LoginID+"/verify", "", api.VerifyLoginRequest{TokenID: api.EmergencyTokenID, EmergencyCode: wrong}), api.CodeOTPInvalid)
	}
	e.apiErr(e.call("POST", "/auth/login/"+l.LoginID+"/verify", "", api.VerifyLoginRequest{TokenID: api.EmergencyTokenID, EmergencyCode: wrong}), api.CodeTooManyAttempts)
	e.apiErr(e.call("POST", "/auth/login/"+l.LoginID+"/verify", "", api.VerifyLoginRequest{TokenID: api.EmergencyTokenID, EmergencyCode: wrong}), api.CodeTooManyAttempts)
}

func TestEmergencyCodeConfirmsAStepUp(t *testing.T) {
	e := newEnv(t)
	u, tok, session := e.userWithToken("ann", RoleEmployee)
	other := e.addToken(u.ID, templateTOTP, api.StatusActive)
	if err := SetApprovalPolicy(context.Background(), e.store, ApprovalPolicy{Operation: api.OpTokenDisable, Mode: api.ModeSelf}); err != nil {
		t.Fatal(err)
	}
	code := e.issueCode("ann", time.Hour, 1)

	apiErr := e.apiErr(e.call("POST", "/tokens/"+other.ID+"/disable", session, nil), api.CodeApprovalRequired)
	step, ok := api.ApprovalRequired(apiErr)
	if !ok || !hasEmergencyMethod(step.Methods) {
		t.Fatalf("step-up = %+v, want the emergency code among its methods", step)
	}
	verify := func(code string) response {
		return e.call("POST", "/approvals/"+step.ApprovalID+"/verify", session, api.VerifyApprovalRequest{TokenID: api.EmergencyTokenID, EmergencyCode: code})
	}
	e.apiErr(verify("ZZZZZZZZZZZZZZZZ"), api.CodeOTPInvalid)
	if a, _ := e.store.Approval(context.Background(), hashToken(step.ApprovalID)); a.Failures != 1 {
		t.Errorf("approval failures = %d, want 1", a.Failures)
	}
	var out api.ApprovalResponse
	e.ok(verify(strings.ToLower(code)), 200, &out)
	if out.Approval.Status != api.ApprovalVerified {
		t.Fatalf("approval status = %s, want VERIFIED", out.Approval.Status)
	}
	e.ok(e.callApproved("POST", "/tokens/"+other.ID+"/disable", session, step.ApprovalID, nil), 200, nil)
	if got := e.token(u.ID, other.ID).Status; got != api.StatusDisabled {
		t.Errorf("token status = %s, want DISABLED", got)
	}

	// Used up: the next step-up offers only the token.
	if err := SetApprovalPolicy(context.Background(), e.store, ApprovalPolicy{Operation: api.OpTokenDelete, Mode: api.ModeSelf}); err != nil {
		t.Fatal(err)
	}
	step, _ = api.ApprovalRequired(e.apiErr(e.call("DELETE", "/tokens/"+other.ID, session, nil), api.CodeApprovalRequired))
	if hasEmergencyMethod(step.Methods) || len(step.Methods) != 1 || step.Methods[0].TokenID != tok.ID {
		t.Errorf("methods after the code was used = %+v, want only token %s", step.Methods, tok.ID)
	}
}

func TestEnrollingOrActivatingATokenDeactivatesTheEmergencyCode(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		act    func(e *env, userID, session string)
	}{
		{"enroll", ReasonTokenEnrolled, func(e *env, _, session string) {
			e.ok(e.call("POST", "/tokens", session, api.CreateTokenRequest{TemplateID: templateTOTP}), 201, nil)
		}},
		{"activate", ReasonTokenActivated, func(e *env, userID, session string) {
			pending := e.addToken(userID, templateTOTP, api.StatusPending)
			e.ok(e.call("POST", "/tokens/"+pending.ID+"/activate", session, api.OTPRequest{OTP: e.totp(pending, 0)}), 200, nil)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			u, _, session := e.userWithToken("ann", RoleEmployee)
			code := e.issueCode("ann", time.Hour, 5)
			tt.act(e, u.ID, session)
			if hasEmergencyMethod(e.login("ann").Methods) {
				t.Error("sign-in still offers the emergency code")
			}
			e.apiErr(e.emergencySignIn("ann", code), api.CodeInvalidRequest)
			var reason string
			err := e.queryRow(`SELECT deactivate_reason FROM emergency_codes WHERE user_id = ?`, u.ID).Scan(&reason)
			if err != nil || reason != tt.reason {
				t.Errorf("deactivate_reason = %q, %v, want %q", reason, err, tt.reason)
			}
		})
	}
}
