package client_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"selfservice/api"
)

// TestDefaultMethodAndNamesAtSignIn: the default chosen through the
// client comes back marked in the token list and, with the methods'
// names, at the next sign-in; another user's token is refused.
func TestDefaultMethodAndNamesAtSignIn(t *testing.T) {
	ctx := context.Background()
	b := newBackend(t)
	demo := b.signedIn(t, b.demo)
	second, _ := b.addTOTP(t, demo.c)
	if _, err := demo.c.UpdateToken(ctx, second, api.UpdateTokenRequest{Description: "Work phone"}); err != nil {
		t.Fatal(err)
	}
	tok, err := demo.c.SetDefaultMethod(ctx, api.DefaultMethodRequest{TokenID: second})
	if err != nil || !tok.Default || tok.ID != second {
		t.Fatalf("SetDefaultMethod = %+v, %v; want the token, marked default", tok, err)
	}
	helpdesk := b.signedIn(t, b.helpdesk)
	_, err = demo.c.SetDefaultMethod(ctx, api.DefaultMethodRequest{TokenID: helpdesk.tokenID})
	var e *api.Error
	if !errors.As(err, &e) || e.FieldErrors()["token_id"] == "" {
		t.Errorf("making another user's token the default: %v; want a field error on token_id", err)
	}

	login, err := b.client(t).Login(ctx, api.LoginRequest{Username: b.demo.Username, Password: b.demo.Password})
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, m := range login.Methods {
		if m.TokenID == second {
			found = m.Default && m.Name == "Work phone"
		} else if m.Default {
			t.Errorf("method %+v marked default too", m)
		}
	}
	if !found {
		t.Errorf("methods %+v; want Work phone, marked default", login.Methods)
	}
}

// TestLockAtSignInReachesTheClient: the client returns the lock with its
// scope, until when and Retry-After, never login_expired.
func TestLockAtSignInReachesTheClient(t *testing.T) {
	ctx := context.Background()
	b := newBackend(t) // locks after 3 failures, for 5 minutes
	c := b.client(t)
	login, err := c.Login(ctx, api.LoginRequest{Username: b.demo.Username, Password: b.demo.Password})
	if err != nil {
		t.Fatal(err)
	}
	verify := api.VerifyLoginRequest{TokenID: login.Methods[0].TokenID, OTP: "000000"}
	for range 2 {
		if _, err := c.VerifyLogin(ctx, login.LoginID, verify); !errors.Is(err, api.ErrOTPInvalid) {
			t.Fatalf("wrong code: %v, want otp_invalid", err)
		}
	}
	for range 2 { // the last wrong code, and a try after it
		_, err := c.VerifyLogin(ctx, login.LoginID, verify)
		lock, ok := api.LockOf(err)
		if !ok || lock.Scope != api.LockSignIn || !lock.Until.Equal(b.clock.Now().Add(5*time.Minute).Truncate(time.Second)) {
			t.Fatalf("after too many wrong codes: %v (lock %+v); want the sign-in locked until the token's lock ends", err, lock)
		}
		if errors.Is(err, api.ErrLoginExpired) {
			t.Fatal("a lock said the sign-in expired")
		}
	}
	var e *api.Error
	if _, err := c.VerifyLogin(ctx, login.LoginID, verify); !errors.As(err, &e) || e.RetryAfter < 4*time.Minute {
		t.Errorf("Retry-After %v; want the time left of the lock", e.RetryAfter)
	}
}
