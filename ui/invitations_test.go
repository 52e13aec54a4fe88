package ui

import (
	"context"
	"testing"

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

func TestInvitationsListOffersWhatEachStatusAllows(t *testing.T) {
	f := newDemoFixture(t, Options{})
	s := invitationsArea(f)
	if len(s.rows) != 4 {
		t.Fatalf("%d invitations shown; want the demo's 4", len(s.rows))
	}
	text := shownText(s.list)
	for _, want := range []string{"Sent", "Accepted", "Expired", "Recalled", "accepted as tomas.ruiz", "lena.fischer@partner.example"} {
		if !contains(text, want) {
			t.Errorf("the list does not show %q", want)
		}
	}
	if lena := s.rowOf("Lena Fischer"); lena == nil || lena.resend == nil || lena.recall == nil || lena.delete == nil {
		t.Errorf("the SENT invitation lacks Send again, Recall or Delete: %+v", lena)
	}
	if tomas := s.rowOf("Tomás Ruiz"); tomas == nil || tomas.resend != nil || tomas.recall != nil || tomas.delete != nil {
		t.Errorf("the ACCEPTED invitation offers actions: %+v", tomas)
	}

	test.Tap(s.rowOf("Tomás Ruiz").details)
	f.waitFor("the details", func() bool { return s.detail != nil })
	if got := shownText(s.detail.history); !contains(got, "Created") || !contains(got, "Accepted") {
		t.Errorf("history %q; want created and accepted", got)
	}
	s.detail.dlg.Hide()

	s.filter.SetSelected("Expired")
	f.waitFor("the expired ones", func() bool { return len(s.rows) == 1 && s.rows[0].inv.Name == "Priya Nair" })
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
	test.Tap(s.rowOf("Lena Fischer").recall)
	if s.dialog == nil {
		t.Fatal("Recall asks nothing")
	}
	test.Tap(s.dialog.confirm)
	f.waitFor("Lena recalled", func() bool {
		r := s.rowOf("Lena Fischer")
		return s.dialog == nil && r != nil && r.inv.Status == api.InvitationRecalled && r.recall == nil
	})
	if !contains(s.message.message(), "recalled") {
		t.Errorf("message %q", s.message.message())
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
