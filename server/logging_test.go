package server

import (
	"strings"
	"testing"

	"selfservice/api"
)

func TestLogsOneLinePerRequestWithoutSecrets(t *testing.T) {
	e := newEnv(t)
	u := e.addUser("alice", RoleEmployee)
	tok := e.addToken(u.ID, templateTOTP, api.StatusActive)

	l := e.login("alice")
	code := e.totp(tok, 0)
	var s api.SessionResponse
	e.ok(e.call("POST", "/auth/login/"+l.LoginID+"/verify", "", api.VerifyLoginRequest{TokenID: tok.ID, OTP: code}), 200, &s)
	var created api.CreateTokenResponse
	e.ok(e.call("POST", "/tokens", s.SessionToken, api.CreateTokenRequest{TemplateID: templateTOTP}), 201, &created)
	e.apiErr(e.call("POST", "/tokens/"+created.Token.ID+"/activate", s.SessionToken, api.OTPRequest{OTP: "999999"}), api.CodeOTPInvalid)
	e.call("GET", "/nowhere", "", nil)

	logs := e.logs.String()
	lines := strings.Split(strings.TrimSpace(logs), "\n")
	if len(lines) != 5 {
		t.Errorf("%d log lines for 5 requests:\n%s", len(lines), logs)
	}
	for _, want := range []string{
		"method=POST route=/api/v1/auth/login status=200 duration=",
		"method=POST route=/api/v1/auth/login/{login_id}/verify status=200",
		"method=POST route=/api/v1/tokens status=201",
		"method=POST route=/api/v1/tokens/{id}/activate status=401",
		"method=GET route=- status=404",
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
	secrets := map[string]string{
		"password":      testPassword,
		"login id":      l.LoginID,
		"code":          code,
		"wrong code":    "999999",
		"session token": s.SessionToken,
		"token secret":  created.Provisioning.Secret,
		"otpauth URI":   "otpauth://",
		"token id":      created.Token.ID,
	}
	for what, secret := range secrets {
		if strings.Contains(logs, secret) {
			t.Errorf("the logs contain the %s", what)
		}
	}
}
