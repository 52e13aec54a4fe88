package app_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"selfservice/api"
	"selfservice/app"
)

// hasEmergency reports whether methods offer the emergency access code.
func hasEmergency(methods []api.LoginMethod) bool {
	return slices.ContainsFunc(methods, func(m api.LoginMethod) bool {
		return m.TokenID == api.EmergencyTokenID && m.Type == api.TypeEmergency
	})
}

func TestEmergencyCodeFromHelpdeskSignsInAndConfirmsAStepUp(t *testing.T) {
	b := newBackend(t)
	seedApprovals(t, b)
	ctx := context.Background()

	desk := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	ch, err := desk.Login(ctx, b.url, b.helpdesk.Username, b.helpdesk.Password)
	if err != nil {
		t.Fatal(err)
	}
	if err := desk.Verify(ctx, ch, ch.Methods[0].TokenID, b.code(t, b.helpdesk.TOTPSecret)); err != nil {
		t.Fatal(err)
	}
	if !desk.Can(api.PrivEmergencyIssue) {
		t.Fatal("helpdesk lacks emergency_code_issue")
	}
	_, err = desk.IssueEmergencyCode(ctx, " ", 0, 11)
	if f := fieldErrors(err); f["username"] == "" || f["valid_for_hours"] == "" || f["uses"] == "" {
		t.Errorf("IssueEmergencyCode with nothing valid: fields = %v; want username, valid_for_hours, uses", f)
	}
	if _, err := desk.IssueEmergencyCode(ctx, "helpdesk", 1, 1); !errors.Is(err, api.ErrEmergencyForSelf) {
		t.Errorf("IssueEmergencyCode for oneself = %v; want %v", err, api.ErrEmergencyForSelf)
	}
	issued, err := desk.IssueEmergencyCode(ctx, " Demo ", 4, 2)
	if err != nil {
		t.Fatalf("IssueEmergencyCode: %v", err)
	}

	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	ch, err = s.Login(ctx, b.url, b.demo.Username, b.demo.Password)
	if err != nil || !hasEmergency(ch.Methods) {
		t.Fatalf("Login = %+v, %v; want the emergency access code among the methods", ch, err)
	}
	if err := s.VerifyEmergency(ctx, ch, "ABCD"); fieldErrors(err)["emergency_code"] == "" {
		t.Errorf("VerifyEmergency with a short code = %v; want a field error on emergency_code", err)
	}
	typed := strings.ToLower(strings.ReplaceAll(issued.Code, "-", " "))
	if err := s.VerifyEmergency(ctx, ch, typed); err != nil || !s.SignedIn() {
		t.Fatalf("VerifyEmergency = %v, signed in %v; want signed in", err, s.SignedIn())
	}

	_, err = s.EnrollToken(ctx, "totp-app", "New phone")
	step := stepUp(t, err)
	if !hasEmergency(step.Methods) {
		t.Fatalf("step-up methods = %+v; want the emergency access code", step.Methods)
	}
	approval, err := s.VerifyStepUpEmergency(ctx, step.ApprovalID, issued.Code)
	if err != nil || approval.Status != api.ApprovalVerified {
		t.Fatalf("VerifyStepUpEmergency = %+v, %v; want VERIFIED", approval, err)
	}
	if _, err := s.EnrollToken(api.WithApproval(ctx, step.ApprovalID), "totp-app", "New phone"); err != nil {
		t.Fatalf("EnrollToken with the approval: %v", err)
	}

	// Both uses are spent; and enrolling deactivated the code anyway.
	ch, err = app.NewSession(connect, app.NewMemorySecrets(), newPrefs()).Login(ctx, b.url, b.demo.Username, b.demo.Password)
	if err != nil || hasEmergency(ch.Methods) {
		t.Errorf("Login after enrolling = %+v, %v; want no emergency access code", ch, err)
	}
}

// Helpdesk looks the person up before issuing: their name and whether
// they hold a code; a username that cannot be one is not sent.
func TestEmergencyHolderNamesThePerson(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	desk := b.signInHelpdesk(t)
	if _, err := desk.EmergencyHolder(ctx, "no such/user"); fieldErrors(err)["username"] == "" {
		t.Errorf("EmergencyHolder of an impossible username = %v; want a field error on username", err)
	}
	out, err := desk.EmergencyHolder(ctx, " Demo ")
	if err != nil || out.Username != "demo" || out.DisplayName != "Demo Employee" || out.Current != nil {
		t.Fatalf("EmergencyHolder = %+v, %v; want demo, Demo Employee, no code", out, err)
	}
	if _, err := desk.IssueEmergencyCode(ctx, "demo", 4, 2); err != nil {
		t.Fatal(err)
	}
	if out, err := desk.EmergencyHolder(ctx, "demo"); err != nil || out.Current == nil || out.Current.UsesLeft != 2 {
		t.Errorf("EmergencyHolder after issuing = %+v, %v; want the code's 2 uses", out, err)
	}
}
