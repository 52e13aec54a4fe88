package server

import (
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"selfservice/api"
)

// enrollingSession signs in a user who has no ACTIVE token.
func (e *env) enrollingSession(username string) string {
	e.t.Helper()
	var l api.LoginResponse
	e.ok(e.call("POST", "/auth/login", "", api.LoginRequest{Username: username, Password: testPassword}), 200, &l)
	if !l.EnrollmentRequired || l.SessionToken == "" || l.LoginID != "" || l.ExpiresAt == nil {
		e.t.Fatalf("login of a user without ACTIVE token = %+v, want an enrollment session", l)
	}
	return l.SessionToken
}

// enroll creates a token from a template through the API.
func (e *env) enroll(session, templateID string) api.CreateTokenResponse {
	e.t.Helper()
	var out api.CreateTokenResponse
	e.ok(e.call("POST", "/tokens", session, api.CreateTokenRequest{TemplateID: templateID, Description: "My phone"}), 201, &out)
	return out
}

func TestEnrollmentSession(t *testing.T) {
	e := newEnv(t)
	e.addUser("newbie", RoleEmployee)
	session := e.enrollingSession("newbie")

	var me api.MeResponse
	e.ok(e.call("GET", "/me", session, nil), 200, &me)
	if me.User.Enrollment != api.EnrollmentPartial {
		t.Errorf("enrollment = %q, want partial", me.User.Enrollment)
	}
	want := []api.Privilege{api.PrivTokenTemplateView, api.PrivTokenEnroll, api.PrivTokenView}
	if !slices.Equal(me.Privileges, want) {
		t.Errorf("privileges = %v, want only %v", me.Privileges, want)
	}

	e.ok(e.call("GET", "/token-templates", session, nil), 200, nil)
	e.ok(e.call("GET", "/tokens", session, nil), 200, nil)

	// An abandoned enrollment can be deleted.
	abandoned := e.enroll(session, "hotp-app")
	e.ok(e.call("GET", "/tokens/"+abandoned.Token.ID, session, nil), 200, nil)
	e.ok(e.call("DELETE", "/tokens/"+abandoned.Token.ID, session, nil), 204, nil)

	created := e.enroll(session, templateTOTP)
	id := created.Token.ID
	for _, call := range []struct{ method, path string }{
		{"POST", "/tokens/" + id + "/test"},
		{"POST", "/tokens/" + id + "/resync"},
		{"POST", "/tokens/" + id + "/enable"},
		{"POST", "/tokens/" + id + "/disable"},
		{"PATCH", "/tokens/" + id},
	} {
		e.apiErr(e.call(call.method, call.path, session, api.OTPRequest{OTP: "123456"}), api.CodeEnrollmentRequired)
	}

	secret := decodeSecret(t, created.Provisioning.Secret)
	code := refCode(secret, e.clock.Now().Unix()/30, 6)
	var activated api.TokenResponse
	e.ok(e.call("POST", "/tokens/"+id+"/activate", session, api.OTPRequest{OTP: code}), 200, &activated)
	if activated.Token.Status != api.StatusActive {
		t.Fatalf("status after activation %s, want ACTIVE", activated.Token.Status)
	}

	// The same session is now a full one.
	e.ok(e.call("GET", "/me", session, nil), 200, &me)
	if me.User.Enrollment != api.EnrollmentFull || !api.Has(me.Privileges, api.PrivTokenDisable) {
		t.Errorf("after activation me = %+v, want full enrollment with every privilege", me)
	}
	e.clock.Advance(30 * time.Second)
	code = refCode(secret, e.clock.Now().Unix()/30, 6)
	e.ok(e.call("POST", "/tokens/"+id+"/test", session, api.OTPRequest{OTP: code}), 200, nil)

	// And the next sign-in asks for a code.
	if l := e.login("newbie"); l.Methods[0].TokenID != id {
		t.Errorf("methods = %+v, want the new token", l.Methods)
	}
}

func TestEnrollmentSessionCannotDeleteOtherTokens(t *testing.T) {
	e := newEnv(t)
	u := e.addUser("newbie", RoleEmployee)
	disabled := e.addToken(u.ID, templateTOTP, api.StatusDisabled)
	session := e.enrollingSession("newbie")
	e.apiErr(e.call("DELETE", "/tokens/"+disabled.ID, session, nil), api.CodeEnrollmentRequired)
}

func TestEnrollTOTPProvisioning(t *testing.T) {
	e := newEnv(t)
	_, _, session := e.userWithToken("alice", RoleEmployee)
	created := e.enroll(session, templateTOTP)

	tok := created.Token
	if tok.Status != api.StatusPending || tok.Type != api.TypeTOTP || tok.TemplateID != templateTOTP || tok.Description != "My phone" {
		t.Errorf("token = %+v, want a PENDING totp token of %s described My phone", tok, templateTOTP)
	}
	if !strings.HasPrefix(tok.Label, "TOTP-") || len(tok.Label) != len("TOTP-7F3A21C4") {
		t.Errorf("label %q, want TOTP- and 8 hex digits", tok.Label)
	}
	p := created.Provisioning
	if p == nil {
		t.Fatal("no provisioning data")
	}
	if len(decodeSecret(t, p.Secret)) != 20 {
		t.Errorf("secret %q is not 20 bytes", p.Secret)
	}
	want := "otpauth://totp/Selfservice:alice%20%28My%20phone%29?secret=" + p.Secret + "&issuer=Selfservice&algorithm=SHA1&digits=6&period=30"
	if p.OTPAuthURI != want {
		t.Errorf("otpauth URI\n got %s\nwant %s", p.OTPAuthURI, want)
	}
	if p.Algorithm != "SHA1" || p.Digits != 6 || p.Period != 30 {
		t.Errorf("provisioning = %+v, want SHA1, 6 digits, 30 s", p)
	}

	// The secret is never shown again.
	for _, path := range []string{"/tokens", "/tokens/" + tok.ID} {
		res := e.call("GET", path, session, nil)
		e.ok(res, 200, nil)
		if strings.Contains(string(res.Body), p.Secret) || strings.Contains(string(res.Body), "secret") {
			t.Errorf("GET %s shows the secret: %s", path, res.Body)
		}
	}
}

func TestEnrollHOTPProvisioning(t *testing.T) {
	e := newEnvWith(t, Config{Issuer: "Acme Corp"})
	_, _, session := e.userWithToken("alice@example.com", RoleEmployee)
	created := e.enroll(session, "hotp-app")
	u, err := url.Parse(created.Provisioning.OTPAuthURI)
	if err != nil {
		t.Fatalf("otpauth URI %q: %v", created.Provisioning.OTPAuthURI, err)
	}
	q := u.Query()
	if u.Scheme != "otpauth" || u.Host != "hotp" || u.Path != "/Acme Corp:alice@example.com (My phone)" {
		t.Errorf("URI %s: want otpauth://hotp/Acme Corp:alice@example.com (My phone)", u)
	}
	if q.Get("counter") != "0" || q.Get("issuer") != "Acme Corp" || q.Get("secret") != created.Provisioning.Secret || q.Has("period") {
		t.Errorf("URI query %v, want counter 0, issuer, secret and no period", q)
	}
	if !strings.HasPrefix(created.Token.Label, "HOTP-") {
		t.Errorf("label %q, want HOTP-…", created.Token.Label)
	}

	// Activation with the first counter value.
	code := refCode(decodeSecret(t, created.Provisioning.Secret), 0, 6)
	e.ok(e.call("POST", "/tokens/"+created.Token.ID+"/activate", session, api.OTPRequest{OTP: code}), 200, nil)
}

func TestTemplates(t *testing.T) {
	// SMS and email templates are offered only when the server can send.
	e := newCodeEnv(t)
	_, _, session := e.userWithToken("alice", RoleEmployee) // one TOTP token already
	var out api.TemplatesResponse
	e.ok(e.call("GET", "/token-templates", session, nil), 200, &out)
	want := []api.TokenTemplate{
		{ID: "totp-app", Name: "Authenticator app (TOTP)", Type: api.TypeTOTP, MaxPerUser: 3, InUse: 1, UserCanDelete: true, Order: 10, Algorithm: "SHA1", Digits: 6, Period: 30},
		{ID: "push-app", Name: "Authenticator app with push", Type: api.TypePush, MaxPerUser: 1, UserCanDelete: true, Order: 15},
		{ID: "hotp-app", Name: "Authenticator app (HOTP)", Type: api.TypeHOTP, MaxPerUser: 2, InUse: 0, UserCanDelete: false, Order: 20, Algorithm: "SHA1", Digits: 6},
		{ID: "hardware-token", Name: "Hardware token", Type: api.TypeHOTP, MaxPerUser: 2, UserCanDelete: false, Order: 25, Algorithm: "SHA1", Digits: 6, Hardware: true},
		{ID: "fido2-key", Name: "Security key (FIDO2)", Type: api.TypeFIDO2, MaxPerUser: 5, UserCanDelete: true, Order: 30,
			WebAuthn: &api.WebAuthnSettings{UserVerification: api.WebAuthnPreferred, ResidentKey: api.WebAuthnDiscouraged}},
		{ID: "fido2-passkey", Name: "Passkey on a security key", Type: api.TypeFIDO2, MaxPerUser: 5, UserCanDelete: true, Order: 40,
			WebAuthn: &api.WebAuthnSettings{UserVerification: api.WebAuthnRequired, ResidentKey: api.WebAuthnRequired, Passwordless: true}},
		{ID: "sms-otp", Name: "Text message (SMS)", Type: api.TypeSMS, MaxPerUser: 2, UserCanDelete: true, Order: 50, Digits: 6},
		{ID: "email-otp", Name: "Email code", Type: api.TypeEmail, MaxPerUser: 2, UserCanDelete: true, Order: 60, Digits: 6},
	}
	if len(out.Templates) != len(want) {
		t.Fatalf("templates = %+v, want %d", out.Templates, len(want))
	}
	for i, got := range out.Templates {
		if got.Description == "" {
			t.Errorf("template %s has no description", got.ID)
		}
		got.Description = ""
		if !reflect.DeepEqual(got, want[i]) {
			t.Errorf("template %d = %+v, want %+v", i, got, want[i])
		}
	}
}

func TestTemplateLimitAndUnknownTemplate(t *testing.T) {
	e := newEnv(t)
	_, _, session := e.userWithToken("alice", RoleEmployee) // 1 of 3 TOTP
	e.enroll(session, templateTOTP)
	e.enroll(session, templateTOTP)
	got := e.apiErr(e.call("POST", "/tokens", session, api.CreateTokenRequest{TemplateID: templateTOTP}), api.CodeTemplateLimit)
	if got.Details["max_per_user"] != float64(3) {
		t.Errorf("details = %v, want max_per_user 3", got.Details)
	}
	e.enroll(session, "hotp-app")
	e.enroll(session, "hotp-app")
	e.apiErr(e.call("POST", "/tokens", session, api.CreateTokenRequest{TemplateID: "hotp-app"}), api.CodeTemplateLimit)

	e.apiErr(e.call("POST", "/tokens", session, api.CreateTokenRequest{TemplateID: "sms"}), api.CodeTemplateNotAllowed)
}

func TestActivateNeedsTheRightCode(t *testing.T) {
	e := newEnv(t)
	_, _, session := e.userWithToken("alice", RoleEmployee)
	created := e.enroll(session, templateTOTP)
	path := "/tokens/" + created.Token.ID + "/activate"
	e.apiErr(e.call("POST", path, session, api.OTPRequest{OTP: "000000"}), api.CodeOTPInvalid)
	secret := decodeSecret(t, created.Provisioning.Secret)
	code := refCode(secret, e.clock.Now().Unix()/30, 6)
	e.ok(e.call("POST", path, session, api.OTPRequest{OTP: code}), 200, nil)
	// An ACTIVE token cannot be activated again.
	e.apiErr(e.call("POST", path, session, api.OTPRequest{OTP: code}), api.CodeInvalidState)
}
