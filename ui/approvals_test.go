package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"selfservice/api"
)

// toApprove signs the helpdesk user in, shows To approve and waits for
// n requests in it.
func toApprove(f *fixture, n int) (*mainScreen, *approvalsScreen) {
	f.t.Helper()
	m := f.signIn("helpdesk")
	f.showArea(m, "To approve")
	f.loadedList(m.approvals.list, n)
	return m, m.approvals
}

// openApproval opens request id in To approve.
func openApproval(f *fixture, s *approvalsScreen, id string) *approvalDialog {
	f.t.Helper()
	f.openRequest(s.list, id, func() *requestDialog {
		if s.dialog == nil {
			return nil
		}
		return s.dialog.requestDialog
	})
	return s.dialog
}

func TestApproveNeedsCommentThenRuns(t *testing.T) {
	f := newServerFixture(t)
	f.seedApprovals()
	f.start(Options{})
	requester := f.apiSession("demo")
	req := f.requestHOTP(requester, "Desk token")

	m, s := toApprove(f, 1)
	if got := s.list.who(s.list.requests[0]); !contains(got, "Demo Employee") {
		t.Errorf("row says %q; want the requester's name", got)
	}
	d := openApproval(f, s, req.ID)
	if !d.approve.Visible() || !d.decline.Visible() {
		t.Fatalf("approve shown %v, decline shown %v; want both", d.approve.Visible(), d.decline.Visible())
	}

	test.Tap(d.approve)
	f.waitFor("the comment's error", func() bool { return d.commentErr.Visible() })
	if got, want := d.commentErr.Text, "Write a comment"; !contains(got, want) {
		t.Errorf("comment error %q; want it to contain %q", got, want)
	}
	if got, err := requester.Request(context.Background(), req.ID); err != nil || got.Status != api.RequestInApproval {
		t.Errorf("request after approving without comment: %s, %v; want IN_APPROVAL", got.Status, err)
	}

	test.Type(d.comment, "Checked by phone.")
	test.Tap(d.approve)
	f.waitFor("the approval", func() bool { return d.req.Status == api.RequestApproved || d.message.message() != "" })
	if d.req.Status != api.RequestApproved {
		t.Fatalf("status %s, message %q; want APPROVED", d.req.Status, d.message.message())
	}
	if got, want := d.message.message(), "can now finish it"; !contains(got, want) {
		t.Errorf("message %q; want it to contain %q", got, want)
	}
	if d.approve.Visible() || d.decline.Visible() || d.decideBox.Visible() {
		t.Error("the decision controls stay shown on an approved request")
	}
	if d.commentErr.Visible() {
		t.Errorf("comment error %q stays after the approval", d.commentErr.Text)
	}
	f.waitFor("the list without the approved request", func() bool { return s.list.loads.current() && len(s.list.requests) == 0 })
	i := m.areaIndex("To approve")
	f.waitFor("the badge to clear", func() bool { return m.areas[i].badge == "" })

	// The requester finishes the approved enrollment: the action runs.
	ctx := api.WithApproval(context.Background(), req.ID)
	created, err := requester.EnrollToken(ctx, req.Parameters["template_id"], req.Parameters["description"])
	if err != nil || created.Token.Type != api.TypeHOTP || created.Token.Description != "Desk token" {
		t.Errorf("finishing the approved enrollment = %+v, %v; want the HOTP token Desk token", created.Token, err)
	}
}

func TestDeclineRejectsRequest(t *testing.T) {
	f := newServerFixture(t)
	f.seedApprovals()
	f.start(Options{})
	requester := f.apiSession("demo")
	req := f.requestHOTP(requester, "")

	_, s := toApprove(f, 1)
	d := openApproval(f, s, req.ID)
	test.Type(d.comment, "Use the time-based app instead.")
	test.Tap(d.decline)
	f.waitFor("the decline", func() bool { return d.req.Status == api.RequestRejected || d.message.message() != "" })
	if d.req.Status != api.RequestRejected {
		t.Fatalf("status %s, message %q; want REJECTED", d.req.Status, d.message.message())
	}
	if got, want := d.message.message(), "Nothing changes"; !contains(got, want) {
		t.Errorf("message %q; want it to contain %q", got, want)
	}
	f.waitFor("the pending list to empty", func() bool { return s.list.loads.current() && len(s.list.requests) == 0 })

	s.list.setFilter(api.FilterAll)
	f.loadedList(s.list, 1)
	if got := s.list.requests[0].Status; got != api.RequestRejected {
		t.Errorf("listed status %s; want REJECTED", got)
	}
	got, err := requester.Request(context.Background(), req.ID)
	if err != nil || got.Status != api.RequestRejected || len(got.Decisions) != 1 || got.Decisions[0].Comment != "Use the time-based app instead." {
		t.Errorf("requester sees %+v, %v; want REJECTED with the comment", got, err)
	}
}

func TestDeclineNeedsComment(t *testing.T) {
	f := newServerFixture(t)
	f.seedApprovals()
	f.start(Options{})
	req := f.requestHOTP(f.apiSession("demo"), "")

	_, s := toApprove(f, 1)
	d := openApproval(f, s, req.ID)
	test.Type(d.comment, "   ")
	test.Tap(d.decline)
	f.waitFor("the comment's error", func() bool { return d.commentErr.Visible() })
	if d.req.Status != api.RequestInApproval {
		t.Errorf("status %s after declining without comment; want IN_APPROVAL", d.req.Status)
	}
}

func TestBadgeCountsPendingAndNotifies(t *testing.T) {
	f := newServerFixture(t)
	f.seedApprovals()
	f.start(Options{})
	requester := f.apiSession("demo")
	f.requestHOTP(requester, "First")

	m := f.signIn("helpdesk")
	i := m.areaIndex("To approve")
	if i < 0 {
		t.Fatal("no To approve for the helpdesk user")
	}
	var sent []*fyne.Notification
	m.pending.send = func(n *fyne.Notification) { sent = append(sent, n) }
	f.waitFor("the first count", func() bool { return m.pending.known })
	if got := m.areas[i].badge; got != "1" {
		t.Errorf("badge %q; want 1", got)
	}
	if len(sent) != 0 {
		t.Errorf("%d notifications for requests already there at sign-in; want none", len(sent))
	}

	f.requestHOTP(requester, "Second")
	m.pending.check()
	f.waitFor("the badge to count two", func() bool { return m.areas[i].badge == "2" })
	if len(sent) != 1 || !contains(sent[0].Title, "New request") || !contains(sent[0].Content, "2 requests") {
		t.Errorf("notifications %+v; want one about 2 requests", sent)
	}

	m.pending.check() // nothing new
	f.waitFor("the count", func() bool { return !m.pending.checking })
	if len(sent) != 1 {
		t.Errorf("%d notifications after a count without news; want 1", len(sent))
	}
}

func TestNewUserSeesNoApprovalAreas(t *testing.T) {
	f := newServerFixture(t)
	f.addUser("newbie", "newbie-password")
	f.start(Options{})

	f.enterPassword("newbie", "newbie-password")
	m := f.mainScreen()
	if len(m.areas) != 1 || m.areaIndex("Sign-in methods") != 0 {
		t.Errorf("%d areas shown to a user who must add a first sign-in method; want only Sign-in methods", len(m.areas))
	}
	if m.pending != nil {
		t.Error("the pending count is watched without the privilege")
	}
}

// The approver reads who asked by name and username, and what by names:
// no request, token or template id.
func TestApprovalDialogNamesPeopleAndThingsNotIDs(t *testing.T) {
	f := newServerFixture(t)
	f.seedApprovals()
	f.start(Options{})
	req := f.requestHOTP(f.apiSession("demo"), "Desk token")

	_, s := toApprove(f, 1)
	if got := s.list.who(s.list.requests[0]); !contains(got, "Demo Employee (demo)") {
		t.Errorf("row says %q; want the requester's name and username", got)
	}
	d := openApproval(f, s, req.ID)
	shown := shownText(d.detail)
	for _, want := range []string{"Demo Employee (demo)", "Authenticator app", "Desk token"} {
		if !contains(shown, want) {
			t.Errorf("the dialog lacks %q:\n%s", want, shown)
		}
	}
	for _, id := range []string{req.ID, req.Target, req.Requester.ID} {
		if contains(shown, id) {
			t.Errorf("the dialog shows the internal id %q:\n%s", id, shown)
		}
	}
}
