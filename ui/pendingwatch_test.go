package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"selfservice/app"
)

// When an approver decides a request, the requester's app tells them once
// in the window and with a desktop notification, and leads to My requests.
func TestRequesterIsToldOnceWhenARequestIsDecided(t *testing.T) {
	f := newServerFixture(t)
	f.seedApprovals()
	f.start(Options{})
	m := f.signIn("demo")
	var sent []*fyne.Notification
	m.pending.send = func(n *fyne.Notification) { sent = append(sent, n) }
	req := f.requestHOTP(f.session, "Desk token")
	seen := app.PrefRequestsSeen + f.session.User().ID
	f.waitFor("the first look at the requests", func() bool { return f.prefs.String(seen) != "" && !m.pending.checking })
	if len(sent) != 0 || f.ui.notice.Visible() {
		t.Fatalf("told of %d decisions before any; want none", len(sent))
	}

	if _, err := f.apiSession("helpdesk").ApproveRequest(context.Background(), req.ID, "Checked by phone."); err != nil {
		t.Fatal(err)
	}
	m.pending.check()
	f.waitFor("the notice", func() bool { return f.ui.notice.Visible() })
	want := "Approved: Add a sign-in method: Authenticator app (HOTP). Finish it under My requests."
	if got := f.ui.notice.message(); got != want {
		t.Errorf("notice %q; want %q", got, want)
	}
	if len(sent) != 1 || sent[0].Content != want {
		t.Fatalf("notifications %v; want one saying %q", sent, want)
	}

	test.Tap(f.ui.notice.action)
	if m.shown != m.areaIndex("My requests") || f.ui.notice.Visible() {
		t.Errorf("Open My requests shows area %d, notice %v; want My requests, the notice gone", m.shown, f.ui.notice.Visible())
	}
	m.pending.check()
	f.waitFor("the next check", func() bool { return !m.pending.checking })
	if len(sent) != 1 || f.ui.notice.Visible() {
		t.Errorf("%d notifications, notice %v after checking again; want the decision told once", len(sent), f.ui.notice.Visible())
	}
}
