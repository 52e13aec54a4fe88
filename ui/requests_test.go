package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"

	"selfservice/api"
)

// myRequests shows My requests and waits for n requests in it.
func myRequests(f *fixture, m *mainScreen, n int) *requestsScreen {
	f.t.Helper()
	f.showArea(m, "My requests")
	f.loadedList(m.requests.list, n)
	return m.requests
}

// openMine opens request id in My requests.
func openMine(f *fixture, s *requestsScreen, id string) *myRequestDialog {
	f.t.Helper()
	f.openRequest(s.list, id, func() *requestDialog {
		if s.dialog == nil {
			return nil
		}
		return s.dialog.requestDialog
	})
	return s.dialog
}

// historyEvents lists a request's events, separated by spaces.
func historyEvents(r api.ApprovalRequest) string {
	out := ""
	for i, h := range r.History {
		if i > 0 {
			out += " "
		}
		out += string(h.Event)
	}
	return out
}

func TestMyRequestsShowsHistoryAndFinish(t *testing.T) {
	f := newServerFixture(t)
	f.seedApprovals()
	f.start(Options{})
	m := f.signIn("demo")
	req := f.requestHOTP(f.session, "Desk token")

	s := myRequests(f, m, 1)
	if got := s.list.who(s.list.requests[0]); !contains(got, "Demo Helpdesk") {
		t.Errorf("row says %q; want the approver's name", got)
	}
	d := openMine(f, s, req.ID)
	if got := historyEvents(d.req); got != "created" {
		t.Errorf("history %q; want created", got)
	}
	if !d.revoke.Visible() || d.finish.Visible() {
		t.Errorf("revoke shown %v, finish shown %v; want revoke only", d.revoke.Visible(), d.finish.Visible())
	}
	test.Tap(d.dismiss)

	approver := f.apiSession("helpdesk")
	if _, err := approver.ApproveRequest(context.Background(), req.ID, "Fine by me."); err != nil {
		t.Fatalf("approving: %v", err)
	}
	test.Tap(s.list.reload)
	f.waitFor("the approved request", func() bool {
		return s.list.loads.current() && len(s.list.requests) == 1 && s.list.requests[0].Status == api.RequestApproved
	})
	d = openMine(f, s, req.ID)
	if got := historyEvents(d.req); got != "created approved" {
		t.Errorf("history %q; want created approved", got)
	}
	if !d.finish.Visible() {
		t.Fatal("no Finish enrollment on an approved enrollment")
	}
	if got, want := d.message.message(), "Finish adding"; !contains(got, want) {
		t.Errorf("message %q; want it to contain %q", got, want)
	}

	test.Tap(d.finish)
	f.waitFor("the enrollment wizard", func() bool { return m.tokens.wizard != nil })
	if s.dialog != nil {
		t.Error("the request stays open behind the enrollment")
	}
}

func TestRevokeFromMyRequests(t *testing.T) {
	f := newServerFixture(t)
	f.seedApprovals()
	f.start(Options{})
	m := f.signIn("demo")
	req := f.requestHOTP(f.session, "")

	s := myRequests(f, m, 1)
	d := openMine(f, s, req.ID)
	test.Tap(d.revoke)
	if got, want := d.message.message(), "Revoke this request?"; !contains(got, want) {
		t.Fatalf("message %q; want the confirmation %q", got, want)
	}
	if d.req.Status != api.RequestInApproval {
		t.Errorf("status %s before confirming; want IN_APPROVAL", d.req.Status)
	}

	test.Tap(d.message.action)
	f.waitFor("the revoke", func() bool { return d.req.Status == api.RequestRevoked || d.message.message() != "" })
	if d.req.Status != api.RequestRevoked {
		t.Fatalf("status %s, message %q; want REVOKED", d.req.Status, d.message.message())
	}
	if got, want := d.message.message(), "Nothing was changed"; !contains(got, want) {
		t.Errorf("message %q; want it to contain %q", got, want)
	}
	if d.revoke.Visible() {
		t.Error("Revoke stays shown on a revoked request")
	}
	f.waitFor("the pending list to empty", func() bool { return s.list.loads.current() && len(s.list.requests) == 0 })

	inbox, err := f.apiSession("helpdesk").Inbox(context.Background(), api.FilterAll)
	if err != nil || len(inbox) != 1 || inbox[0].Status != api.RequestRevoked {
		t.Errorf("approver's inbox = %+v, %v; want the REVOKED request", inbox, err)
	}
}
