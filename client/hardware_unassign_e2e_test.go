package client_test

import (
	"context"
	"strings"
	"testing"

	"github.com/pquerna/otp/totp"

	"selfservice/api"
	"selfservice/client"
	"selfservice/server"
)

// Helpdesk takes hardware tokens back through the client: a device the
// user holds besides another token goes at once; their last active one
// only with force.

// The secret of the TOTP devices these tests import.
const hwTOTPSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// claimTOTPDevice imports the TOTP device serial and has c claim it with
// the code computed from its secret at the server's time.
func (b *backend) claimTOTPDevice(t *testing.T, c *client.Client, serial string) api.Token {
	t.Helper()
	ctx := context.Background()
	if _, err := server.ImportHardwareTokens(ctx, b.store, strings.NewReader("serial,secret,type,digits\n"+serial+","+hwTOTPSecret+",totp,6\n"), b.clock.Now()); err != nil {
		t.Fatal(err)
	}
	code, err := totp.GenerateCode(hwTOTPSecret, b.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	tok, err := c.ClaimToken(ctx, api.ClaimTokenRequest{Serial: serial, OTP: code})
	if err != nil {
		t.Fatalf("ClaimToken(%s): %v", serial, err)
	}
	return tok
}

func TestHelpdeskUnassignsHardwareTokens(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	demo := b.signIn(t, b.demo)
	tok := b.claimTOTPDevice(t, demo, "HW-T1")
	desk := b.signIn(t, b.helpdesk)

	_, err := demo.HardwareTokens(ctx, "helpdesk")
	wantCode(t, err, api.CodePrivilegeMissing)
	_, err = desk.HardwareTokens(ctx, "helpdesk")
	wantCode(t, err, api.CodeHardwareForSelf)
	_, err = desk.HardwareTokens(ctx, "nobody")
	wantCode(t, err, api.CodeNotFound)

	list, err := desk.HardwareTokens(ctx, "demo")
	if err != nil || len(list.Devices) != 1 {
		t.Fatalf("HardwareTokens(demo) = %+v, %v; want HW-T1", list, err)
	}
	if d := list.Devices[0]; d.Serial != "HW-T1" || d.TokenID != tok.ID || d.Status != api.StatusActive || d.Type != api.TypeTOTP {
		t.Errorf("device = %+v; want demo's ACTIVE TOTP HW-T1", d)
	}

	// demo keeps their TOTP app: no force needed.
	left, err := desk.UnassignHardwareToken(ctx, "demo", "hw-t1", false)
	if err != nil || left.Username != "demo" || len(left.Devices) != 0 {
		t.Fatalf("UnassignHardwareToken = %+v, %v; want none left", left, err)
	}
	if _, err := demo.Token(ctx, tok.ID); err == nil {
		t.Error("demo still has the hardware token's sign-in method")
	}
	_, err = desk.UnassignHardwareToken(ctx, "demo", "HW-T1", false)
	wantCode(t, err, api.CodeNotFound)

	// bob's only token: refused, with forcing allowed to a fresh sign-in.
	bob := b.enrollingUser(t, "bob")
	b.claimTOTPDevice(t, bob, "HW-T2")
	_, err = desk.UnassignHardwareToken(ctx, "bob", "HW-T2", false)
	if wantCode(t, err, api.CodeLastActiveToken); !api.ForceAllowed(err) {
		t.Errorf("refusal %v; want forcing allowed", err)
	}
	if left, err = desk.UnassignHardwareToken(ctx, "bob", "HW-T2", true); err != nil || len(left.Devices) != 0 {
		t.Fatalf("forced UnassignHardwareToken = %+v, %v; want none left", left, err)
	}
}
