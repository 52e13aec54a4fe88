package app_test

import (
	"context"
	"errors"
	"testing"

	"selfservice/api"
	"selfservice/app"
	"selfservice/server"
	"selfservice/server/notify"
)

func newInvitationsBackend(t *testing.T) *backend {
	return newBackendConfig(t, server.Config{Tenant: server.DemoTenant(), EmailSender: notify.NewFileSender(t.TempDir())})
}

// TestInvitationsFormCheckedFirst: a form without a name or a valid
// address is refused naming the fields before anything is sent; a good
// one is sent, and the actions offered follow its status.
func TestInvitationsFormCheckedFirst(t *testing.T) {
	b := newInvitationsBackend(t)
	ctx := context.Background()
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	b.signIn(t, s)

	before := b.requests.Load()
	_, err := s.CreateInvitation(ctx, api.CreateInvitationRequest{TemplateID: "contractor", Name: " ", Email: "not an address"})
	if f := fieldErrors(err); f["name"] == "" || f["email"] == "" {
		t.Errorf("bad form: %v; want name and email named", err)
	}
	if n := b.requests.Load() - before; n != 0 {
		t.Errorf("%d requests for a bad form; want none", n)
	}

	inv, err := s.CreateInvitation(ctx, api.CreateInvitationRequest{TemplateID: "contractor", Name: "Zoe", Email: "zoe@example.com",
		Fields: map[string]string{"department": "Research"}})
	if err != nil || inv.Status != api.InvitationSent {
		t.Fatalf("CreateInvitation = %+v, %v", inv, err)
	}
	for a, want := range map[app.InvitationAction]bool{app.InvitationResend: true, app.InvitationRecall: true, app.InvitationDelete: true} {
		if got := s.CanOnInvitation(inv, a); got != want {
			t.Errorf("CanOnInvitation(SENT, %d) = %v; want %v", a, got, want)
		}
	}
	recalled, err := s.RecallInvitation(ctx, inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []app.InvitationAction{app.InvitationResend, app.InvitationRecall, app.InvitationDelete} {
		if s.CanOnInvitation(recalled, a) {
			t.Errorf("CanOnInvitation(RECALLED, %d) = true; want false", a)
		}
	}
	if err := s.DeleteInvitation(ctx, inv.ID); !errors.Is(err, api.ErrInvalidState) {
		t.Errorf("DeleteInvitation(RECALLED) = %v; want invalid_state", err)
	}
	list, err := s.Invitations(ctx, api.InvitationRecalled)
	if err != nil || len(list) != 2 { // the demo's and Zoe's
		t.Errorf("RECALLED = %d, %v; want 2", len(list), err)
	}

	desk := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	b.signInAs(t, desk, b.helpdesk)
	if desk.Can(api.PrivInvitationView) || desk.CanOnInvitation(inv, app.InvitationDelete) {
		t.Error("the helpdesk user may use invitations")
	}
}

// TestCreateInvitationWithStepUp: under a step-up the invitation is sent
// once the user confirms.
func TestCreateInvitationWithStepUp(t *testing.T) {
	b := newInvitationsBackend(t)
	ctx := context.Background()
	if err := server.SetApprovalPolicy(ctx, b.store, server.ApprovalPolicy{Operation: api.OpInvitationCreate, Mode: api.ModeSelf}); err != nil {
		t.Fatal(err)
	}
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	b.signIn(t, s)
	tpls, err := s.InvitationTemplates(ctx)
	if err != nil || tpls.Approval != api.ModeSelf {
		t.Fatalf("InvitationTemplates = %+v, %v; want self said up front", tpls, err)
	}
	req := api.CreateInvitationRequest{TemplateID: "contractor", Name: "Zoe", Email: "zoe@example.com", Fields: map[string]string{"department": "Research"}}
	_, err = s.CreateInvitation(ctx, req)
	step := stepUp(t, err)
	m := methodOf(t, step, api.TypeTOTP)
	if _, err := s.VerifyStepUp(ctx, step.ApprovalID, m.TokenID, b.code(t, b.demo.TOTPSecret)); err != nil {
		t.Fatal(err)
	}
	inv, err := s.CreateInvitation(api.WithApproval(ctx, step.ApprovalID), req)
	if err != nil || inv.Status != api.InvitationSent {
		t.Fatalf("with the step-up: %+v, %v; want SENT", inv, err)
	}
	if got, err := s.Invitation(ctx, inv.ID); err != nil || got.Email != "zoe@example.com" {
		t.Errorf("Invitation = %+v, %v", got, err)
	}
}
