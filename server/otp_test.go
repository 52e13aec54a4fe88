package server

import (
	"net/url"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"selfservice/api"
)

// oathtool runs the reference OTP tool and returns the code it prints.
func oathtool(t *testing.T, args ...string) string {
	t.Helper()
	path, err := exec.LookPath("oathtool")
	if err != nil {
		t.Skip("oathtool is not installed (Debian package oathtool); it is the reference these tests compare codes with")
	}
	out, err := exec.Command(path, args...).Output()
	if err != nil {
		t.Fatalf("oathtool %v: %v", args, err)
	}
	return strings.TrimSpace(string(out))
}

func oathtoolTOTP(t *testing.T, secret []byte, at time.Time) string {
	return oathtool(t, "--totp", "-b", secretBase32(secret), "--now", at.UTC().Format("2006-01-02 15:04:05 UTC"))
}

func oathtoolHOTP(t *testing.T, secret []byte, counter int) string {
	return oathtool(t, "-c", strconv.Itoa(counter), "-b", secretBase32(secret))
}

func TestTOTPCodesFromOathtool(t *testing.T) {
	e := newEnv(t)
	_, _, session := e.userWithToken("alice", RoleEmployee)
	created := e.enroll(session, templateTOTP)
	secret := decodeSecret(t, created.Provisioning.Secret)
	path := "/tokens/" + created.Token.ID

	e.ok(e.call("POST", path+"/activate", session, api.OTPRequest{OTP: oathtoolTOTP(t, secret, e.clock.Now())}), 200, nil)

	tests := []struct {
		name     string
		offset   time.Duration // of the device's clock against the server's
		wantCode string
	}{
		{"same time", 0, ""},
		{"device 30 s behind", -30 * time.Second, ""},
		{"device 30 s ahead", 30 * time.Second, ""},
		{"device 90 s behind", -90 * time.Second, api.CodeOTPInvalid},
		{"device 90 s ahead", 90 * time.Second, api.CodeOTPInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.clock.Advance(2 * time.Minute) // fresh steps, away from earlier uses
			code := oathtoolTOTP(t, secret, e.clock.Now().Add(tt.offset))
			res := e.call("POST", path+"/test", session, api.OTPRequest{OTP: code})
			if tt.wantCode == "" {
				e.ok(res, 200, nil)
				e.apiErr(e.call("POST", path+"/test", session, api.OTPRequest{OTP: code}), api.CodeOTPReplayed)
			} else {
				e.apiErr(res, tt.wantCode)
			}
		})
	}

	t.Run("resync", func(t *testing.T) {
		e.clock.Advance(2 * time.Minute)
		ahead := e.clock.Now().Add(4 * time.Minute)
		req := api.ResyncRequest{OTP1: oathtoolTOTP(t, secret, ahead), OTP2: oathtoolTOTP(t, secret, ahead.Add(30*time.Second))}
		e.ok(e.call("POST", path+"/resync", session, req), 200, nil)
		e.clock.Advance(30 * time.Second)
		code := oathtoolTOTP(t, secret, e.clock.Now().Add(4*time.Minute+30*time.Second))
		e.ok(e.call("POST", path+"/test", session, api.OTPRequest{OTP: code}), 200, nil)
	})
}

func TestHOTPCodesFromOathtool(t *testing.T) {
	e := newEnv(t)
	_, _, session := e.userWithToken("alice", RoleEmployee)
	created := e.enroll(session, "hotp-app")
	secret := decodeSecret(t, created.Provisioning.Secret)
	path := "/tokens/" + created.Token.ID

	e.ok(e.call("POST", path+"/activate", session, api.OTPRequest{OTP: oathtoolHOTP(t, secret, 0)}), 200, nil)
	test := func(counter int) response {
		return e.call("POST", path+"/test", session, api.OTPRequest{OTP: oathtoolHOTP(t, secret, counter)})
	}
	e.apiErr(test(0), api.CodeOTPReplayed)
	e.ok(test(1), 200, nil)
	e.ok(test(5), 200, nil) // presses the device made without signing in are skipped
	e.apiErr(test(3), api.CodeOTPReplayed)
	e.ok(test(15), 200, nil) // the last value of the look-ahead window (6 to 15)
	e.apiErr(test(26), api.CodeOTPInvalid)

	req := api.ResyncRequest{OTP1: oathtoolHOTP(t, secret, 80), OTP2: oathtoolHOTP(t, secret, 81)}
	e.ok(e.call("POST", path+"/resync", session, req), 200, nil)
	e.ok(test(82), 200, nil)
}

func TestReferenceCodeMatchesOathtool(t *testing.T) {
	secret := []byte("12345678901234567890")
	for _, counter := range []int{0, 1, 9, 1000} {
		if got, want := refCode(secret, int64(counter), 6), oathtoolHOTP(t, secret, counter); got != want {
			t.Errorf("counter %d: test code %s, oathtool %s", counter, got, want)
		}
	}
}

func TestCheckCode(t *testing.T) {
	now := testStart
	step := now.Unix() / 30
	tests := []struct {
		name     string
		tok      TokenRecord
		counter  int64 // of the code sent
		wantErr  string
		wantStep int64 // TOTP: LastStep after; HOTP: Counter after
	}{
		{"totp now", TokenRecord{Type: api.TypeTOTP}, step, "", step},
		{"totp one step back", TokenRecord{Type: api.TypeTOTP}, step - 1, "", step - 1},
		{"totp one step ahead", TokenRecord{Type: api.TypeTOTP}, step + 1, "", step + 1},
		{"totp two steps back", TokenRecord{Type: api.TypeTOTP}, step - 2, api.CodeOTPInvalid, 0},
		{"totp two steps ahead", TokenRecord{Type: api.TypeTOTP}, step + 2, api.CodeOTPInvalid, 0},
		{"totp same step again", TokenRecord{Type: api.TypeTOTP, LastStep: step}, step, api.CodeOTPReplayed, step},
		{"totp older than the last", TokenRecord{Type: api.TypeTOTP, LastStep: step}, step - 1, api.CodeOTPReplayed, step},
		{"totp with drift", TokenRecord{Type: api.TypeTOTP, Drift: 8}, step + 9, "", step + 9},
		{"hotp next", TokenRecord{Type: api.TypeHOTP, Counter: 5}, 5, "", 6},
		{"hotp end of look-ahead", TokenRecord{Type: api.TypeHOTP, Counter: 5}, 14, "", 15},
		{"hotp beyond look-ahead", TokenRecord{Type: api.TypeHOTP, Counter: 5}, 15, api.CodeOTPInvalid, 5},
		{"hotp used", TokenRecord{Type: api.TypeHOTP, Counter: 5}, 4, api.CodeOTPReplayed, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := tt.tok
			tok.Secret = []byte("12345678901234567890")
			tok.Algorithm, tok.Digits, tok.Period = "SHA1", 6, 30
			err := checkCode(&tok, refCode(tok.Secret, tt.counter, 6), now)
			if got := errCode(err); got != tt.wantErr {
				t.Fatalf("error %v, want %q", err, tt.wantErr)
			}
			got := tok.LastStep
			if tok.Type == api.TypeHOTP {
				got = tok.Counter
			}
			if got != tt.wantStep {
				t.Errorf("state after = %d, want %d", got, tt.wantStep)
			}
		})
	}
}

func errCode(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := err.(*api.Error); ok {
		return e.Code
	}
	return err.Error()
}

func TestOTPAuthURIEscapes(t *testing.T) {
	tok := &TokenRecord{Type: api.TypeTOTP, Secret: []byte("12345678901234567890"), Algorithm: "SHA1", Digits: 6, Period: 30}
	got := otpauthURI("Acme & Co", "j.doe@example.com", tok)
	want := "otpauth://totp/Acme%20%26%20Co:j.doe%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme%20%26%20Co&algorithm=SHA1&digits=6&period=30"
	if got != want {
		t.Errorf("otpauthURI\n got %s\nwant %s", got, want)
	}
}

// TestOTPAuthLabelNamesTheOrganisationUserAndMethod: the label apps show
// is "organisation:username (name)", the issuer parameter the same
// organisation, and the secret in the URI makes the codes oathtool makes.
func TestOTPAuthLabelNamesTheOrganisationUserAndMethod(t *testing.T) {
	e := newEnvWith(t, Config{Tenant: Tenant{Organisation: "Example Corp"}})
	for _, c := range []struct{ name, username, description, wantPath string }{
		{"named", "alice", "Work phone", "/Example Corp:alice (Work phone)"},
		{"unnamed", "bob", "", "/Example Corp:bob"},
		{"colon in the name", "carol", "Phone: work", "/Example Corp:carol (Phone work)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, session := e.userWithToken(c.username, RoleEmployee)
			var created api.CreateTokenResponse
			e.ok(e.call("POST", "/tokens", session, api.CreateTokenRequest{TemplateID: templateTOTP, Description: c.description}), 201, &created)
			u, err := url.Parse(created.Provisioning.OTPAuthURI)
			if err != nil {
				t.Fatal(err)
			}
			if u.Path != c.wantPath || u.Query().Get("issuer") != "Example Corp" {
				t.Errorf("label %q, issuer %q; want %q and Example Corp", u.Path, u.Query().Get("issuer"), c.wantPath)
			}
			if strings.Count(u.Path, ":") != 1 {
				t.Errorf("label %q has more than the issuer's colon", u.Path)
			}
			secret := decodeSecret(t, u.Query().Get("secret"))
			e.ok(e.call("POST", "/tokens/"+created.Token.ID+"/activate", session, api.OTPRequest{OTP: oathtoolTOTP(t, secret, e.clock.Now())}), 200, nil)
		})
	}
}
