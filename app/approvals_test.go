package app_test

import (
	"context"
	"errors"
	"testing"

	"github.com/pquerna/otp/totp"

	"selfservice/api"
	"selfservice/app"
	"selfservice/hw"
	"selfservice/server"
)

// The step-up helpers against the real server with the demo's approval
// policies: enrolling, disabling and deleting a token need a step-up.

// seedApprovals turns the demo's approval policies on.
func seedApprovals(t *testing.T, b *backend) {
	t.Helper()
	if err := server.SeedDemoApprovals(context.Background(), b.store); err != nil {
		t.Fatal(err)
	}
}

// stepUp returns the step-up an approvable call asked for.
func stepUp(t *testing.T, err error) *api.StepUp {
	t.Helper()
	step, ok := api.ApprovalRequired(err)
	if !ok {
		t.Fatalf("error = %v; want approval_required", err)
	}
	return step
}

// methodOf returns the step-up's method of type typ.
func methodOf(t *testing.T, step *api.StepUp, typ api.TokenType) api.LoginMethod {
	t.Helper()
	for _, m := range step.Methods {
		if m.Type == typ {
			return m
		}
	}
	t.Fatalf("methods = %+v; want one of type %s", step.Methods, typ)
	return api.LoginMethod{}
}

// spaced writes a code as people type it: "123 456".
func spaced(code string) string { return code[:3] + " " + code[3:] }

func TestStepUpWithCodeCompletesTheActionOnce(t *testing.T) {
	b := newBackend(t)
	seedApprovals(t, b)
	ctx := context.Background()
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	b.signIn(t, s)

	// Enrolling asks for a step-up; the repeated call with the approval
	// enrolls.
	_, err := s.EnrollToken(ctx, "totp-app", "Spare phone")
	step := stepUp(t, err)
	demoToken := methodOf(t, step, api.TypeTOTP)
	ch, err := s.PrepareStepUp(ctx, step.ApprovalID, demoToken.TokenID)
	if err != nil || ch.Proof != api.ProofOTP {
		t.Fatalf("PrepareStepUp = %+v, %v; want proof %q", ch, err, api.ProofOTP)
	}
	approval, err := s.VerifyStepUp(ctx, step.ApprovalID, demoToken.TokenID, spaced(b.code(t, b.demo.TOTPSecret)))
	if err != nil || approval.Status != api.ApprovalVerified || approval.Operation != api.OpTokenEnroll {
		t.Fatalf("VerifyStepUp = %+v, %v; want a VERIFIED token.enroll approval", approval, err)
	}
	created, err := s.EnrollToken(api.WithApproval(ctx, step.ApprovalID), "totp-app", "Spare phone")
	if err != nil {
		t.Fatalf("EnrollToken with the approval: %v", err)
	}
	secret := created.Provisioning.Secret
	if _, err := s.ActivateToken(ctx, created.Token.ID, b.code(t, secret)); err != nil {
		t.Fatalf("ActivateToken: %v", err)
	}

	// Deleting it: a wrong code does not confirm, the right one does, and
	// the approval deletes once.
	err = s.DeleteToken(ctx, created.Token.ID)
	step = stepUp(t, err)
	demoToken = methodOf(t, step, api.TypeTOTP)
	if _, err := s.PrepareStepUp(ctx, step.ApprovalID, demoToken.TokenID); err != nil {
		t.Fatalf("PrepareStepUp: %v", err)
	}
	good := b.code(t, b.demo.TOTPSecret)
	bad := "000000"
	if bad == good {
		bad = "111111"
	}
	if _, err := s.VerifyStepUp(ctx, step.ApprovalID, demoToken.TokenID, bad); !errors.Is(err, api.ErrOTPInvalid) {
		t.Fatalf("VerifyStepUp with a wrong code = %v; want %v", err, api.ErrOTPInvalid)
	}
	if err := s.DeleteToken(api.WithApproval(ctx, step.ApprovalID), created.Token.ID); !errors.Is(err, api.ErrApprovalInvalid) {
		t.Fatalf("DeleteToken with an unconfirmed approval = %v; want %v", err, api.ErrApprovalInvalid)
	}
	if _, err := s.VerifyStepUp(ctx, step.ApprovalID, demoToken.TokenID, good); err != nil {
		t.Fatalf("VerifyStepUp: %v", err)
	}
	withApproval := api.WithApproval(ctx, step.ApprovalID)
	if err := s.DeleteToken(withApproval, created.Token.ID); err != nil {
		t.Fatalf("DeleteToken with the approval: %v", err)
	}
	if _, err := s.ActivateToken(ctx, created.Token.ID, b.code(t, secret)); !errors.Is(err, api.ErrNotFound) {
		t.Errorf("the deleted token answers %v; want %v", err, api.ErrNotFound)
	}
	if err := s.DeleteToken(withApproval, created.Token.ID); err == nil {
		t.Error("DeleteToken again with the used approval succeeded; want an error")
	}
}

func TestStepUpHelpersCheckTheirInputFirst(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	b.signIn(t, s)

	tests := []struct {
		name      string
		call      func() error
		wantField string
	}{
		{"prepare without a token", func() error { _, err := s.PrepareStepUp(ctx, "a1", ""); return err }, "token_id"},
		{"prepare without an approval", func() error { _, err := s.PrepareStepUp(ctx, "", "t1"); return err }, "approval_id"},
		{"verify without a code", func() error { _, err := s.VerifyStepUp(ctx, "a1", "t1", " "); return err }, "otp"},
		{"verify with letters", func() error { _, err := s.VerifyStepUp(ctx, "a1", "t1", "12a456"); return err }, "otp"},
		{"verify with a short code", func() error { _, err := s.VerifyStepUp(ctx, "a1", "t1", "123-45"); return err }, "otp"},
		{"verify without a token", func() error { _, err := s.VerifyStepUp(ctx, "a1", "", "123456"); return err }, "token_id"},
		{"verify without an approval", func() error { _, err := s.VerifyStepUp(ctx, "", "t1", "123456"); return err }, "approval_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := b.requests.Load()
			err := tt.call()
			if got := fieldErrors(err)[tt.wantField]; got == "" {
				t.Errorf("error = %v; want a message for field %s", err, tt.wantField)
			}
			if got := b.requests.Load(); got != before {
				t.Errorf("server requests = %d; want none", got-before)
			}
		})
	}
}

func TestStepUpWithSecurityKey(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	key := newKey(t, nil)
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	keyToken := enrollKey(t, b, s, templateKey, key)
	seedApprovals(t, b)

	// Disable the authenticator app, confirming with the key.
	tokens, err := s.Tokens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var appToken api.Token
	for _, tok := range tokens {
		if tok.Type == api.TypeTOTP {
			appToken = tok
		}
	}
	_, err = s.DisableToken(ctx, appToken.ID)
	step := stepUp(t, err)
	methodOf(t, step, api.TypeFIDO2)
	ch, err := s.PrepareStepUp(ctx, step.ApprovalID, keyToken.ID)
	if err != nil || ch.Proof != api.ProofWebAuthn || ch.WebAuthn == nil {
		t.Fatalf("PrepareStepUp = %+v, %v; want security key options", ch, err)
	}
	if _, err := s.VerifyStepUpWithKey(ctx, step.ApprovalID, keyToken.ID, key, "", nil); !errors.Is(err, hw.ErrPINRequired) {
		t.Fatalf("VerifyStepUpWithKey without the PIN = %v; want %v", err, hw.ErrPINRequired)
	}
	approval, err := s.VerifyStepUpWithKey(ctx, step.ApprovalID, keyToken.ID, key, keyPIN, nil)
	if err != nil || approval.Status != api.ApprovalVerified {
		t.Fatalf("VerifyStepUpWithKey = %+v, %v; want VERIFIED", approval, err)
	}
	tok, err := s.DisableToken(api.WithApproval(ctx, step.ApprovalID), appToken.ID)
	if err != nil || tok.Status != api.StatusDisabled {
		t.Fatalf("DisableToken with the approval = %+v, %v; want DISABLED", tok, err)
	}

	// A code token cannot answer with a key.
	_, err = s.EnrollToken(ctx, "totp-app", "")
	step = stepUp(t, err)
	code, err := totp.GenerateCode(b.demo.TOTPSecret, b.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifyStepUp(ctx, step.ApprovalID, appToken.ID, code); err == nil {
		t.Error("VerifyStepUp with a disabled token succeeded; want an error")
	}
}

// The session knows from sign-in what each approvable operation needs,
// so that the app says so before the user submits.
func TestApprovalNeedFollowsThePolicies(t *testing.T) {
	b := newBackend(t)
	seedApprovals(t, b)
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	b.signIn(t, s)
	if n := s.ApprovalNeed(api.OpPasswordUpdate, ""); n.Mode != api.ModeSelf {
		t.Errorf("password need = %+v, want a step-up", n)
	}
	if n := s.ApprovalNeed(api.OpTokenEnroll, "hotp-app"); n.Mode != api.ModeApprovers || n.Required != 1 {
		t.Errorf("HOTP enroll need = %+v, want 1 approver", n)
	}
	if n := s.ApprovalNeed(api.OpTokenEnroll, "totp-app"); n.Mode != api.ModeSelf {
		t.Errorf("TOTP enroll need = %+v, want the operation's step-up", n)
	}
	if err := s.Logout(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := s.ApprovalNeed(api.OpPasswordUpdate, ""); n.Mode != api.ModeNone {
		t.Errorf("need when signed out = %+v, want none", n)
	}
}
