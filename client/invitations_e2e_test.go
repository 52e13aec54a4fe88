package client_test

import (
	"context"
	"errors"
	"testing"

	"selfservice/api"
	"selfservice/server"
	"selfservice/server/notify"
)

// TestInvitations: the demo employee invites from a template, sees it
// SENT with its history, may not resend it at once, recalls it; a field
// the template needs is a field error; the demo's own invitations are
// listed by status; the helpdesk user may not invite, nor see another
// sponsor's invitation.
func TestInvitations(t *testing.T) {
	ctx := context.Background()
	b := newBackendWith(t, server.Config{Tenant: server.DemoTenant(), EmailSender: notify.NewFileSender(t.TempDir())})
	demo := b.signIn(t, b.demo)

	templates, err := demo.InvitationTemplates(ctx)
	if err != nil || len(templates.Templates) == 0 || templates.Approval != api.ModeNone {
		t.Fatalf("InvitationTemplates = %+v, %v", templates, err)
	}
	_, err = demo.CreateInvitation(ctx, api.CreateInvitationRequest{TemplateID: "contractor", Name: "Zoe", Email: "zoe@example.com"})
	if f := fieldErrors(err); f["fields.department"] == "" {
		t.Errorf("without the department: %v; want fields.department named", err)
	}
	inv, err := demo.CreateInvitation(ctx, api.CreateInvitationRequest{TemplateID: "contractor", Name: "Zoe", Email: "zoe@example.com",
		Fields: map[string]string{"department": "Research"}})
	if err != nil || inv.Status != api.InvitationSent {
		t.Fatalf("CreateInvitation = %+v, %v; want SENT", inv, err)
	}
	if _, err := demo.ResendInvitation(ctx, inv.ID); !errors.Is(err, api.ErrResendTooSoon) {
		t.Errorf("resend at once: %v; want resend_too_soon", err)
	}
	b.clock.NextStep()
	if again, err := demo.ResendInvitation(ctx, inv.ID); err != nil || len(again.History) != 3 {
		t.Errorf("resend = %+v, %v; want a resent event", again, err)
	}
	recalled, err := demo.RecallInvitation(ctx, inv.ID)
	if err != nil || recalled.Status != api.InvitationRecalled {
		t.Fatalf("RecallInvitation = %+v, %v", recalled, err)
	}
	if err := demo.DeleteInvitation(ctx, inv.ID); !errors.Is(err, api.ErrInvalidState) {
		t.Errorf("delete a recalled one: %v; want invalid_state", err)
	}
	got, err := demo.Invitation(ctx, inv.ID)
	if err != nil || got.Status != api.InvitationRecalled {
		t.Errorf("Invitation = %+v, %v", got, err)
	}
	accepted, err := demo.Invitations(ctx, api.InvitationAccepted)
	if err != nil || len(accepted) != 1 || accepted[0].Username != "tomas.ruiz" {
		t.Errorf("ACCEPTED ones = %+v, %v; want the demo's Tomás Ruiz", accepted, err)
	}
	all, err := demo.Invitations(ctx, "")
	if err != nil || len(all) != 5 {
		t.Errorf("all = %d, %v; want the demo's four and Zoe's", len(all), err)
	}

	desk := b.signIn(t, b.helpdesk)
	if _, err := desk.InvitationTemplates(ctx); !errors.Is(err, api.ErrPrivilegeMissing) {
		t.Errorf("helpdesk templates: %v; want privilege_missing", err)
	}
	if _, err := desk.Invitation(ctx, inv.ID); !errors.Is(err, api.ErrPrivilegeMissing) {
		t.Errorf("helpdesk reading the demo's: %v; want privilege_missing", err)
	}
	if err := demo.DeleteInvitation(ctx, "no-such-id"); !errors.Is(err, api.ErrNotFound) {
		t.Errorf("delete unknown: %v; want not_found", err)
	}
}
