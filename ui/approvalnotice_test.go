package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"

	"selfservice/api"
	"selfservice/server"
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

// Disabling a method that approvers must agree to asks first, with the
// notice, and sends the request only on Send for approval; Cancel leaves
// the method as it is.
func TestDisableSaysUpFrontItNeedsApprovers(t *testing.T) {
	f := newFixture(t, Options{})
	f.setPolicy(server.ApprovalPolicy{Operation: api.OpTokenDisable, Mode: api.ModeApprovers, Approvers: []string{"helpdesk"}, Required: 1})
	s := f.signIn("demo").tokens
	spare, _ := addSpare(t, f, s)

	tapAction(t, s.rows[spare.ID], api.ActionDisable)
	if s.dialog == nil {
		t.Fatal("Disable asked nothing; want a dialog saying it needs approvers")
	}
	want := "This change runs only once 1 approver agrees. Follow it under My requests."
	if !contains(shownText(s.dialog.content), want) || s.dialog.confirm.Text != "Send for approval" || s.dialog.dismiss.Text != "Cancel" {
		t.Fatalf("dialog %q with %q and %q; want it to say %q, with Send for approval and Cancel",
			shownText(s.dialog.content), s.dialog.confirm.Text, s.dialog.dismiss.Text, want)
	}
	test.Tap(s.dialog.dismiss)
	if s.dialog != nil || tokenStatus(t, f, spare.ID) != api.StatusActive {
		t.Fatalf("after Cancel: dialog open %v; want it closed and the method still ACTIVE", s.dialog != nil)
	}

	tapAction(t, s.rows[spare.ID], api.ActionDisable)
	test.Tap(s.dialog.confirm)
	f.waitFor("the request said", func() bool { return s.dialog == nil && s.notice.Visible() })
	if !contains(s.notice.message(), "Sent for approval") {
		t.Errorf("notice %q; want it to say the request was sent", s.notice.message())
	}
	if got := tokenStatus(t, f, spare.ID); got != api.StatusActive {
		t.Errorf("the method is %s before any approver agreed; want ACTIVE", got)
	}
	mine, err := f.session.Requests(context.Background(), api.FilterAll)
	if err != nil || len(mine) != 1 || mine[0].Operation != api.OpTokenDisable {
		t.Errorf("My requests: %v, %v; want the one request to disable", mine, err)
	}
}

// Disabling a method that needs no approval runs at once, as before.
func TestDisableWithoutApprovalRunsAtOnce(t *testing.T) {
	f := newFixture(t, Options{})
	f.setPolicy(server.ApprovalPolicy{Operation: api.OpTokenDisable, Mode: api.ModeNone})
	s := f.signIn("demo").tokens
	spare, _ := addSpare(t, f, s)

	tapAction(t, s.rows[spare.ID], api.ActionDisable)
	if s.dialog != nil {
		t.Fatalf("Disable asked %q; want it to run at once", shownText(s.dialog.content))
	}
	f.waitFor("the method disabled", func() bool { return contains(s.notice.message(), "is disabled") })
	if got := tokenStatus(t, f, spare.ID); got != api.StatusDisabled {
		t.Errorf("the method is %s; want DISABLED", got)
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
