package ui

import (
	"context"
	"errors"
	"testing"

	"fyne.io/fyne/v2/test"

	"selfservice/api"
	"selfservice/app"
	"selfservice/server"
)

// setPolicy sets an approval policy through a second connection to the
// server's database.
func (f *fixture) setPolicy(p server.ApprovalPolicy) {
	f.t.Helper()
	store, err := server.OpenSQLite(context.Background(), f.dbPath)
	if err != nil {
		f.t.Fatal(err)
	}
	defer store.Close()
	if err := server.SetApprovalPolicy(context.Background(), store, p); err != nil {
		f.t.Fatalf("set the approval policy: %v", err)
	}
}

// typePasswords fills the Password area's form and submits it.
func typePasswords(s *passwordScreen, current, next string) {
	s.current.SetText(current)
	s.next.SetText(next)
	s.repeat.SetText(next)
	test.Tap(s.submit)
}

// signsIn reports whether password signs the demo user in.
func (f *fixture) signsIn(password string) bool {
	f.t.Helper()
	other := app.NewSession(connect, app.NewMemorySecrets(), &mapPrefs{})
	_, err := other.Login(context.Background(), f.local.URL, "demo", password)
	if err != nil && !errors.Is(err, api.ErrInvalidCredentials) {
		f.t.Fatal(err)
	}
	return err == nil
}

// TestPasswordChangeSentToApprovers: the change goes to the approvers
// without the passwords; once approved, My requests leads back to the
// Password area, which finishes it with the same new password; a declined
// change is said so.
func TestPasswordChangeSentToApprovers(t *testing.T) {
	f := newFixture(t, Options{})
	f.setPolicy(server.ApprovalPolicy{Operation: api.OpPasswordUpdate, Mode: api.ModeApprovers, Approvers: []string{"helpdesk"}})
	m := f.signIn("demo")
	f.showArea(m, "Password")
	s := m.password
	f.waitFor("the policy", func() bool { return !s.submit.Disabled() })
	current, next := f.demoUser("demo").Password, "Granite-Orbit-7-Tulip"

	typePasswords(s, current, next)
	f.waitFor("the request", func() bool { return s.request != nil })
	if !contains(s.status.message(), "sent for approval") || s.current.Text != "" || s.next.Text != "" || s.repeat.Text != "" || s.stepUp != nil {
		t.Fatalf("after sending: status %q, fields %q %q %q; want the request said, the fields empty", s.status.message(), s.current.Text, s.next.Text, s.repeat.Text)
	}
	if !f.signsIn(current) {
		t.Fatal("the password changed before the approval")
	}
	approver := f.apiSession("helpdesk")
	if _, err := approver.ApproveRequest(context.Background(), s.request.ID, "Fine."); err != nil {
		t.Fatal(err)
	}

	// My requests offers to finish it, in the Password area.
	r := myRequests(f, m, 1)
	d := openMine(f, r, s.request.ID)
	if !d.finishPassword.Visible() || d.finish.Visible() || !contains(d.message.message(), "Finish changing your password") {
		t.Fatalf("finish password %v, finish enrollment %v, message %q; want Finish password change", d.finishPassword.Visible(), d.finish.Visible(), d.message.message())
	}
	test.Tap(d.finishPassword)
	f.waitFor("the approved change", func() bool { return m.shown == m.areaIndex("Password") && s.finishing() != nil })
	if !contains(s.status.message(), "was approved") || s.submit.Text != "Finish password change" {
		t.Fatalf("status %q, button %q; want the approval said and Finish password change", s.status.message(), s.submit.Text)
	}

	// Finishing checks the new password again: one the policy refuses is
	// refused next to it, and the approval stays usable. Any new password
	// may be chosen: the approvers never saw the one asked with.
	typePasswords(s, current, "Short1!")
	f.waitFor("the refusal", func() bool { return s.errs["new_password"].Visible() })
	if f.signsIn("Short1!") {
		t.Fatal("a password the policy refuses was set")
	}
	typePasswords(s, current, next)
	f.waitFor("the change", func() bool { return s.message.kind == bannerSuccess && s.message.Visible() })
	if s.status.Visible() || s.submit.Text != "Change password" || !f.signsIn(next) {
		t.Errorf("after finishing: status %q, button %q; want it done, with the new password", s.status.message(), s.submit.Text)
	}

	// Declined: nothing changes, and the area says so.
	typePasswords(s, next, "Maple-Comet-42-Harbor")
	f.waitFor("the second request", func() bool { return s.request != nil && s.request.Status == api.RequestInApproval })
	if _, err := approver.DeclineRequest(context.Background(), s.request.ID, "Call me first."); err != nil {
		t.Fatal(err)
	}
	f.showArea(m, "My requests")
	f.showArea(m, "Password")
	f.waitFor("the declined request", func() bool { return s.request != nil && s.request.Status == api.RequestRejected })
	if !contains(s.status.message(), "declined") || s.finishing() != nil || !f.signsIn(next) {
		t.Errorf("status %q; want the refusal said, the password unchanged", s.status.message())
	}
}
