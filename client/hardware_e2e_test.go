package client_test

import (
	"context"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"selfservice/api"
	"selfservice/server"
)

// Hardware OTP tokens end to end: the admin imports a device, the user
// claims it through the client and signs in with it; another user cannot
// claim it.

const hwSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

// hotpCode is the device's code at counter, from the reference tool.
func hotpCode(t *testing.T, counter int) string {
	t.Helper()
	path, err := exec.LookPath("oathtool")
	if err != nil {
		t.Skip("oathtool is not installed (Debian package oathtool); it is the reference these tests compare codes with")
	}
	out, err := exec.Command(path, "-c", strconv.Itoa(counter), "-b", hwSecret).Output()
	if err != nil {
		t.Fatalf("oathtool: %v", err)
	}
	return strings.TrimSpace(string(out))
}

func TestClaimHardwareTokenAndSignIn(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	if _, err := server.ImportHardwareTokens(ctx, b.store, strings.NewReader("serial,secret,type,digits\nHW-7,"+hwSecret+",hotp,6\n"), b.clock.Now()); err != nil {
		t.Fatal(err)
	}
	c := b.signIn(t, b.demo)

	_, err := c.ClaimToken(ctx, api.ClaimTokenRequest{Serial: "HW-7", OTP: hotpCode(t, 50)})
	wantCode(t, err, api.CodeOTPInvalid)
	tok, err := c.ClaimToken(ctx, api.ClaimTokenRequest{Serial: "HW-7", OTP: hotpCode(t, 1), Description: "Desk"})
	if err != nil || tok.Status != api.StatusActive || tok.Label != "HW-7" || tok.Type != api.TypeHOTP {
		t.Fatalf("ClaimToken = %+v, %v; want ACTIVE HOTP token HW-7", tok, err)
	}

	other := b.enrollingUser(t, "bob")
	_, err = other.ClaimToken(ctx, api.ClaimTokenRequest{Serial: "HW-7", OTP: hotpCode(t, 2)})
	wantCode(t, err, api.CodeNotFound)

	login, err := b.client(t).Login(ctx, api.LoginRequest{Username: "demo", Password: b.demo.Password})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := b.client(t).VerifyLogin(ctx, login.LoginID, api.VerifyLoginRequest{TokenID: tok.ID, OTP: hotpCode(t, 2)})
	if err != nil || sess.SessionToken == "" {
		t.Fatalf("VerifyLogin with the hardware token = %+v, %v; want a session", sess, err)
	}
}
