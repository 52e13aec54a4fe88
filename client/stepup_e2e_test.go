package client_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"selfservice/api"
	"selfservice/server"
)

// Step-up (self-approval) end to end: the client, the real server over
// HTTP, and its SQLite database.

func TestStepUpWithTOTPDeletesOnce(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	demo := b.signedIn(t, b.demo)
	second, _ := b.addTOTP(t, demo.c)
	b.setPolicy(t, server.ApprovalPolicy{Operation: api.OpTokenDelete, Mode: api.ModeSelf})

	err := demo.c.DeleteToken(ctx, second)
	step, ok := api.ApprovalRequired(err)
	if !ok {
		t.Fatalf("DeleteToken without approval: error = %v; want approval_required", err)
	}
	wantCode(t, err, api.CodeApprovalRequired)
	if len(step.Methods) != 2 || !slices.ContainsFunc(step.Methods, func(m api.LoginMethod) bool { return m.TokenID == demo.tokenID && m.Type == api.TypeTOTP }) {
		t.Errorf("methods = %+v; want the two ACTIVE TOTP tokens", step.Methods)
	}
	if want := b.clock.Now().Add(5 * time.Minute); !step.ExpiresAt.Equal(want) {
		t.Errorf("expires at %v; want %v (5 minutes)", step.ExpiresAt, want)
	}
	if got := tokenStatus(t, demo, second); got != api.StatusActive {
		t.Fatalf("token after the refused delete is %q; want it ACTIVE", got)
	}

	a, err := demo.c.Approval(ctx, step.ApprovalID)
	if err != nil || a.Status != api.ApprovalOpen || a.Operation != api.OpTokenDelete || a.Target != second {
		t.Fatalf("Approval = %+v, %v; want an OPEN token.delete of %s", a, err, second)
	}
	b.clock.NextStep()
	_, err = demo.c.VerifyApproval(ctx, step.ApprovalID, api.VerifyApprovalRequest{TokenID: demo.tokenID, OTP: b.wrongCode(t, demo.secret)})
	wantCode(t, err, api.CodeOTPInvalid)

	err = demo.c.DeleteToken(ctx, second)
	id := b.stepUp(t, demo, err)
	if id == step.ApprovalID {
		t.Error("a new attempt got the same approval id; want a new approval each time")
	}
	if err := demo.c.DeleteToken(api.WithApproval(ctx, id), second); err != nil {
		t.Fatalf("DeleteToken with the approval: %v", err)
	}
	if got := tokenStatus(t, demo, second); got != "" {
		t.Errorf("token after the approved delete is %q; want it gone", got)
	}
	if a, err := demo.c.Approval(ctx, id); err != nil || a.Status != api.ApprovalUsed {
		t.Errorf("Approval after use = %+v, %v; want USED", a, err)
	}
	// The rules come first: nobody is asked to confirm what cannot run.
	wantCode(t, demo.c.DeleteToken(ctx, demo.tokenID), api.CodeLastActiveToken)
}

func TestStepUpWithSecurityKey(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	demo := b.signedIn(t, b.demo)
	key := newSecurityKey(t)
	keyTok := enrollKey(t, demo.c, templateKey, key)
	b.setPolicy(t, server.ApprovalPolicy{Operation: api.OpTokenDisable, Mode: api.ModeSelf})

	_, err := demo.c.DisableToken(ctx, demo.tokenID)
	step, ok := api.ApprovalRequired(err)
	if !ok {
		t.Fatalf("DisableToken: error = %v; want approval_required", err)
	}
	ch, err := demo.c.ApprovalChallenge(ctx, step.ApprovalID, api.ApprovalChallengeRequest{TokenID: keyTok.ID})
	if err != nil || ch.Proof != api.ProofWebAuthn || ch.WebAuthn == nil {
		t.Fatalf("ApprovalChallenge for the key = %+v, %v; want proof webauthn with options", ch, err)
	}
	if got := credentialIDs(t, *ch.WebAuthn, "allowCredentials"); !slices.Equal(got, []string{keyTok.Credential.ID}) {
		t.Errorf("allowCredentials = %v; want only the key's credential", got)
	}

	// A code is the wrong proof for a key, and a tampered answer fails.
	_, err = demo.c.VerifyApproval(ctx, step.ApprovalID, api.VerifyApprovalRequest{TokenID: keyTok.ID, OTP: "123456"})
	if fields := wantCode(t, err, api.CodeInvalidRequest).FieldErrors(); fields["webauthn"] == "" {
		t.Errorf("field errors = %v; want one for webauthn", fields)
	}
	_, err = demo.c.VerifyApproval(ctx, step.ApprovalID, api.VerifyApprovalRequest{TokenID: keyTok.ID, WebAuthn: tamperSignature(t, key.sign(t, *ch.WebAuthn, ""))})
	wantCode(t, err, api.CodeWebAuthnInvalid)
	// The challenge is used up by an answer, right or wrong.
	_, err = demo.c.VerifyApproval(ctx, step.ApprovalID, api.VerifyApprovalRequest{TokenID: keyTok.ID, WebAuthn: key.sign(t, *ch.WebAuthn, "")})
	wantCode(t, err, api.CodeChallengeExpired)

	ch, err = demo.c.ApprovalChallenge(ctx, step.ApprovalID, api.ApprovalChallengeRequest{TokenID: keyTok.ID})
	if err != nil {
		t.Fatal(err)
	}
	a, err := demo.c.VerifyApproval(ctx, step.ApprovalID, api.VerifyApprovalRequest{TokenID: keyTok.ID, WebAuthn: key.sign(t, *ch.WebAuthn, "")})
	if err != nil || a.Status != api.ApprovalVerified {
		t.Fatalf("VerifyApproval with the key = %+v, %v; want VERIFIED", a, err)
	}
	tok, err := demo.c.DisableToken(api.WithApproval(ctx, step.ApprovalID), demo.tokenID)
	if err != nil || tok.Status != api.StatusDisabled {
		t.Fatalf("DisableToken with the approval = %+v, %v; want DISABLED", tok, err)
	}
}

// TestRefusedApprovals: an approval carries only the one action it was
// confirmed for, once, in time, for its own user; every other use is
// refused and changes nothing.
func TestRefusedApprovals(t *testing.T) {
	ctx := context.Background()
	type fixture struct {
		b          *backend
		demo       person
		a, other   string // two ACTIVE tokens of demo besides demo.tokenID
		approvalOf func(err error) string
	}
	setup := func(t *testing.T) fixture {
		b := newBackend(t)
		demo := b.signedIn(t, b.demo)
		a, _ := b.addTOTP(t, demo.c)
		other, _ := b.addTOTP(t, demo.c)
		for _, op := range api.Operations {
			b.setPolicy(t, server.ApprovalPolicy{Operation: op, Mode: api.ModeSelf})
		}
		return fixture{b: b, demo: demo, a: a, other: other, approvalOf: func(err error) string { return b.stepUp(t, demo, err) }}
	}
	disable := func(f fixture, approval, id string) error {
		_, err := f.demo.c.DisableToken(api.WithApproval(ctx, approval), id)
		return err
	}
	tests := []struct {
		name string
		use  func(t *testing.T, f fixture) error
		want string
	}{
		{"used twice", func(t *testing.T, f fixture) error {
			_, err := f.demo.c.DisableToken(ctx, f.a)
			id := f.approvalOf(err)
			if err := disable(f, id, f.a); err != nil {
				t.Fatalf("first use: %v", err)
			}
			if _, err := f.demo.c.EnableToken(ctx, f.a); err != nil {
				t.Fatal(err)
			}
			return disable(f, id, f.a)
		}, api.CodeApprovalUsed},
		{"expired", func(t *testing.T, f fixture) error {
			_, err := f.demo.c.DisableToken(ctx, f.a)
			id := f.approvalOf(err)
			f.b.clock.Advance(5 * time.Minute)
			return disable(f, id, f.a)
		}, api.CodeApprovalExpired},
		{"verified after it expired", func(t *testing.T, f fixture) error {
			_, err := f.demo.c.DisableToken(ctx, f.a)
			step, _ := api.ApprovalRequired(err)
			f.b.clock.Advance(6 * time.Minute)
			_, err = f.demo.c.VerifyApproval(ctx, step.ApprovalID, api.VerifyApprovalRequest{TokenID: f.demo.tokenID, OTP: f.b.code(t, f.demo.secret)})
			return err
		}, api.CodeApprovalExpired},
		{"not confirmed", func(t *testing.T, f fixture) error {
			_, err := f.demo.c.DisableToken(ctx, f.a)
			step, _ := api.ApprovalRequired(err)
			return disable(f, step.ApprovalID, f.a)
		}, api.CodeApprovalInvalid},
		{"unknown", func(t *testing.T, f fixture) error {
			return disable(f, "no-such-approval", f.a)
		}, api.CodeApprovalInvalid},
		{"another user's", func(t *testing.T, f fixture) error {
			erin := f.b.newEmployee(t, "erin")
			_, err := erin.c.CreateToken(ctx, api.CreateTokenRequest{TemplateID: templateKey})
			id := f.b.stepUp(t, erin, err)
			if _, err := f.demo.c.Approval(ctx, id); !errors.Is(err, api.ErrNotFound) {
				t.Errorf("Approval of another user's approval = %v; want not_found", err)
			}
			return disable(f, id, f.a)
		}, api.CodeApprovalInvalid},
		{"another operation", func(t *testing.T, f fixture) error {
			_, err := f.demo.c.DisableToken(ctx, f.a)
			id := f.approvalOf(err)
			return f.demo.c.DeleteToken(api.WithApproval(ctx, id), f.a)
		}, api.CodeApprovalInvalid},
		{"another target", func(t *testing.T, f fixture) error {
			_, err := f.demo.c.DisableToken(ctx, f.a)
			id := f.approvalOf(err)
			return disable(f, id, f.other)
		}, api.CodeApprovalInvalid},
		{"other parameters", func(t *testing.T, f fixture) error {
			_, err := f.demo.c.CreateToken(ctx, api.CreateTokenRequest{TemplateID: templateKey, Description: "Blue key"})
			id := f.approvalOf(err)
			_, err = f.demo.c.CreateToken(api.WithApproval(ctx, id), api.CreateTokenRequest{TemplateID: templateKey, Description: "Red key"})
			return err
		}, api.CodeApprovalInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := setup(t)
			before, err := f.demo.c.Tokens(ctx)
			if err != nil {
				t.Fatal(err)
			}
			wantCode(t, tt.use(t, f), tt.want)
			after, err := f.demo.c.Tokens(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if tt.name != "used twice" && !sameTokens(before, after) {
				t.Errorf("tokens changed: %+v, were %+v; want a refused approval to change nothing", after, before)
			}
		})
	}
}

// sameTokens compares tokens by id and status.
func sameTokens(a, b []api.Token) bool {
	return slices.EqualFunc(a, b, func(x, y api.Token) bool { return x.ID == y.ID && x.Status == y.Status })
}

func TestStepUpFailuresLockTheTokenAndUseUpTheApproval(t *testing.T) {
	b := newBackend(t) // MaxFailures 3, lockout 5 minutes
	ctx := context.Background()
	demo := b.signedIn(t, b.demo)
	second, secondSecret := b.addTOTP(t, demo.c)
	b.setPolicy(t, server.ApprovalPolicy{Operation: api.OpTokenDisable, Mode: api.ModeSelf})
	askApproval := func() string {
		_, err := demo.c.DisableToken(ctx, second)
		step, ok := api.ApprovalRequired(err)
		if !ok {
			t.Fatalf("DisableToken: error = %v; want approval_required", err)
		}
		return step.ApprovalID
	}

	// Wrong codes lock the token, as at sign-in, and use the approval up.
	id := askApproval()
	wrong := api.VerifyApprovalRequest{TokenID: demo.tokenID, OTP: b.wrongCode(t, demo.secret)}
	for range 2 {
		_, err := demo.c.VerifyApproval(ctx, id, wrong)
		wantCode(t, err, api.CodeOTPInvalid)
	}
	_, err := demo.c.VerifyApproval(ctx, id, wrong)
	if e := wantCode(t, err, api.CodeTooManyAttempts); e.RetryAfter != 5*time.Minute {
		t.Errorf("retry after %s; want 5m0s", e.RetryAfter)
	}
	_, err = demo.c.ApprovalChallenge(ctx, askApproval(), api.ApprovalChallengeRequest{TokenID: demo.tokenID})
	wantCode(t, err, api.CodeTooManyAttempts) // the token stays locked for a new approval
	_, err = demo.c.VerifyApproval(ctx, id, api.VerifyApprovalRequest{TokenID: second, OTP: b.code(t, secondSecret)})
	wantCode(t, err, api.CodeApprovalExpired)
	if a, err := demo.c.Approval(ctx, id); err != nil || a.Status != api.ApprovalFailed {
		t.Errorf("Approval = %+v, %v; want FAILED", a, err)
	}

	// Failures with different tokens add up on the approval, though no
	// token locks.
	b.clock.Advance(5 * time.Minute)
	id = askApproval()
	for _, req := range []api.VerifyApprovalRequest{
		{TokenID: second, OTP: b.wrongCode(t, secondSecret)},
		{TokenID: second, OTP: b.wrongCode(t, secondSecret)},
		{TokenID: demo.tokenID, OTP: b.wrongCode(t, demo.secret)},
	} {
		_, err := demo.c.VerifyApproval(ctx, id, req)
		wantCode(t, err, api.CodeOTPInvalid)
	}
	b.clock.NextStep()
	_, err = demo.c.VerifyApproval(ctx, id, api.VerifyApprovalRequest{TokenID: second, OTP: b.code(t, secondSecret)})
	wantCode(t, err, api.CodeApprovalExpired)

	// A fresh approval still works with either token.
	id = b.stepUp(t, demo, err2(demo.c.DisableToken(ctx, second)))
	if tok, err := demo.c.DisableToken(api.WithApproval(ctx, id), second); err != nil || tok.Status != api.StatusDisabled {
		t.Errorf("DisableToken after a fresh step-up = %+v, %v; want DISABLED", tok, err)
	}
}

func TestEmergencyCodeNeedsOneIssued(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	demo := b.signedIn(t, b.demo)
	second, _ := b.addTOTP(t, demo.c)
	b.setPolicy(t, server.ApprovalPolicy{Operation: api.OpTokenDelete, Mode: api.ModeSelf})
	step, ok := api.ApprovalRequired(demo.c.DeleteToken(ctx, second))
	if !ok {
		t.Fatal("DeleteToken did not ask for approval")
	}
	_, err := demo.c.VerifyApproval(ctx, step.ApprovalID, api.VerifyApprovalRequest{TokenID: api.EmergencyTokenID, EmergencyCode: "ABCDEFGHJKLMNPQR"})
	if apiErr := wantCode(t, err, api.CodeInvalidRequest); apiErr.FieldErrors()["token_id"] == "" {
		t.Errorf("fields = %v; want token_id: the user has no emergency access code", apiErr.FieldErrors())
	}
}

func TestNoApprovalNeeded(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	if err := server.SeedDemoApprovals(ctx, b.store); err != nil {
		t.Fatal(err)
	}
	// A first token is enrolled without approval: there is nothing yet to confirm with.
	newbie := b.newEmployee(t, "newbie")
	// An unfinished enrollment is deleted without approval.
	_, err := newbie.c.CreateToken(ctx, api.CreateTokenRequest{TemplateID: "totp-app"})
	id := b.stepUp(t, newbie, err)
	created, err := newbie.c.CreateToken(api.WithApproval(ctx, id), api.CreateTokenRequest{TemplateID: "totp-app"})
	if err != nil {
		t.Fatalf("CreateToken with the approval: %v", err)
	}
	if err := newbie.c.DeleteToken(ctx, created.Token.ID); err != nil {
		t.Errorf("DeleteToken of a PENDING token: %v; want it deleted without approval", err)
	}
	// With mode none, an approval header is ignored.
	b.setPolicy(t, server.ApprovalPolicy{Operation: api.OpTokenEnroll, Mode: api.ModeNone})
	b.setPolicy(t, server.ApprovalPolicy{Operation: api.OpTokenDisable, Mode: api.ModeNone})
	second, _ := b.addTOTP(t, newbie.c)
	if tok, err := newbie.c.DisableToken(api.WithApproval(ctx, "ignored"), second); err != nil || tok.Status != api.StatusDisabled {
		t.Errorf("DisableToken with mode none = %+v, %v; want DISABLED", tok, err)
	}
}

// err2 returns the error of a call that returns a value too, so that it
// can be handed to stepUp.
func err2[T any](_ T, err error) error { return err }
