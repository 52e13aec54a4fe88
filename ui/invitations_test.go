package ui

import (
	"context"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"selfservice/api"
	"selfservice/server"
)

// invitationsArea signs the demo employee in on the demo's configuration
// and opens Invitations with the list and the templates loaded.
func invitationsArea(f *fixture) *invitationsScreen {
	f.t.Helper()
	m := f.signIn("demo")
	s := m.invitations
	if s == nil {
		f.t.Fatal("no Invitations area")
	}
	f.showArea(m, "Invitations")
	f.waitFor("the invitations", func() bool { return s.loaded && !s.create.Disabled() })
	return s
}

// rowOf is the shown invitation of name.
func (s *invitationsScreen) rowOf(name string) *invitationRow {
	for _, r := range s.rows {
		if r.inv.Name == name {
			return r
		}
	}
	return nil
}

// names lists the invitations shown, by the person's name.
func (s *invitationsScreen) names() []string {
	var out []string
	for _, r := range s.rows {
		out = append(out, r.inv.Name)
	}
	return out
}

// TestInvitationsFilterSortsAsASponsorDoes: the area opens on the
// pending invitations; Accepted and All show the others, without asking
// the server again, and an empty choice says why it is empty.
func TestInvitationsFilterSortsAsASponsorDoes(t *testing.T) {
	f := newDemoFixture(t, Options{})
	s := invitationsArea(f)
	if got := s.filter.options; !slices.Equal(got, []string{"Pending", "Accepted", "All"}) {
		t.Fatalf("filter %q; want Pending, Accepted, All", got)
	}
	if s.filter.selected != invitationsPending {
		t.Errorf("the filter opens on %q; want Pending", s.filter.options[s.filter.selected])
	}
	if got := s.names(); !slices.Equal(got, []string{"Lena Fischer"}) {
		t.Errorf("Pending shows %q; want the SENT invitation only", got)
	}
	loads := s.loads.loads

	test.Tap(s.filter.buttons[invitationsAccepted])
	if got := s.names(); !slices.Equal(got, []string{"Tomás Ruiz"}) {
		t.Errorf("Accepted shows %q; want the ACCEPTED invitation only", got)
	}
	if !contains(shownText(s.list), "accepted as tomas.ruiz") {
		t.Errorf("the accepted invitation does not say its account: %q", shownText(s.list))
	}

	test.Tap(s.filter.buttons[invitationsAll])
	if len(s.rows) != 4 {
		t.Fatalf("All shows %q; want the demo's 4", s.names())
	}
	text := shownText(s.list)
	for _, want := range []string{"Sent", "Accepted", "Expired", "Recalled", "lena.fischer@partner.example"} {
		if !contains(text, want) {
			t.Errorf("the list does not show %q", want)
		}
	}
	if s.loads.loads != loads {
		t.Errorf("choosing a filter loaded the list %d times more; want none", s.loads.loads-loads)
	}
}

// TestInvitationRowsOfferDetailsAndTheRestInMore: each row's button is
// Details; the actions its status allows are in its More menu, Delete
// set apart, and a row without any has no More.
func TestInvitationRowsOfferDetailsAndTheRestInMore(t *testing.T) {
	f := newDemoFixture(t, Options{})
	s := invitationsArea(f)
	test.Tap(s.filter.buttons[invitationsAll])
	for _, r := range s.rows {
		if r.primary != r.details || r.button.Text != "Details" {
			t.Errorf("%s: the row's button is %q; want Details", r.inv.Name, r.button.Text)
		}
	}

	lena := s.rowOf("Lena Fischer") // SENT
	if lena == nil || lena.resend == nil || lena.recall == nil || lena.delete == nil || lena.more == nil {
		t.Fatalf("the SENT invitation lacks Send again, Recall or Delete in More: %+v", lena)
	}
	var menu []string
	for _, it := range lena.menu.Items {
		menu = append(menu, it.Label)
	}
	if want := []string{"Send again", "Recall", "", "Delete"}; !slices.Equal(menu, want) {
		t.Errorf("More of the SENT invitation lists %q; want %q", menu, want)
	}
	for _, name := range []string{"Tomás Ruiz", "Priya Nair"} { // ACCEPTED, EXPIRED
		r := s.rowOf(name)
		if r == nil || r.resend != nil || r.recall != nil || r.delete != nil || r.more != nil {
			t.Errorf("%s: a closed invitation offers more than Details: %+v", name, r)
		}
	}

	test.Tap(s.rowOf("Tomás Ruiz").button)
	f.waitFor("the details", func() bool { return s.detail != nil })
	if got := shownText(s.detail.history); !contains(got, "Created") || !contains(got, "Accepted") {
		t.Errorf("history %q; want created and accepted", got)
	}
	s.detail.dlg.Hide()

	tapRowAction(t, lena.rowActions, lena.delete)
	if s.dialog == nil || s.dialog.title != "Delete the invitation?" {
		t.Fatal("Delete in More asks nothing")
	}
}

// TestInvitationMoreMenuWorksWithTheKeyboard: Tab goes from Details to
// More, Space opens it, the arrows and Return choose an action in it.
func TestInvitationMoreMenuWorksWithTheKeyboard(t *testing.T) {
	f := newDemoFixture(t, Options{})
	s := invitationsArea(f)
	row := s.rowOf("Lena Fischer")
	c := f.ui.win.Canvas()

	c.Focus(row.button)
	c.FocusNext()
	if c.Focused() != row.more {
		t.Fatalf("Tab after Details focuses %T, want More", c.Focused())
	}
	row.more.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	if row.popUp == nil || !row.popUp.Visible() || c.Focused() != row.popUp {
		t.Fatal("Space on More opened no menu with the keyboard in it")
	}
	for range 2 { // Send again, Recall
		row.popUp.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	}
	row.popUp.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if s.dialog == nil || s.dialog.title != "Recall the invitation?" {
		t.Fatal("Return in the menu did not open Recall")
	}
}

// TestNewInvitationShowsErrorsNextToFields: a bad address is refused
// before anything is sent, a missing required field by the server, each
// next to its field with what was typed kept; then it is sent and listed.
func TestNewInvitationShowsErrorsNextToFields(t *testing.T) {
	f := newDemoFixture(t, Options{})
	s := invitationsArea(f)
	test.Tap(s.create)
	form := s.form
	if form == nil || s.dialog != form.d {
		t.Fatal("New invitation opens no form")
	}
	if form.approval.Visible() {
		t.Error("an approval note without a policy")
	}
	test.Type(form.name, "Zoe Adams")
	test.Type(form.email, "zoe@")
	test.Tap(form.d.confirm)
	f.waitFor("the address error", func() bool { return form.errs["email"].Text != "" })
	if form.name.Text != "Zoe Adams" {
		t.Errorf("name %q; want it kept", form.name.Text)
	}
	form.email.SetText("zoe@partner.example")
	test.Tap(form.d.confirm)
	f.waitFor("the department error", func() bool {
		return form.errs["fields.department"] != (fieldError{}) && form.errs["fields.department"].Text != ""
	})
	test.Type(form.values["department"], "Research")
	test.Tap(form.d.confirm)
	f.waitFor("the list with Zoe", func() bool { return s.dialog == nil && s.rowOf("Zoe Adams") != nil })
	if !contains(s.message.message(), "zoe@partner.example") {
		t.Errorf("message %q; want the address", s.message.message())
	}
}

func TestRecallAnInvitation(t *testing.T) {
	f := newDemoFixture(t, Options{})
	s := invitationsArea(f)
	lena := s.rowOf("Lena Fischer")
	tapRowAction(t, lena.rowActions, lena.recall)
	if s.dialog == nil {
		t.Fatal("Recall asks nothing")
	}
	test.Tap(s.dialog.confirm)
	// No longer pending, it leaves the list the area opens on.
	f.waitFor("Lena recalled", func() bool { return s.dialog == nil && s.rowOf("Lena Fischer") == nil })
	if !contains(s.message.message(), "recalled") {
		t.Errorf("message %q", s.message.message())
	}
	if got := shownText(s.list); !contains(got, "None of your invitations is waiting") {
		t.Errorf("the empty Pending list says %q; want why it is empty", got)
	}
	test.Tap(s.filter.buttons[invitationsAll])
	if r := s.rowOf("Lena Fischer"); r == nil || r.inv.Status != api.InvitationRecalled || r.recall != nil || r.more != nil {
		t.Errorf("All shows Lena's invitation as %+v; want it recalled, with Details only", r)
	}
}

// TestNewInvitationSaysApprovalUpFront: under approvers the form says so
// before sending, and the invitation is listed waiting.
func TestNewInvitationSaysApprovalUpFront(t *testing.T) {
	f := newDemoFixture(t, Options{})
	store, err := server.OpenSQLite(context.Background(), f.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	err = server.SetApprovalPolicy(context.Background(), store, server.ApprovalPolicy{Operation: api.OpInvitationCreate, Mode: api.ModeApprovers, Group: server.RoleHelpdesk})
	store.Close()
	if err != nil {
		t.Fatal(err)
	}
	s := invitationsArea(f)
	test.Tap(s.create)
	form := s.form
	if !form.approval.Visible() || !contains(form.approval.message(), "approval") {
		t.Errorf("approval note %q; want it said up front", form.approval.message())
	}
	test.Type(form.name, "Yan Li")
	test.Type(form.email, "yan@partner.example")
	test.Type(form.values["department"], "Research")
	test.Tap(form.d.confirm)
	f.waitFor("Yan waiting", func() bool {
		r := s.rowOf("Yan Li")
		return s.dialog == nil && r != nil && r.inv.Status == api.InvitationInApproval && r.delete != nil && r.recall == nil
	})
	if !contains(s.message.message(), "waits for approval") {
		t.Errorf("message %q", s.message.message())
	}
}
