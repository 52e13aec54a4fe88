package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/pquerna/otp/totp"

	"selfservice/api"
	"selfservice/app"
	"selfservice/client"
	"selfservice/server"
)

// hwSecret is the secret of the TOTP devices these tests import.
const hwSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// importDevice imports the TOTP device serial and returns its code now.
func (b *backend) importDevice(t *testing.T, serial string) string {
	t.Helper()
	if _, err := server.ImportHardwareTokens(context.Background(), b.store, strings.NewReader("serial,secret,type,digits\n"+serial+","+hwSecret+",totp,6\n"), b.clock.Now()); err != nil {
		t.Fatal(err)
	}
	code, err := totp.GenerateCode(hwSecret, b.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// signInHelpdesk signs the helpdesk user in through both steps.
func (b *backend) signInHelpdesk(t *testing.T) *app.Session {
	t.Helper()
	ctx := context.Background()
	desk := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	ch, err := desk.Login(ctx, b.url, b.helpdesk.Username, b.helpdesk.Password)
	if err != nil {
		t.Fatal(err)
	}
	if err := desk.Verify(ctx, ch, ch.Methods[0].TokenID, b.code(t, b.helpdesk.TOTPSecret)); err != nil {
		t.Fatal(err)
	}
	return desk
}

func TestHelpdeskTakesBackHardwareTokens(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	demo := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	b.signIn(t, demo)
	if _, err := demo.ClaimHardwareToken(ctx, "hw-a1", b.importDevice(t, "HW-A1"), "Desk"); err != nil {
		t.Fatalf("ClaimHardwareToken: %v", err)
	}
	if _, err := demo.UserHardwareTokens(ctx, "helpdesk"); !errors.Is(err, api.ErrPrivilegeMissing) {
		t.Errorf("UserHardwareTokens as demo = %v; want %v", err, api.ErrPrivilegeMissing)
	}
	desk := b.signInHelpdesk(t)
	if !desk.Can(api.PrivHardwareUnassign) {
		t.Fatal("helpdesk lacks hardware_token_unassign")
	}

	if _, err := desk.UserHardwareTokens(ctx, " "); fieldErrors(err)["username"] == "" {
		t.Errorf("UserHardwareTokens without a username = %v; want a field error on username", err)
	}
	if _, err := desk.UserHardwareTokens(ctx, "Helpdesk"); !errors.Is(err, api.ErrHardwareForSelf) {
		t.Errorf("UserHardwareTokens for oneself = %v; want %v", err, api.ErrHardwareForSelf)
	}
	list, err := desk.UserHardwareTokens(ctx, " Demo ")
	if err != nil || len(list.Devices) != 1 || list.Devices[0].Serial != "HW-A1" {
		t.Fatalf("UserHardwareTokens = %+v, %v; want demo's HW-A1", list, err)
	}
	left, err := desk.UnassignHardwareToken(ctx, "demo", " hw-a1 ", false)
	if err != nil || len(left.Devices) != 0 {
		t.Fatalf("UnassignHardwareToken = %+v, %v; want none left", left, err)
	}

	// A user whose only token it is: refused unless forced.
	password := b.addUser(t, "bob")
	bob, err := client.New(b.url, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	login, err := bob.Login(ctx, api.LoginRequest{Username: "bob", Password: password})
	if err != nil {
		t.Fatal(err)
	}
	bob.SetSessionToken(login.SessionToken)
	if _, err := bob.ClaimToken(ctx, api.ClaimTokenRequest{Serial: "HW-A2", OTP: b.importDevice(t, "HW-A2")}); err != nil {
		t.Fatal(err)
	}
	_, err = desk.UnassignHardwareToken(ctx, "bob", "HW-A2", false)
	if !errors.Is(err, api.ErrLastActiveToken) || !api.ForceAllowed(err) {
		t.Fatalf("UnassignHardwareToken of bob's only token = %v; want last_active_token, forcing allowed", err)
	}
	if left, err := desk.UnassignHardwareToken(ctx, "bob", "HW-A2", true); err != nil || len(left.Devices) != 0 {
		t.Fatalf("forced UnassignHardwareToken = %+v, %v; want none left", left, err)
	}
}
