package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/pquerna/otp/hotp"

	"selfservice/api"
	"selfservice/server"
)

// hardwareSecret is the base32 seed of the test's hardware token.
const hardwareSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

// importHardwareToken imports an HOTP hardware token into the server's
// store, as the admin does, through a second connection to its database.
func (f *fixture) importHardwareToken(serial string) {
	f.t.Helper()
	box, err := server.LocalSecretBox(f.dbPath) // the key the server made beside its database
	if err != nil {
		f.t.Fatal(err)
	}
	store, err := server.OpenSQLite(context.Background(), f.dbPath, server.WithSecretBox(box))
	if err != nil {
		f.t.Fatal(err)
	}
	defer store.Close()
	csv := "serial,secret,type,digits\n" + serial + "," + hardwareSecret + ",hotp,6\n"
	if _, err := server.ImportHardwareTokens(context.Background(), store, strings.NewReader(csv), time.Now()); err != nil {
		f.t.Fatalf("import the hardware token: %v", err)
	}
}

// hardwareCode is the code the test's hardware token shows at counter.
func hardwareCode(t *testing.T, counter uint64) string {
	t.Helper()
	c, err := hotp.GenerateCode(hardwareSecret, counter)
	if err != nil {
		t.Fatalf("hardware code: %v", err)
	}
	return c
}

// wrongHardwareCode is a code the token shows at none of its next 100
// counter values.
func wrongHardwareCode(t *testing.T) string {
	t.Helper()
	near := map[string]bool{}
	for i := range uint64(100) {
		near[hardwareCode(t, i)] = true
	}
	for i := 0; ; i++ {
		c := fmt.Sprintf("%06d", i*111111%1000000)
		if !near[c] {
			return c
		}
	}
}

// claimHardware opens the Add hardware token dialog through Add sign-in method, fills it in and
// submits it, confirming the step-up when the server asks for one.
func claimHardware(t *testing.T, f *fixture, s *tokensScreen, serial, otp, name string) *formDialog {
	t.Helper()
	f.chooseTemplate(s, "hardware-token")
	d := s.dialog
	if d == nil {
		t.Fatal("no Add hardware token dialog")
	}
	for i, text := range []string{serial, otp, name} {
		test.Type(d.inputs[i].(*entry), text)
	}
	test.Tap(d.confirm)
	f.waitFor("the step-up or the outcome", func() bool {
		return s.stepUp != nil || s.dialog != d || d.message.message() != "" || d.fields["otp"].Visible() || d.fields["serial"].Visible()
	})
	if s.stepUp != nil {
		f.confirmStepUp(func() *stepUpDialog { return s.stepUp }, stepUpCode(f, f.demoUser("demo").TOTPSecret))
	}
	return d
}

func TestAddHardwareTokenMakesItActive(t *testing.T) {
	f := newServerFixture(t)
	f.importHardwareToken("HW-0001")
	f.start(Options{})
	m := f.signIn("demo")
	s := m.tokens

	d := claimHardware(t, f, s, "hw-0001", hardwareCode(t, 0), "Desk token")
	f.waitFor("the dialog to close", func() bool { return s.dialog != d || d.message.message() != "" })
	if s.dialog == d {
		t.Fatalf("the dialog stayed open: %q", d.message.message())
	}
	f.waitFor("the hardware token in the list", func() bool { return len(s.tokens) == 2 && !s.progress.Visible() })

	var got *api.Token
	for i := range s.tokens {
		if s.tokens[i].Label == "HW-0001" {
			got = &s.tokens[i]
		}
	}
	if got == nil {
		t.Fatalf("tokens %+v, want one labelled HW-0001", s.tokens)
	}
	if got.Status != api.StatusActive || got.Description != "Desk token" {
		t.Errorf("hardware token is %s named %q, want ACTIVE named %q", got.Status, got.Description, "Desk token")
	}
	if got, want := s.notice.message(), "hardware token is added"; !contains(got, want) {
		t.Errorf("notice %q, want it to contain %q", got, want)
	}
}

func TestAddHardwareTokenWithAWrongCodeShowsItAtTheCode(t *testing.T) {
	f := newServerFixture(t)
	f.importHardwareToken("HW-0002")
	f.start(Options{})
	m := f.signIn("demo")
	s := m.tokens

	d := claimHardware(t, f, s, "HW-0002", wrongHardwareCode(t), "")
	codeErr := d.fields["otp"]
	f.waitFor("the code error", func() bool { return codeErr.Visible() || d.message.message() != "" })
	if got, want := codeErr.Text, "code is not correct"; !contains(got, want) {
		t.Errorf("code error %q (message %q), want it to contain %q", got, d.message.message(), want)
	}
	if s.dialog != d {
		t.Error("the dialog closed after a wrong code")
	}
	if len(s.tokens) != 1 {
		t.Errorf("%d tokens listed, want only the demo token", len(s.tokens))
	}
}

func TestAddHardwareTokenNeedsTheEnrollPrivilege(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("helpdesk")
	if m.tokens.add != nil {
		t.Error("helpdesk, without token_enroll, has an Add sign-in method button")
	}
}
