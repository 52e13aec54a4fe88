package app_test

import (
	"context"
	"testing"

	"selfservice/api"
	"selfservice/app"
	"selfservice/server"
)

func TestChangePassword(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	b.signIn(t, s)
	if !s.Can(api.PrivPasswordUpdate) {
		t.Fatal("demo lacks password_update")
	}
	policy, err := s.PasswordPolicy(ctx)
	if err != nil || policy.MinLength == 0 {
		t.Fatalf("PasswordPolicy = %+v, %v", policy, err)
	}

	const next = "Granite-Orbit-7-Tulip"
	if _, err := s.ChangePassword(ctx, b.demo.Password, next, next+"x", true); fieldErrors(err)["confirm_password"] == "" {
		t.Errorf("two different new passwords: %v; want a field error of confirm_password", err)
	}
	if _, err := s.ChangePassword(ctx, "", next, next, true); fieldErrors(err)["current_password"] == "" {
		t.Errorf("no current password: %v; want a field error of current_password", err)
	}
	if _, err := s.ChangePassword(ctx, b.demo.Password, "demo-demo-demo", "demo-demo-demo", true); fieldErrors(err)["new_password"] == "" {
		t.Errorf("a new password with the username: %v; want a field error of new_password", err)
	}
	if _, err := s.ChangePassword(ctx, b.demo.Password, next, next, false); err != nil {
		t.Fatalf("ChangePassword: %v", err)
	}
	if _, err := s.ChangePassword(ctx, b.demo.Password, next, next, false); fieldErrors(err)["current_password"] == "" {
		t.Errorf("the old password as the current one: %v; want a field error of current_password", err)
	}
}

// TestChangePasswordIsApprovable: with the demo's policy the change
// needs a step-up; sent to approvers, PasswordRequest follows the request
// until the user finishes it with the same passwords.
func TestChangePasswordIsApprovable(t *testing.T) {
	b := newApprovalsBackend(t)
	ctx := context.Background()
	s := b.requester
	const next, later = "Granite-Orbit-7-Tulip", "Maple-Comet-42-Harbor"

	_, err := s.ChangePassword(ctx, b.demo.Password, next, next, false)
	step := stepUp(t, err)
	demoToken := methodOf(t, step, api.TypeTOTP)
	if _, err := s.VerifyStepUp(ctx, step.ApprovalID, demoToken.TokenID, b.code(t, b.demo.TOTPSecret)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ChangePassword(api.WithApproval(ctx, step.ApprovalID), b.demo.Password, next, next, false); err != nil {
		t.Fatalf("ChangePassword with the step-up: %v", err)
	}
	if req, err := s.PasswordRequest(ctx); err != nil || req != nil {
		t.Fatalf("PasswordRequest = %+v, %v; want none (a step-up is no request)", req, err)
	}

	if err := server.SetApprovalPolicy(ctx, b.store, server.ApprovalPolicy{Operation: api.OpPasswordUpdate, Mode: api.ModeApprovers, Approvers: []string{"helpdesk"}}); err != nil {
		t.Fatal(err)
	}
	_, err = s.ChangePassword(ctx, next, later, later, true)
	sent, ok := api.ApprovalPending(err)
	if !ok {
		t.Fatalf("ChangePassword under approvers: %v; want approval_pending", err)
	}
	if req, err := s.PasswordRequest(ctx); err != nil || req == nil || req.ID != sent.ID || req.Status != api.RequestInApproval {
		t.Fatalf("PasswordRequest = %+v, %v; want the request in approval", req, err)
	}
	if _, err := b.approver.ApproveRequest(ctx, sent.ID, "Fine."); err != nil {
		t.Fatal(err)
	}
	req, err := s.PasswordRequest(ctx)
	if err != nil || req == nil || !req.AwaitsRequester() {
		t.Fatalf("PasswordRequest = %+v, %v; want it approved, waiting for the user", req, err)
	}
	if _, err := s.ChangePassword(api.WithApproval(ctx, req.ID), next, later, later, true); err != nil {
		t.Fatalf("finishing the approved change: %v", err)
	}
	if req, err := s.PasswordRequest(ctx); err != nil || req == nil || req.AwaitsRequester() || req.ExecutedAt == nil {
		t.Errorf("PasswordRequest after finishing = %+v, %v; want it carried out", req, err)
	}
	if req, err := b.approver.PasswordRequest(ctx); err != nil || req != nil {
		t.Errorf("PasswordRequest of the helpdesk user = %+v, %v; want none", req, err)
	}
}
