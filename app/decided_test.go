package app_test

import (
	"context"
	"testing"

	"selfservice/api"
	"selfservice/app"
)

// The app tells the requester of each decision on their requests once,
// also after a restart on the same computer, and nothing at the first
// look.
func TestNewlyDecidedTellsEachDecisionOnce(t *testing.T) {
	b := newApprovalsBackend(t)
	ctx := context.Background()
	early := b.requestEnrollment(t, "Desk token")
	if _, err := b.approver.DeclineRequest(ctx, early.ID, "Use the app with push instead."); err != nil {
		t.Fatal(err)
	}

	prefs := newPrefs()
	requester := func() *app.Session {
		s := app.NewSession(connect, app.NewMemorySecrets(), prefs)
		b.signIn(t, s)
		return s
	}
	s := requester()
	if got, err := s.NewlyDecided(ctx); err != nil || len(got) != 0 {
		t.Fatalf("first NewlyDecided = %d, %v; want nothing: the decision came before the app looked", len(got), err)
	}

	approved := b.requestEnrollment(t, "Spare token")
	pending := b.requestEnrollment(t, "Third token")
	if got, err := s.NewlyDecided(ctx); err != nil || len(got) != 0 {
		t.Fatalf("NewlyDecided before any new decision = %d, %v; want nothing", len(got), err)
	}
	if _, err := b.approver.ApproveRequest(ctx, approved.ID, "Fine."); err != nil {
		t.Fatal(err)
	}
	got, err := s.NewlyDecided(ctx)
	if err != nil || len(got) != 1 || got[0].ID != approved.ID || got[0].Status != api.RequestApproved {
		t.Fatalf("NewlyDecided after approving = %+v, %v; want the approved request", got, err)
	}
	if got, _ := s.NewlyDecided(ctx); len(got) != 0 {
		t.Errorf("NewlyDecided again = %d; want the decision told once", len(got))
	}

	if _, err := b.approver.DeclineRequest(ctx, pending.ID, "One spare is enough."); err != nil {
		t.Fatal(err)
	}
	again := requester() // the app restarted
	got, err = again.NewlyDecided(ctx)
	if err != nil || len(got) != 1 || got[0].ID != pending.ID || got[0].Status != api.RequestRejected {
		t.Fatalf("NewlyDecided after a restart = %+v, %v; want the declined request only", got, err)
	}
}
