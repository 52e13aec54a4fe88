package server

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"selfservice/api"
)

func TestTokenActions(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(e *env, userID string) TokenRecord // besides the user's ACTIVE TOTP token
		method   string
		action   string // path after /tokens/{id}
		body     any
		wantCode string // "" for success
		want     api.TokenStatus
	}{
		{"disable an ACTIVE token", active, "POST", "/disable", nil, "", api.StatusDisabled},
		{"disable a DISABLED token", disabled, "POST", "/disable", nil, api.CodeInvalidState, ""},
		{"enable a DISABLED token", disabled, "POST", "/enable", nil, "", api.StatusActive},
		{"enable an ACTIVE token", active, "POST", "/enable", nil, api.CodeInvalidState, ""},
		{"enable a PENDING token", pending, "POST", "/enable", nil, api.CodeInvalidState, ""},
		{"rename", active, "PATCH", "", api.UpdateTokenRequest{Description: " Work phone "}, "", api.StatusActive},
		{"rename with a control character", active, "PATCH", "", api.UpdateTokenRequest{Description: "a\x07b"}, api.CodeInvalidRequest, ""},
		{"rename an OBSOLETE token", obsolete, "PATCH", "", api.UpdateTokenRequest{Description: "x"}, api.CodeInvalidState, ""},
		{"test a DISABLED token", disabled, "POST", "/test", api.OTPRequest{OTP: "123456"}, api.CodeInvalidState, ""},
		{"delete an ACTIVE TOTP token", active, "DELETE", "", nil, "", ""},
		{"delete a DISABLED TOTP token", disabled, "DELETE", "", nil, "", ""},
		{"delete a HOTP token (template forbids)", activeHOTP, "DELETE", "", nil, api.CodeNotSupported, ""},
		{"delete a PENDING HOTP token", pendingHOTP, "DELETE", "", nil, "", ""},
		{"unknown token", func(*env, string) TokenRecord { return TokenRecord{ID: "no-such-token"} }, "POST", "/disable", nil, api.CodeNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			u, _, session := e.userWithToken("alice", RoleEmployee)
			tok := tt.setup(e, u.ID)
			res := e.call(tt.method, "/tokens/"+tok.ID+tt.action, session, tt.body)
			if tt.wantCode != "" {
				e.apiErr(res, tt.wantCode)
				return
			}
			if tt.method == "DELETE" {
				e.ok(res, 204, nil)
				e.apiErr(e.call("GET", "/tokens/"+tok.ID, session, nil), api.CodeNotFound)
				return
			}
			var out api.TokenResponse
			e.ok(res, 200, &out)
			if out.Token.Status != tt.want {
				t.Errorf("status %s, want %s", out.Token.Status, tt.want)
			}
			if stored := e.token(u.ID, tok.ID); stored.Status != tt.want {
				t.Errorf("stored status %s, want %s", stored.Status, tt.want)
			}
			if tt.name == "rename" && out.Token.Description != "Work phone" {
				t.Errorf("description %q, want Work phone", out.Token.Description)
			}
		})
	}
}

func active(e *env, userID string) TokenRecord {
	return e.addToken(userID, templateTOTP, api.StatusActive)
}
func disabled(e *env, userID string) TokenRecord {
	return e.addToken(userID, templateTOTP, api.StatusDisabled)
}
func pending(e *env, userID string) TokenRecord {
	return e.addToken(userID, templateTOTP, api.StatusPending)
}
func obsolete(e *env, userID string) TokenRecord {
	return e.addToken(userID, templateTOTP, api.StatusObsolete)
}
func activeHOTP(e *env, userID string) TokenRecord {
	return e.addToken(userID, "hotp-app", api.StatusActive)
}
func pendingHOTP(e *env, userID string) TokenRecord {
	return e.addToken(userID, "hotp-app", api.StatusPending)
}

func TestLastActiveToken(t *testing.T) {
	e := newEnv(t)
	u, tok, session := e.userWithToken("alice", RoleEmployee)
	e.addToken(u.ID, templateTOTP, api.StatusDisabled) // a DISABLED token does not count

	got := e.apiErr(e.call("POST", "/tokens/"+tok.ID+"/disable", session, nil), api.CodeLastActiveToken)
	if got.Message == "" {
		t.Error("no explanation")
	}
	e.apiErr(e.call("DELETE", "/tokens/"+tok.ID, session, nil), api.CodeLastActiveToken)
	if stored := e.token(u.ID, tok.ID); stored.Status != api.StatusActive {
		t.Errorf("status %s after refusals, want ACTIVE", stored.Status)
	}

	second := e.addToken(u.ID, templateTOTP, api.StatusActive)
	e.ok(e.call("POST", "/tokens/"+tok.ID+"/disable", session, nil), 200, nil)
	e.apiErr(e.call("DELETE", "/tokens/"+second.ID, session, nil), api.CodeLastActiveToken)
	e.ok(e.call("DELETE", "/tokens/"+tok.ID, session, nil), 204, nil) // DISABLED now
}

func TestOtherUsersTokensAreNotFound(t *testing.T) {
	e := newEnv(t)
	_, _, alice := e.userWithToken("alice", RoleEmployee)
	bob, bobTok, _ := e.userWithToken("bob", RoleEmployee)
	bobSecond := e.addToken(bob.ID, templateTOTP, api.StatusActive)

	calls := []struct {
		method, path string
		body         any
	}{
		{"GET", "", nil},
		{"PATCH", "", api.UpdateTokenRequest{Description: "mine now"}},
		{"DELETE", "", nil},
		{"POST", "/test", api.OTPRequest{OTP: e.totp(bobTok, 0)}},
		{"POST", "/resync", api.ResyncRequest{OTP1: e.totp(bobTok, 0), OTP2: e.totp(bobTok, 1)}},
		{"POST", "/disable", nil},
		{"POST", "/enable", nil},
		{"POST", "/activate", api.OTPRequest{OTP: e.totp(bobTok, 0)}},
	}
	for _, c := range calls {
		for _, id := range []string{bobTok.ID, bobSecond.ID} {
			e.apiErr(e.call(c.method, "/tokens/"+id+c.path, alice, c.body), api.CodeNotFound)
		}
	}
	var list api.TokensResponse
	e.ok(e.call("GET", "/tokens", alice, nil), 200, &list)
	for _, tok := range list.Tokens {
		if tok.ID == bobTok.ID || tok.ID == bobSecond.ID {
			t.Errorf("alice's list shows bob's token %s", tok.ID)
		}
	}
	if len(list.Tokens) != 1 {
		t.Errorf("alice sees %d tokens, want her 1", len(list.Tokens))
	}
	for _, id := range []string{bobTok.ID, bobSecond.ID} {
		if got := e.token(bob.ID, id); got.Status != api.StatusActive || got.Description != "" {
			t.Errorf("bob's token changed: %+v", got)
		}
	}
}

func TestHelpdeskPrivileges(t *testing.T) {
	e := newEnv(t)
	u, tok, session := e.userWithToken("hd", RoleHelpdesk)
	second := e.addToken(u.ID, templateTOTP, api.StatusActive)
	disabledTok := e.addToken(u.ID, templateTOTP, api.StatusDisabled)

	refused := []struct {
		method, path string
		body         any
		privilege    api.Privilege
	}{
		{"POST", "/tokens", api.CreateTokenRequest{TemplateID: templateTOTP}, api.PrivTokenEnroll},
		{"POST", "/tokens/" + second.ID + "/disable", nil, api.PrivTokenDisable},
		{"POST", "/tokens/" + disabledTok.ID + "/enable", nil, api.PrivTokenEnable},
		{"PATCH", "/tokens/" + second.ID, api.UpdateTokenRequest{Description: "x"}, api.PrivTokenModify},
		{"DELETE", "/tokens/" + second.ID, nil, api.PrivTokenDelete},
		{"POST", "/tokens/" + second.ID + "/activate", api.OTPRequest{OTP: "123456"}, api.PrivTokenEnroll},
	}
	for _, r := range refused {
		got := e.apiErr(e.call(r.method, r.path, session, r.body), api.CodePrivilegeMissing)
		if got.Details["privilege"] != string(r.privilege) {
			t.Errorf("%s %s: details %v, want privilege %s", r.method, r.path, got.Details, r.privilege)
		}
	}
	if got := e.token(u.ID, second.ID); got.Status != api.StatusActive || got.Description != "" {
		t.Errorf("token changed despite refusals: %+v", got)
	}

	// What helpdesk may do.
	e.ok(e.call("GET", "/tokens", session, nil), 200, nil)
	e.ok(e.call("GET", "/tokens/"+tok.ID, session, nil), 200, nil)
	e.ok(e.call("GET", "/token-templates", session, nil), 200, nil)
	e.clock.Advance(30 * time.Second)
	e.ok(e.call("POST", "/tokens/"+tok.ID+"/test", session, api.OTPRequest{OTP: e.totp(tok, 0)}), 200, nil)
	e.clock.Advance(30 * time.Second)
	e.ok(e.call("POST", "/tokens/"+tok.ID+"/resync", session, api.ResyncRequest{OTP1: e.totp(tok, 0), OTP2: e.totp(tok, 1)}), 200, nil)
}

func TestTestToken(t *testing.T) {
	e := newEnv(t)
	u, tok, session := e.userWithToken("alice", RoleEmployee)
	e.clock.Advance(20 * time.Minute)
	path := "/tokens/" + tok.ID + "/test"

	e.apiErr(e.call("POST", path, session, api.OTPRequest{OTP: "000000"}), api.CodeOTPInvalid)
	code := e.totp(tok, 0)
	var out api.TokenResponse
	e.ok(e.call("POST", path, session, api.OTPRequest{OTP: code}), 200, &out)
	if out.Token.LastUsedAt == nil || !out.Token.LastUsedAt.Equal(e.clock.Now()) {
		t.Errorf("last_used_at = %v, want %v", out.Token.LastUsedAt, e.clock.Now())
	}
	e.apiErr(e.call("POST", path, session, api.OTPRequest{OTP: code}), api.CodeOTPReplayed)
	// A code for the previous step, after a newer one was used, is a replay too.
	e.clock.Advance(30 * time.Second)
	e.apiErr(e.call("POST", path, session, api.OTPRequest{OTP: e.totp(tok, -1)}), api.CodeOTPReplayed)
	e.ok(e.call("POST", path, session, api.OTPRequest{OTP: e.totp(tok, 0)}), 200, nil)
	if got := e.token(u.ID, tok.ID).Failures.Count; got != 0 {
		t.Errorf("failures after a success = %d, want 0", got)
	}
}

func TestTokenLockout(t *testing.T) {
	e := newEnvWith(t, Config{MaxFailures: 3, Lockout: time.Minute})
	u, tok, session := e.userWithToken("alice", RoleEmployee)
	path := "/tokens/" + tok.ID + "/test"
	wrong := api.OTPRequest{OTP: "000000"}

	// A success in between resets the count.
	e.apiErr(e.call("POST", path, session, wrong), api.CodeOTPInvalid)
	e.apiErr(e.call("POST", path, session, wrong), api.CodeOTPInvalid)
	e.clock.Advance(30 * time.Second)
	e.ok(e.call("POST", path, session, api.OTPRequest{OTP: e.totp(tok, 0)}), 200, nil)

	e.apiErr(e.call("POST", path, session, wrong), api.CodeOTPInvalid)
	e.apiErr(e.call("POST", path, session, wrong), api.CodeOTPInvalid)
	res := e.call("POST", path, session, wrong)
	e.apiErr(res, api.CodeTooManyAttempts)
	if got := res.Header.Get("Retry-After"); got != "60" {
		t.Errorf("Retry-After = %q, want 60", got)
	}
	e.clock.Advance(30 * time.Second)
	res = e.call("POST", path, session, api.OTPRequest{OTP: e.totp(tok, 0)})
	e.apiErr(res, api.CodeTooManyAttempts)
	if got := res.Header.Get("Retry-After"); got != "30" {
		t.Errorf("Retry-After = %q, want 30", got)
	}
	if got := e.token(u.ID, tok.ID); got.LastUsedAt.Equal(e.clock.Now()) {
		t.Error("a locked token recorded a use")
	}

	e.clock.Advance(30 * time.Second)
	e.ok(e.call("POST", path, session, api.OTPRequest{OTP: e.totp(tok, 0)}), 200, nil)
}

// TestEveryCodeCallLocksOut checks that wrong codes lock each call that
// takes one, and that the lock holds for a right code too.
func TestEveryCodeCallLocksOut(t *testing.T) {
	tests := []struct {
		action string
		status api.TokenStatus
		wrong  any
		right  func(e *env, tok TokenRecord) any
	}{
		{"/activate", api.StatusPending, api.OTPRequest{OTP: "000000"},
			func(e *env, tok TokenRecord) any { return api.OTPRequest{OTP: e.totp(tok, 0)} }},
		{"/test", api.StatusActive, api.OTPRequest{OTP: "000000"},
			func(e *env, tok TokenRecord) any { return api.OTPRequest{OTP: e.totp(tok, 0)} }},
		{"/resync", api.StatusActive, api.ResyncRequest{OTP1: "000000", OTP2: "111111"},
			func(e *env, tok TokenRecord) any {
				return api.ResyncRequest{OTP1: e.totp(tok, 0), OTP2: e.totp(tok, 1)}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.action, func(t *testing.T) {
			e := newEnvWith(t, Config{MaxFailures: 2, Lockout: time.Minute})
			u, _, session := e.userWithToken("alice", RoleEmployee)
			tok := e.addToken(u.ID, templateTOTP, tt.status)
			path := "/tokens/" + tok.ID + tt.action

			e.apiErr(e.call("POST", path, session, tt.wrong), api.CodeOTPInvalid)
			res := e.call("POST", path, session, tt.wrong)
			e.apiErr(res, api.CodeTooManyAttempts)
			if got := res.Header.Get("Retry-After"); got != "60" {
				t.Errorf("Retry-After = %q, want 60", got)
			}
			e.apiErr(e.call("POST", path, session, tt.right(e, tok)), api.CodeTooManyAttempts)

			e.clock.Advance(time.Minute)
			e.ok(e.call("POST", path, session, tt.right(e, tok)), 200, nil)
		})
	}
}

func TestResyncTOTP(t *testing.T) {
	e := newEnv(t)
	u, tok, session := e.userWithToken("alice", RoleEmployee)
	path := "/tokens/" + tok.ID
	e.clock.Advance(20 * time.Minute)

	// The device's clock runs 5 steps (2.5 minutes) ahead: too far for a test.
	e.apiErr(e.call("POST", path+"/test", session, api.OTPRequest{OTP: e.totp(tok, 5)}), api.CodeOTPInvalid)

	// Two codes that do not follow each other are refused.
	e.apiErr(e.call("POST", path+"/resync", session, api.ResyncRequest{OTP1: e.totp(tok, 5), OTP2: e.totp(tok, 7)}), api.CodeOTPInvalid)

	var out api.TokenResponse
	e.ok(e.call("POST", path+"/resync", session, api.ResyncRequest{OTP1: e.totp(tok, 5), OTP2: e.totp(tok, 6)}), 200, &out)
	if out.Token.LastUsedAt == nil {
		t.Error("resync did not record a use")
	}
	if got := e.token(u.ID, tok.ID).Drift; got != 6 {
		t.Errorf("drift = %d steps, want 6", got)
	}

	// Now the drifted device's codes pass.
	e.clock.Advance(30 * time.Second)
	e.ok(e.call("POST", path+"/test", session, api.OTPRequest{OTP: e.totp(tok, 6)}), 200, nil)
	// The same two codes cannot resync again.
	e.apiErr(e.call("POST", path+"/resync", session, api.ResyncRequest{OTP1: e.totp(tok, 4), OTP2: e.totp(tok, 5)}), api.CodeOTPReplayed)

	// Nor can a code that was used already, even paired with a fresh one.
	e.apiErr(e.call("POST", path+"/resync", session, api.ResyncRequest{OTP1: e.totp(tok, 6), OTP2: e.totp(tok, 7)}), api.CodeOTPReplayed)

	// Codes beyond the resync window are refused.
	e.apiErr(e.call("POST", path+"/resync", session, api.ResyncRequest{OTP1: e.totp(tok, 20), OTP2: e.totp(tok, 21)}), api.CodeOTPInvalid)
}

func TestResyncHOTPAndDisabledTokens(t *testing.T) {
	e := newEnv(t)
	u, _, session := e.userWithToken("alice", RoleEmployee)
	hotp := e.addToken(u.ID, "hotp-app", api.StatusDisabled) // resync works on DISABLED tokens too
	path := "/tokens/" + hotp.ID + "/resync"
	code := func(counter int64) string { return refCode(hotp.Secret, counter, 6) }

	e.apiErr(e.call("POST", path, session, api.ResyncRequest{OTP1: code(150), OTP2: code(151)}), api.CodeOTPInvalid)
	e.ok(e.call("POST", path, session, api.ResyncRequest{OTP1: code(50), OTP2: code(51)}), 200, nil)
	if got := e.token(u.ID, hotp.ID).Counter; got != 52 {
		t.Errorf("counter = %d, want 52", got)
	}
	e.ok(e.call("POST", "/tokens/"+hotp.ID+"/enable", session, nil), 200, nil)
	e.ok(e.call("POST", "/tokens/"+hotp.ID+"/test", session, api.OTPRequest{OTP: code(55)}), 200, nil)
	e.apiErr(e.call("POST", "/tokens/"+hotp.ID+"/test", session, api.OTPRequest{OTP: code(51)}), api.CodeOTPReplayed)
}

func TestTokenJSON(t *testing.T) {
	e := newEnv(t)
	u, tok, session := e.userWithToken("alice", RoleEmployee)
	fresh := e.addToken(u.ID, "hotp-app", api.StatusActive)
	var list struct {
		Tokens []map[string]any `json:"tokens"`
	}
	e.ok(e.call("GET", "/tokens", session, nil), 200, &list)
	if len(list.Tokens) != 2 {
		t.Fatalf("tokens = %v, want 2", list.Tokens)
	}
	first, second := list.Tokens[0], list.Tokens[1]
	if first["id"] != tok.ID || first["deletable"] != true || first["last_used_at"] == nil {
		t.Errorf("first token %v: want %s, deletable, used at sign-in", first, tok.ID)
	}
	if second["id"] != fresh.ID || second["deletable"] != false {
		t.Errorf("second token %v: want %s, not deletable", second, fresh.ID)
	}
	if _, ok := second["last_used_at"]; ok {
		t.Errorf("a never used token has last_used_at: %v", second)
	}
	raw, _ := json.Marshal(list)
	for _, secret := range []string{secretBase32(tok.Secret), secretBase32(fresh.Secret)} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("the token list shows a secret")
		}
	}
}
