package ui

import (
	"errors"
	"slices"
	"testing"
	"time"

	"selfservice/api"
)

func TestScreenshotsOfApprovals(t *testing.T) {
	f := newServerFixture(t)
	f.seedApprovals()
	opts := f.demoOptions()
	f.start(opts)
	m := f.signIn("demo")

	var shots []string
	var mine []api.ApprovalRequest
	capture := func(name string) error {
		shots = append(shots, name)
		if name == "my-requests" {
			mine = m.requests.list.requests
		}
		return nil
	}
	wait := func(what string, cond func() bool) error {
		if !f.queue.waitUntil(15*time.Second, cond) {
			return errors.New("timed out waiting for " + what)
		}
		return nil
	}
	if err := screenshotApprovals(f.ui, m, opts, capture, wait); err != nil {
		t.Fatal(err)
	}

	if want := []string{"my-requests", "to-approve"}; !slices.Equal(shots, want) {
		t.Errorf("shots %v, want %v", shots, want)
	}
	var statuses []api.RequestStatus
	for _, r := range mine {
		statuses = append(statuses, r.Status)
	}
	if want := []api.RequestStatus{api.RequestRevoked, api.RequestInApproval}; !slices.Equal(statuses, want) {
		t.Errorf("my-requests shows %v; want %v (newest first)", statuses, want)
	}
	approver, ok := f.ui.current.(*mainScreen)
	if !ok || approver.approvals == nil || approver.approvals.dialog == nil {
		t.Fatal("to-approve does not show a request to decide on")
	}
	if got := approver.areas[approver.areaIndex("To approve")].badge; got != "1" {
		t.Errorf("to-approve badge %q; want 1", got)
	}
}
