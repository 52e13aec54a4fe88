package ui

import (
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
	"selfservice/app"
)

func TestDemoPanelShowsTheCurrentCode(t *testing.T) {
	f := newServerFixture(t)
	at := time.Date(2026, 11, 22, 10, 0, 17, 0, time.UTC)
	f.now = func() time.Time { return at }
	f.start(f.demoOptions())
	s := f.signInScreen()

	if s.demo == nil {
		t.Fatal("no demo panel in demo mode")
	}
	if got := len(s.demo.rows); got != len(f.local.Demo.Users) {
		t.Fatalf("%d demo accounts shown, want %d", got, len(f.local.Demo.Users))
	}
	for _, r := range s.demo.rows {
		want, left, err := app.DemoCode(r.account.TOTPSecret, at)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.code.Text; got != spacedCode(want) {
			t.Errorf("%s: code %q, want %q", r.account.Username, got, spacedCode(want))
		}
		if got, want := richText(r.left), "13 s"; got != want || left != 13 {
			t.Errorf("%s: time left %q (%d s), want %q", r.account.Username, got, left, want)
		}
	}

	at = at.Add(30 * time.Second)
	s.demo.update()
	r := s.demo.rows[0]
	if want := code(t, r.account.TOTPSecret, at); r.code.Text != spacedCode(want) {
		t.Errorf("after 30 s the code is %q, want %q", r.code.Text, spacedCode(want))
	}

	test.Tap(r.use)
	if s.username.Text != r.account.Username || s.password.Text != r.account.Password {
		t.Errorf("Use filled in %q / %q", s.username.Text, s.password.Text)
	}
}

func TestDemoPanelOnSecondFactorShowsOnlyThatAccount(t *testing.T) {
	f := newServerFixture(t)
	f.start(f.demoOptions())

	f.enterPassword("helpdesk", "helpdesk-password")
	s := f.secondFactorScreen()

	if s.demo == nil || len(s.demo.rows) != 1 {
		t.Fatalf("want one demo account on the second factor screen, got %+v", s.demo)
	}
	if got := s.demo.rows[0].account.Username; got != "helpdesk" {
		t.Errorf("demo panel shows %q, want helpdesk", got)
	}
}

func TestNoDemoPanelOutsideDemoMode(t *testing.T) {
	f := newFixture(t, Options{})
	if s := f.signInScreen(); s.demo != nil {
		t.Error("a demo panel outside demo mode")
	}
}

// demoHardwareOptions are demoOptions with the server's demo hardware
// tokens.
func (f *fixture) demoHardwareOptions() Options {
	opts := f.demoOptions()
	for _, h := range f.local.Demo.Hardware {
		opts.DemoHardware = append(opts.DemoHardware, DemoHardwareToken{Serial: h.Serial, Secret: h.Secret})
	}
	return opts
}

// buttonsIn returns the buttons labelled text inside o.
func buttonsIn(o fyne.CanvasObject, text string) []*widget.Button {
	switch o := o.(type) {
	case *widget.Button:
		if o.Text == text {
			return []*widget.Button{o}
		}
	case *fyne.Container:
		var found []*widget.Button
		for _, c := range o.Objects {
			found = append(found, buttonsIn(c, text)...)
		}
		return found
	}
	return nil
}

func TestDemoPanelShowsTheDemoHardwareTokens(t *testing.T) {
	f := newServerFixture(t)
	at := time.Date(2026, 11, 22, 10, 0, 17, 0, time.UTC)
	f.now = func() time.Time { return at }
	f.start(f.demoHardwareOptions())
	s := f.signInScreen()

	if s.demo == nil || s.demo.hardware == nil {
		t.Fatal("no demo hardware tokens on the sign-in panel")
	}
	rows := s.demo.hardware.rows
	if len(rows) != 2 || rows[0].token.Serial != "DEMO-HW-1" || rows[1].token.Serial != "DEMO-HW-2" {
		t.Fatalf("the panel shows %d hardware tokens, want DEMO-HW-1 and DEMO-HW-2", len(rows))
	}
	for _, r := range rows {
		if want := code(t, r.token.Secret, at); r.code.Text != spacedCode(want) || r.current != want {
			t.Errorf("%s shows %q, want %q", r.token.Serial, r.code.Text, spacedCode(want))
		}
	}
	if got := richText(s.demo.hardware.left); got != "13 s" {
		t.Errorf("time left %q, want 13 s", got)
	}
	if rows[0].current == rows[1].current {
		t.Error("both demo hardware tokens show the same code")
	}
}

// In demo mode the Add hardware token form shows the demo tokens' codes
// (the panel is not on the main window): "Use" fills one in, and the
// claim makes an ACTIVE token, which the panel then shows when its holder
// signs in, and only to them.
func TestClaimADemoHardwareTokenWithTheCodeTheFormShows(t *testing.T) {
	f := newServerFixture(t)
	f.start(f.demoHardwareOptions())
	m := f.signIn("demo")
	s := m.tokens

	f.chooseTemplate(s, "hardware-token")
	d := s.dialog
	if d == nil {
		t.Fatal("no Add hardware token dialog")
	}
	use := buttonsIn(d.content, "Use")
	if len(use) != 2 {
		t.Fatalf("the form offers %d demo hardware tokens, want 2", len(use))
	}
	test.Tap(use[0])
	serial, otp := d.inputs[0].(*entry), d.inputs[1].(*entry)
	secret := f.local.Demo.Hardware[0].Secret
	now := time.Now() // the form read its clock a moment ago, maybe in the step before
	if want, before := code(t, secret, now), code(t, secret, now.Add(-time.Second)); serial.Text != "DEMO-HW-1" || (otp.Text != want && otp.Text != before) {
		t.Fatalf("Use filled in %q / %q, want DEMO-HW-1 / %q", serial.Text, otp.Text, want)
	}

	test.Tap(d.confirm)
	f.waitFor("the step-up or the outcome", func() bool {
		return s.stepUp != nil || s.dialog != d || d.message.message() != "" || d.fields["otp"].Visible()
	})
	if s.stepUp != nil {
		f.confirmStepUp(func() *stepUpDialog { return s.stepUp }, stepUpCode(f, f.demoUser("demo").TOTPSecret))
	}
	f.waitFor("the dialog to close", func() bool { return s.dialog != d || d.message.message() != "" })
	if s.dialog == d {
		t.Fatalf("the dialog stayed open: %q", d.message.message())
	}
	f.waitFor("the hardware token in the list", func() bool { return len(s.tokens) == 2 && !s.progress.Visible() })
	i := slices.IndexFunc(s.tokens, func(tok api.Token) bool { return tok.Label == "DEMO-HW-1" })
	if i < 0 || s.tokens[i].Status != api.StatusActive {
		t.Fatalf("tokens %+v, want an ACTIVE DEMO-HW-1", s.tokens)
	}

	test.Tap(m.signOut)
	f.enterPassword("demo", f.demoUser("demo").Password)
	sf := f.secondFactorScreen()
	if sf.demo == nil || sf.demo.hardware == nil || len(sf.demo.hardware.rows) != 1 || sf.demo.hardware.rows[0].token.Serial != "DEMO-HW-1" {
		t.Errorf("the second-factor panel shows %+v, want DEMO-HW-1 only", sf.demo)
	}
	test.Tap(sf.back)
	f.enterPassword("helpdesk", f.demoUser("helpdesk").Password)
	if sf := f.secondFactorScreen(); sf.demo == nil || sf.demo.hardware != nil {
		t.Error("the helpdesk's second-factor panel shows demo hardware tokens it does not hold")
	}
}
