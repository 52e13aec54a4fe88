package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"selfservice/api"
)

func TestDisablingTheOnlyTokenExplainsTheRule(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("demo")
	s := m.tokens

	if got, want := s.rule.message(), "keep at least one active sign-in method"; !contains(got, want) {
		t.Errorf("rule hint %q, want it to contain %q", got, want)
	}
	row := s.rows[s.tokens[0].ID]
	disable := row.actions[api.ActionDisable]
	if disable == nil {
		t.Fatal("no Disable button for an employee's active token")
	}

	test.Tap(disable)
	f.waitFor("the refusal", func() bool { return s.notice.message() != "" })

	if got, want := s.notice.message(), "You must keep at least one active sign-in method. Add another method first"; !contains(got, want) {
		t.Errorf("notice %q, want it to contain %q", got, want)
	}
	if got := s.tokens[0].Status; got != api.StatusActive {
		t.Errorf("token is %s, want it still ACTIVE", got)
	}
}

func TestHelpdeskSeesNoChangingActions(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("helpdesk")
	s := m.tokens
	if s == nil {
		t.Fatal("no tokens area for helpdesk")
	}

	if s.add != nil {
		t.Error("helpdesk has an Add button")
	}
	row := s.rows[s.tokens[0].ID]
	for _, a := range []api.TokenAction{api.ActionDelete, api.ActionDisable, api.ActionRename} {
		if row.actions[a] != nil {
			t.Errorf("helpdesk has a %s button", a)
		}
	}
	for _, a := range []api.TokenAction{api.ActionTest, api.ActionResync} {
		if row.actions[a] == nil {
			t.Errorf("helpdesk has no %s button", a)
		}
	}
}

func TestTestActionSaysWhetherTheCodeWorks(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("demo")
	s := m.tokens
	secret := f.demoUser("demo").TOTPSecret

	test.Tap(s.rows[s.tokens[0].ID].actions[api.ActionTest])
	d := s.dialog
	if d == nil {
		t.Fatal("no test dialog")
	}
	input := d.inputs[0].(*entry)

	test.Type(input, wrongCode(t, secret))
	test.Tap(d.confirm)
	codeErr := d.fields["otp"]
	f.waitFor("the code error", func() bool { return codeErr.Visible() })
	if got, want := codeErr.Text, "code is not correct"; !contains(got, want) {
		t.Errorf("code error %q, want it to contain %q", got, want)
	}

	// The sign-in used the current code; the next one is accepted too.
	input.SetText(code(t, secret, time.Now().Add(30*time.Second)))
	test.Tap(d.confirm)
	f.waitFor("the result", func() bool { return d.message.message() != "" })
	if got, want := d.message.message(), "The code is correct"; !contains(got, want) {
		t.Errorf("message %q, want it to contain %q", got, want)
	}
	if d.confirm.Visible() {
		t.Error("the Test button is still shown after success")
	}
}

func TestRenameChangesTheName(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("demo")
	s := m.tokens

	test.Tap(s.rows[s.tokens[0].ID].actions[api.ActionRename])
	d := s.dialog
	input := d.inputs[0].(*entry)
	input.SetText("")
	test.Type(input, "Work phone")
	test.Tap(d.confirm)
	f.waitFor("the renamed token", func() bool { return len(s.tokens) == 1 && s.tokens[0].Description == "Work phone" })

	if s.dialog != nil {
		t.Error("the rename dialog is still open")
	}
}

func TestDeleteAsksNamingTheToken(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("demo")
	s := m.tokens
	tok := s.tokens[0]

	test.Tap(s.rows[tok.ID].actions[api.ActionDelete])
	d := s.dialog
	if d == nil {
		t.Fatal("no confirmation")
	}
	if got, want := d.title, tokenName(tok); !contains(got, want) {
		t.Errorf("dialog title %q does not name the token %q", got, want)
	}
	test.Tap(d.confirm)
	f.waitFor("the refusal", func() bool { return d.message.message() != "" })

	if got, want := d.message.message(), "keep at least one active sign-in method"; !contains(got, want) {
		t.Errorf("message %q, want it to contain %q", got, want)
	}
	test.Tap(d.dismiss)
	if s.dialog != nil {
		t.Error("Cancel left the dialog open")
	}
}

func TestDisableAndEnableASecondToken(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("demo")
	s := m.tokens
	w := startEnrollment(t, f, s, "Spare")
	test.Tap(w.next)
	spareSecret := w.created.Provisioning.Secret
	w.code.SetText(code(t, spareSecret, time.Now()))
	test.Tap(w.next)
	f.waitFor("the last step", func() bool { return w.step == stepDone || w.message.message() != "" })
	test.Tap(w.next)
	f.waitFor("two tokens", func() bool { return len(s.tokens) == 2 && !s.progress.Visible() })
	spare := func() api.Token {
		for _, tok := range s.tokens {
			if tok.Description == "Spare" {
				return tok
			}
		}
		t.Fatal("the spare token is not listed")
		return api.Token{}
	}

	test.Tap(s.rows[spare().ID].actions[api.ActionDisable])
	// Confirmed with the spare token: the demo token's next code is used.
	d := f.stepUpDialogOf(func() *stepUpDialog { return s.stepUp })
	f.chooseMethod(d, spare().ID)
	f.confirmStepUp(func() *stepUpDialog { return d }, stepUpCode(f, spareSecret))
	f.waitFor("the disabled token", func() bool { return spare().Status == api.StatusDisabled })
	if got, want := s.notice.message(), "is disabled"; !contains(got, want) {
		t.Errorf("notice %q, want it to contain %q", got, want)
	}
	if s.rows[spare().ID].actions[api.ActionDisable] != nil {
		t.Error("a disabled token offers Disable")
	}

	test.Tap(s.rows[spare().ID].actions[api.ActionEnable])
	f.waitFor("the enabled token", func() bool { return spare().Status == api.StatusActive })
	if got, want := s.notice.message(), "is enabled"; !contains(got, want) {
		t.Errorf("notice %q, want it to contain %q", got, want)
	}
}
