package ui

import (
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"selfservice/api"
)

// tapAction uses action a of row as a user does (tapRowAction).
func tapAction(t *testing.T, r *tokenRow, a api.TokenAction) {
	t.Helper()
	ra := r.actions[a]
	if ra == nil {
		t.Fatalf("“%s” offers no %s", tokenName(r.token), a)
	}
	tapRowAction(t, r.rowActions, ra)
}

// actionEnabled reports whether action a of row can be used now.
func actionEnabled(r *tokenRow, a api.TokenAction) bool {
	ra := r.actions[a]
	return ra != nil && rowActionEnabled(r.rowActions, ra)
}

// TestTheOnlyActiveMethodCannotBeDisabledOrDeleted: Disable and Delete of
// the user's only active method are shown, off, with the reason, and the
// banner offers to add a method; choosing them does nothing.
func TestTheOnlyActiveMethodCannotBeDisabledOrDeleted(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("demo")
	s := m.tokens
	row := s.rows[s.tokens[0].ID]

	for _, a := range []api.TokenAction{api.ActionDisable, api.ActionDelete} {
		if row.actions[a] == nil {
			t.Fatalf("no %s for an employee's active method", a)
		}
		if actionEnabled(row, a) {
			t.Errorf("%s can be used on the only active method", a)
		}
		if got := row.actions[a].item.Label; !contains(got, "only active method") {
			t.Errorf("the menu says %q, want the reason", got)
		}
	}
	if !contains(row.blocked, "only active sign-in method") {
		t.Errorf("the row says %q, want the reason", row.blocked)
	}
	if got := s.rule.message(); !contains(got, "only active sign-in method") || !contains(got, "Add another method") {
		t.Errorf("rule %q, want the reason and the way out", got)
	}
	if s.rule.action.Text != "Add sign-in method" {
		t.Errorf("the rule offers %q, want Add sign-in method", s.rule.action.Text)
	}
	if !actionEnabled(row, api.ActionTest) || !actionEnabled(row, api.ActionRename) {
		t.Error("the other actions are off too")
	}

	tapAction(t, row, api.ActionDelete)
	tapAction(t, row, api.ActionDisable)
	if s.dialog != nil || s.notice.message() != "" || s.progress.Visible() {
		t.Errorf("a blocked action did something: dialog %v, notice %q", s.dialog != nil, s.notice.message())
	}

	test.Tap(s.rule.action)
	if s.chooser == nil {
		t.Error("the rule's Add sign-in method opened nothing")
	}
}

// TestMoreMenuWorksWithTheKeyboard: Tab reaches the row's buttons, Space
// opens More, the arrows and Return choose an action in it.
func TestMoreMenuWorksWithTheKeyboard(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("demo")
	s := m.tokens
	row := s.rows[s.tokens[0].ID]
	c := f.ui.win.Canvas()

	c.Focus(row.button)
	c.FocusNext()
	if c.Focused() != row.more {
		t.Fatalf("Tab after %q focuses %T, want More", row.button.Text, c.Focused())
	}
	row.more.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	if row.popUp == nil || !row.popUp.Visible() || c.Focused() != row.popUp {
		t.Fatal("Space on More opened no menu with the keyboard in it")
	}
	// The menu after the primary Test: Resync, Rename, ...
	want := slices.Index(row.order, row.actions[api.ActionRename]) // 1-based in the menu
	for range want {
		row.popUp.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	}
	row.popUp.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if s.dialog == nil || !contains(s.dialog.title, "Rename") {
		t.Fatal("Return in the menu did not open Rename")
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

	tapAction(t, s.rows[s.tokens[0].ID], api.ActionTest)
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

	tapAction(t, s.rows[s.tokens[0].ID], api.ActionRename)
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
	addSpare(t, f, s)

	tapAction(t, s.rows[tok.ID], api.ActionDelete)
	d := s.dialog
	if d == nil {
		t.Fatal("no confirmation")
	}
	if got, want := d.title, tokenName(tok); !contains(got, want) {
		t.Errorf("dialog title %q does not name the token %q", got, want)
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
	_, spareSecret := addSpare(t, f, s)
	spare := func() api.Token {
		for _, tok := range s.tokens {
			if tok.Description == "Spare" {
				return tok
			}
		}
		t.Fatal("the spare token is not listed")
		return api.Token{}
	}

	tapAction(t, s.rows[spare().ID], api.ActionDisable)
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
	if row := s.rows[spare().ID]; row.primary == nil || row.primary != row.actions[api.ActionEnable] {
		t.Error("a disabled token's button is not Enable")
	}
	// The demo token is now the only active one: the rule points to the
	// disabled spare.
	demo := s.rows[s.tokens[slices.IndexFunc(s.tokens, func(tok api.Token) bool { return tok.Description != "Spare" })].ID]
	if actionEnabled(demo, api.ActionDisable) {
		t.Error("the only active method can be disabled")
	}
	if got := s.rule.message(); !contains(got, "Enable “Spare”") || s.rule.action.Text != "Enable “Spare”" {
		t.Errorf("rule %q offers %q; want it to point to Spare", got, s.rule.action.Text)
	}

	test.Tap(s.rule.action)
	f.waitFor("the enabled token", func() bool { return spare().Status == api.StatusActive })
	if got, want := s.notice.message(), "is enabled"; !contains(got, want) {
		t.Errorf("notice %q, want it to contain %q", got, want)
	}
	if s.rule.message() != "" || !actionEnabled(s.rows[spare().ID], api.ActionDisable) {
		t.Errorf("with two active methods the rule stays (%q) or Disable is off", s.rule.message())
	}
}
