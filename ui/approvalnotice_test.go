package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"selfservice/api"
)

// The forms of approvable actions say up front what a change needs: a
// step-up for the password and for deleting a method, approvers for
// adding a counter-based authenticator app.
func TestFormsSayUpFrontWhatAChangeNeeds(t *testing.T) {
	f := newServerFixture(t)
	f.seedApprovals()
	f.start(Options{})
	m := f.signIn("demo")

	stepUp := "Before this change runs, you confirm it's you with one of your sign-in methods."
	if got := m.password.need.message(); got != stepUp {
		t.Errorf("the Password form says %q; want %q", got, stepUp)
	}

	s := m.tokens
	spare, _ := addSpare(t, f, s)
	s.rows[spare.ID].actions[api.ActionDelete].run()
	if s.dialog == nil || !contains(shownText(s.dialog.content), stepUp) {
		t.Errorf("the Delete dialog does not say it needs a step-up")
	}
	s.dialog.close()

	test.Tap(s.add)
	f.waitFor("the kinds of sign-in methods", func() bool { return s.chooser != nil && len(s.chooser.templates) > 0 })
	var hotp, totp string
	for i, tpl := range s.chooser.templates {
		text := shownText(s.chooser.list.Objects[i])
		switch tpl.ID {
		case hotpTemplate:
			hotp = text
		case "totp-app":
			totp = text
		}
	}
	if !contains(hotp, "only once 1 approver agrees") || contains(totp, "approver") {
		t.Errorf("HOTP card %q, TOTP card %q; want only the HOTP one to say it waits for an approver", hotp, totp)
	}
}

func TestApprovalNeedText(t *testing.T) {
	tests := []struct {
		need api.ApprovalNeed
		want string
	}{
		{api.ApprovalNeed{Mode: api.ModeNone}, ""},
		{api.ApprovalNeed{Mode: api.ModeSelf}, "Before this change runs, you confirm it's you with one of your sign-in methods."},
		{api.ApprovalNeed{Mode: api.ModeApprovers, Required: 2}, "This change runs only once 2 approvers agree. Follow it under My requests."},
	}
	for _, tt := range tests {
		if got := approvalNeedText(tt.need); got != tt.want {
			t.Errorf("approvalNeedText(%+v) = %q, want %q", tt.need, got, tt.want)
		}
	}
}
