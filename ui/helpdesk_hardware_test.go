package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"selfservice/api"
	"selfservice/app"
)

// claimAs has username, at another computer, claim the imported hardware
// token serial with its first code, confirming the step-up the demo
// policy asks for.
func (f *fixture) claimAs(s *app.Session, username, serial string) {
	f.t.Helper()
	ctx := context.Background()
	_, err := s.ClaimHardwareToken(ctx, serial, hardwareCode(f.t, 0), "")
	if step, ok := api.ApprovalRequired(err); ok {
		if _, err := s.VerifyStepUp(ctx, step.ApprovalID, step.Methods[0].TokenID, stepUpCode(f, f.demoUser(username).TOTPSecret)); err != nil {
			f.t.Fatalf("confirm the claim: %v", err)
		}
		_, err = s.ClaimHardwareToken(api.WithApproval(ctx, step.ApprovalID), serial, hardwareCode(f.t, 0), "")
	}
	if err != nil {
		f.t.Fatalf("%s claims %s: %v", username, serial, err)
	}
}

// lookUp shows the hardware tokens of username on the card.
func (f *fixture) lookUp(c *hardwareCard, username string) {
	f.t.Helper()
	c.username.SetText(username)
	test.Tap(c.find)
	f.waitFor("the look-up", func() bool { return !c.find.Disabled() })
}

func TestHelpdeskUnassignsHardwareTokens(t *testing.T) {
	f := newFixture(t, Options{})
	ctx := context.Background()
	f.importHardwareToken("HD-7001")
	f.importHardwareToken("HD-7002")
	demo := f.apiSession("demo")
	f.claimAs(demo, "demo", "HD-7001")
	f.addUser("cid", "cid-password-1")
	cid := app.NewSession(connect, app.NewMemorySecrets(), &mapPrefs{})
	if ch, err := cid.Login(ctx, f.local.URL, "cid", "cid-password-1"); err != nil || ch != nil {
		t.Fatalf("cid signs in = %v, %v; want an enrolling session", ch, err)
	}
	f.claimAs(cid, "cid", "HD-7002")

	m := f.signIn("helpdesk")
	f.showArea(m, "Helpdesk")
	c := m.hardware
	if c == nil || m.emergency == nil {
		t.Fatal("the Helpdesk area lacks its hardware tokens or emergency access card")
	}

	// Look-up errors show next to the username.
	for _, tt := range []struct{ username, want string }{
		{" ", "Enter the username"},
		{"helpdesk", "your own hardware tokens"},
		{"nobody", "no user with this username"},
	} {
		f.lookUp(c, tt.username)
		if !c.usernameErr.Visible() || !contains(c.usernameErr.Text, tt.want) || len(c.rows) != 0 {
			t.Errorf("looking up %q: field error %q, %d rows; want %q and no rows", tt.username, c.usernameErr.Text, len(c.rows), tt.want)
		}
	}

	// demo keeps their authenticator app: the device goes at once.
	f.lookUp(c, "Demo")
	unassign := c.rows["HD-7001"]
	if unassign == nil || c.usernameErr.Visible() || !contains(textOf(c.devices), "never used") {
		t.Fatalf("rows %v, devices %q; want demo's HD-7001", c.rows, textOf(c.devices))
	}
	test.Tap(unassign)
	d := c.dialog
	if d == nil {
		t.Fatal("no confirmation")
	}
	if text := d.title + " " + dialogText(d); !contains(text, "HD-7001") || !contains(text, "demo") || !contains(text, "removed from their sign-in methods") {
		t.Errorf("confirmation %q; want it to name demo and HD-7001 and say the token leaves their sign-in methods", text)
	}
	test.Tap(d.confirm)
	f.waitFor("the unassignment", func() bool { return c.dialog == nil })
	if !contains(c.message.message(), "HD-7001 is unassigned from demo") || len(c.rows) != 0 || !contains(textOf(c.devices), "demo holds no hardware tokens") {
		t.Errorf("message %q, rows %v, devices %q; want the success and no devices", c.message.message(), c.rows, textOf(c.devices))
	}
	tokens, err := demo.Tokens(ctx)
	if err != nil || len(tokens) != 1 || tokens[0].Label == "HD-7001" {
		t.Errorf("demo's tokens %+v, %v; want only their authenticator app", tokens, err)
	}

	// cid's only sign-in method: refused first, then taken anyway.
	f.lookUp(c, "cid")
	test.Tap(c.rows["HD-7002"])
	d = c.dialog
	test.Tap(d.confirm)
	f.waitFor("the refusal", func() bool { return d.message.message() != "" && !d.confirm.Disabled() })
	if !contains(d.message.message(), "last active sign-in method of cid") || d.confirm.Text != "Unassign anyway" || c.dialog != d {
		t.Fatalf("dialog says %q, offers %q; want the refusal and Unassign anyway", d.message.message(), d.confirm.Text)
	}
	if !strings.Contains(textOf(c.devices), "HD-7002") {
		t.Error("the refused device left the list")
	}
	test.Tap(d.confirm)
	f.waitFor("the forced unassignment", func() bool { return c.dialog == nil })
	if len(c.rows) != 0 || !contains(c.message.message(), "HD-7002 is unassigned from cid") {
		t.Errorf("rows %v, message %q; want HD-7002 gone", c.rows, c.message.message())
	}
	if tokens, err := cid.Tokens(ctx); err == nil && len(tokens) != 0 {
		t.Errorf("cid still has %+v", tokens)
	}
}
