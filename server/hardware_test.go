package server

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"selfservice/api"
)

// The secrets of the test devices (base32 of 20 bytes).
const (
	hwSecretA = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" // "12345678901234567890", RFC 4226's test secret
	hwSecretB = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
)

// importHardware imports a CSV file into the env's store.
func (e *env) importHardware(csv string) {
	e.t.Helper()
	if _, err := ImportHardwareTokens(context.Background(), e.store, strings.NewReader(csv), e.clock.Now()); err != nil {
		e.t.Fatalf("ImportHardwareTokens: %v", err)
	}
}

// claim claims a hardware token for the session.
func (e *env) claim(session, serial, otp string) response {
	e.t.Helper()
	return e.call("POST", "/tokens/claim", session, api.ClaimTokenRequest{Serial: serial, OTP: otp, Description: "Desk token"})
}

func TestImportHardwareTokensRefusesBadFiles(t *testing.T) {
	tests := []struct {
		name, csv, want string
	}{
		{"empty", "", "empty"},
		{"only header", "serial,secret,type,digits\n", "no tokens"},
		{"unknown column", "serial,secret,type,digits,colour\n", `unknown column "colour"`},
		{"missing column", "serial,secret,type\n", `"digits" is missing`},
		{"bad base32", "serial,secret,type,digits\nHW1,NOT-BASE32!,hotp,6\n", "line 2: the secret is not base32"},
		{"short secret", "serial,secret,type,digits\nHW1,GEZDGNBV,hotp,6\n", "line 2: the secret is too short"},
		{"bad type", "serial,secret,type,digits\nHW1," + hwSecretA + ",sms,6\n", "line 2: the type must be hotp or totp"},
		{"bad digits", "serial,secret,type,digits\nHW1," + hwSecretA + ",hotp,7\n", "line 2: digits must be 6 or 8"},
		{"bad period", "serial,secret,type,digits,period\nHW1," + hwSecretA + ",totp,6,5\n", "line 2: the period must be"},
		{"hotp with period", "serial,secret,type,digits,period\nHW1," + hwSecretA + ",hotp,6,30\n", "line 2: an hotp token has no period"},
		{"bad serial", "serial,secret,type,digits\nHW 1," + hwSecretA + ",hotp,6\n", "line 2: the serial must be"},
		{"duplicate in file", "serial,secret,type,digits\nHW1," + hwSecretA + ",hotp,6\nhw1," + hwSecretB + ",totp,6\n", "line 3: serial HW1 is on line 2 already"},
		{"imported already", "serial,secret,type,digits\nHW2," + hwSecretB + ",hotp,6\nHW0," + hwSecretA + ",hotp,6\n", "line 3: serial HW0 is imported already"},
		{"wrong field count", "serial,secret,type,digits\nHW1," + hwSecretA + ",hotp\n", "line 2:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.importHardware("serial,secret,type,digits\nHW0," + hwSecretA + ",hotp,6\n")
			n, err := ImportHardwareTokens(context.Background(), e.store, strings.NewReader(tt.csv), e.clock.Now())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %d, %v; want an error with %q", n, err, tt.want)
			}
			if strings.Contains(err.Error(), hwSecretA) || strings.Contains(err.Error(), hwSecretB) {
				t.Errorf("error %q shows a secret", err)
			}
			all, _ := e.store.HardwareTokens(context.Background())
			if len(all) != 1 {
				t.Errorf("got %d hardware tokens after a refused import, want only the 1 imported before", len(all))
			}
		})
	}
}

func TestImportHardwareTokens(t *testing.T) {
	e := newEnv(t)
	n, err := ImportHardwareTokens(context.Background(), e.store, strings.NewReader(
		"serial,secret,type,digits,period\nhw-1, "+strings.ToLower(hwSecretA)+",HOTP,6,\nHW-2,"+hwSecretB+"==,totp,8,60\nHW-3,"+hwSecretB+",totp,6,\n"), e.clock.Now())
	if err != nil || n != 3 {
		t.Fatalf("got %d, %v; want 3 imported", n, err)
	}
	all, err := e.store.HardwareTokens(context.Background())
	if err != nil || len(all) != 3 {
		t.Fatalf("got %d tokens, %v; want 3", len(all), err)
	}
	got := all[1]
	if got.Serial != "HW-2" || got.Type != api.TypeTOTP || got.Digits != 8 || got.Period != 60 || got.Assigned() {
		t.Errorf("got %+v, want unassigned TOTP HW-2 with 8 digits and 60 s", got)
	}
	if all[0].Serial != "HW-1" || string(all[0].Secret) != "12345678901234567890" || all[0].Period != 0 {
		t.Errorf("got %s with period %d, want HW-1 with the decoded secret and no period", all[0].Serial, all[0].Period)
	}
	if all[2].Period != defaultHardwarePeriod {
		t.Errorf("got period %d for HW-3, want the default %d", all[2].Period, defaultHardwarePeriod)
	}
}

func TestClaimHardwareToken(t *testing.T) {
	e := newEnv(t)
	e.importHardware("serial,secret,type,digits\nHW-1," + hwSecretA + ",hotp,6\n")
	u, _, session := e.userWithToken("ann", RoleEmployee)
	e.issueCode("ann", time.Hour, 1)
	secret := decodeSecret(t, hwSecretA)

	// A code a few presses ahead is found by the look-ahead.
	var out api.TokenResponse
	e.ok(e.claim(session, " hw-1 ", oathtoolHOTP(t, secret, 3)), 201, &out)
	if out.Token.Status != api.StatusActive || out.Token.Type != api.TypeHOTP || out.Token.Label != "HW-1" ||
		out.Token.TemplateID != TemplateHardware || out.Token.Description != "Desk token" {
		t.Fatalf("got %+v, want an ACTIVE HOTP token HW-1 of the hardware template", out.Token)
	}
	if hasEmergencyMethod(e.login("ann").Methods) {
		t.Error("the claim left the emergency access code active")
	}

	// It is an ordinary token: test, replay and resync work on it.
	path := "/tokens/" + out.Token.ID
	e.apiErr(e.call("POST", path+"/test", session, api.OTPRequest{OTP: oathtoolHOTP(t, secret, 3)}), api.CodeOTPReplayed)
	e.ok(e.call("POST", path+"/test", session, api.OTPRequest{OTP: oathtoolHOTP(t, secret, 4)}), 200, nil)
	e.apiErr(e.call("POST", path+"/test", session, api.OTPRequest{OTP: oathtoolHOTP(t, secret, 40)}), api.CodeOTPInvalid)
	e.ok(e.call("POST", path+"/resync", session, api.ResyncRequest{OTP1: oathtoolHOTP(t, secret, 40), OTP2: oathtoolHOTP(t, secret, 41)}), 200, nil)
	e.ok(e.call("POST", path+"/test", session, api.OTPRequest{OTP: oathtoolHOTP(t, secret, 42)}), 200, nil)

	// It signs in.
	l := e.login("ann")
	e.ok(e.call("POST", "/auth/login/"+l.LoginID+"/verify", "", api.VerifyLoginRequest{TokenID: out.Token.ID, OTP: oathtoolHOTP(t, secret, 43)}), 200, nil)

	// Claimed: nobody, its holder included, can claim it again, and the
	// answer is the one for an unknown serial.
	_, _, bob := e.userWithToken("bob", RoleEmployee)
	taken := e.apiErr(e.claim(bob, "HW-1", oathtoolHOTP(t, secret, 44)), api.CodeNotFound)
	unknown := e.apiErr(e.claim(bob, "HW-9", oathtoolHOTP(t, secret, 44)), api.CodeNotFound)
	if taken.Message != unknown.Message {
		t.Errorf("got %q for a claimed serial and %q for an unknown one, want the same", taken.Message, unknown.Message)
	}
	e.apiErr(e.claim(session, "HW-1", oathtoolHOTP(t, secret, 44)), api.CodeNotFound)
	if h, _ := e.store.HardwareToken(context.Background(), "HW-1"); h.Username != "ann" || h.UserID != u.ID {
		t.Errorf("got holder %q, want ann", h.Username)
	}
}

func TestClaimTOTPHardwareTokenOfAPartialUser(t *testing.T) {
	e := newEnv(t)
	e.importHardware("serial,secret,type,digits,period\nHW-T," + hwSecretB + ",totp,8,60\n")
	e.addUser("cid", RoleEmployee)
	var l api.LoginResponse
	e.ok(e.call("POST", "/auth/login", "", api.LoginRequest{Username: "cid", Password: testPassword}), 200, &l)
	if !l.EnrollmentRequired {
		t.Fatalf("got %+v, want an enrollment session", l)
	}
	code := oathtool(t, "--totp", "--digits=8", "--time-step-size=60s", "-b", hwSecretB, "--now", e.clock.Now().UTC().Format("2006-01-02 15:04:05 UTC"))
	var out api.TokenResponse
	e.ok(e.claim(l.SessionToken, "HW-T", code), 201, &out)
	if out.Token.Type != api.TypeTOTP || out.Token.Status != api.StatusActive {
		t.Fatalf("got %+v, want an ACTIVE TOTP token", out.Token)
	}
	var me api.MeResponse
	e.ok(e.call("GET", "/me", l.SessionToken, nil), 200, &me)
	if me.User.Enrollment != api.EnrollmentFull {
		t.Errorf("got enrollment %s, want full", me.User.Enrollment)
	}
}

func TestWrongClaimCodesLockTheSerial(t *testing.T) {
	e := newEnv(t)
	e.importHardware("serial,secret,type,digits\nHW-1," + hwSecretA + ",hotp,6\n")
	_, _, session := e.userWithToken("ann", RoleEmployee)
	secret := decodeSecret(t, hwSecretA)
	for i := 1; i < e.cfg.withDefaults().MaxFailures; i++ {
		e.apiErr(e.claim(session, "HW-1", "000000"), api.CodeOTPInvalid)
	}
	e.apiErr(e.claim(session, "HW-1", "000000"), api.CodeTooManyAttempts)
	e.apiErr(e.claim(session, "HW-1", oathtoolHOTP(t, secret, 0)), api.CodeTooManyAttempts)
	e.clock.Advance(e.cfg.withDefaults().Lockout)
	e.ok(e.claim(session, "HW-1", oathtoolHOTP(t, secret, 0)), 201, nil)
}

func TestClaimIsApprovableAsAnEnrollment(t *testing.T) {
	e := newEnv(t)
	e.importHardware("serial,secret,type,digits\nHW-1," + hwSecretA + ",hotp,6\n")
	_, tok, session := e.userWithToken("ann", RoleEmployee)
	if err := SetApprovalPolicy(context.Background(), e.store, ApprovalPolicy{Operation: api.OpTokenEnroll, Mode: api.ModeSelf}); err != nil {
		t.Fatal(err)
	}
	code := oathtoolHOTP(t, decodeSecret(t, hwSecretA), 0)
	step, ok := api.ApprovalRequired(e.apiErr(e.claim(session, "HW-1", code), api.CodeApprovalRequired))
	if !ok {
		t.Fatal("no step-up in the approval_required error")
	}
	if h, _ := e.store.HardwareToken(context.Background(), "HW-1"); h.Assigned() {
		t.Fatal("the token was claimed before the step-up")
	}
	e.clock.Advance(30 * time.Second) // the sign-in used the current code
	e.ok(e.call("POST", "/approvals/"+step.ApprovalID+"/verify", session, api.VerifyApprovalRequest{TokenID: tok.ID, OTP: e.totp(tok, 0)}), 200, nil)
	other := e.callApproved("POST", "/tokens/claim", session, step.ApprovalID, api.ClaimTokenRequest{Serial: "HW-1", OTP: code, Description: "another name"})
	e.apiErr(other, api.CodeApprovalInvalid)
	e.ok(e.callApproved("POST", "/tokens/claim", session, step.ApprovalID, api.ClaimTokenRequest{Serial: "HW-1", OTP: code, Description: "Desk token"}), 201, nil)
}

func TestHardwareTemplateIsNotEnrolled(t *testing.T) {
	e := newEnv(t)
	_, _, session := e.userWithToken("ann", RoleEmployee)
	var templates api.TemplatesResponse
	e.ok(e.call("GET", "/token-templates", session, nil), 200, &templates)
	hardware := 0
	for _, tpl := range templates.Templates {
		if tpl.Hardware {
			hardware++
		}
	}
	if hardware != 1 {
		t.Errorf("got %d hardware templates, want 1", hardware)
	}
	e.apiErr(e.call("POST", "/tokens", session, api.CreateTokenRequest{TemplateID: TemplateHardware}), api.CodeInvalidRequest)
}

func TestUnassignHardwareToken(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.importHardware("serial,secret,type,digits\nHW-1," + hwSecretA + ",hotp,6\n")
	secret := decodeSecret(t, hwSecretA)
	e.addUser("cid", RoleEmployee)
	var l api.LoginResponse
	e.ok(e.call("POST", "/auth/login", "", api.LoginRequest{Username: "cid", Password: testPassword}), 200, &l)
	e.ok(e.claim(l.SessionToken, "HW-1", oathtoolHOTP(t, secret, 0)), 201, nil)
	// The device is pressed on: the counter moves with the token.
	var tokens api.TokensResponse
	e.ok(e.call("GET", "/tokens", l.SessionToken, nil), 200, &tokens)
	e.ok(e.call("POST", "/tokens/"+tokens.Tokens[0].ID+"/test", l.SessionToken, api.OTPRequest{OTP: oathtoolHOTP(t, secret, 8)}), 200, nil)

	if _, err := UnassignHardwareToken(ctx, e.store, "HW-1", false); !errors.Is(err, api.ErrLastActiveToken) {
		t.Fatalf("got %v unassigning cid's only token, want last_active_token", err)
	}
	was, err := UnassignHardwareToken(ctx, e.store, "hw-1", true)
	if err != nil || was.Username != "cid" {
		t.Fatalf("got %q, %v; want cid's token unassigned", was.Username, err)
	}
	if _, err := UnassignHardwareToken(ctx, e.store, "HW-1", true); !errors.Is(err, ErrNotAssigned) {
		t.Errorf("got %v unassigning again, want ErrNotAssigned", err)
	}
	if _, err := UnassignHardwareToken(ctx, e.store, "HW-9", true); !errors.Is(err, ErrNotFound) {
		t.Errorf("got %v for an unknown serial, want ErrNotFound", err)
	}
	if n, _ := e.store.CountActiveTokens(ctx, was.UserID); n != 0 {
		t.Errorf("cid has %d ACTIVE tokens, want 0", n)
	}

	// Claimable again, from where the device's counter is.
	_, _, bob := e.userWithToken("bob", RoleEmployee)
	e.ok(e.claim(bob, "HW-1", oathtoolHOTP(t, secret, 12)), 201, nil)
	if h, _ := e.store.HardwareToken(ctx, "HW-1"); h.Username != "bob" {
		t.Errorf("got holder %q, want bob", h.Username)
	}
}
