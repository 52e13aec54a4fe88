package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2/test"

	"selfservice/api"
	"selfservice/app"
)

// The demo server asks for a step-up before a token is enrolled,
// disabled or deleted. These helpers confirm one with a code.
//
// Codes: the sign-in uses the demo token's current code, and the server
// refuses a code used before, so a step-up right after it uses the next
// one (the server accepts one step either side of now).

// stepUpCode is the demo token code for a step-up after the sign-in.
func stepUpCode(f *fixture, secret string) string {
	return code(f.t, secret, time.Now().Add(30*time.Second))
}

// stepUpDialogOf waits until get returns a step-up dialog whose chosen
// method is ready (or that shows why not).
func (f *fixture) stepUpDialogOf(get func() *stepUpDialog) *stepUpDialog {
	f.t.Helper()
	var d *stepUpDialog
	f.waitFor("the step-up dialog", func() bool {
		d = get()
		return d != nil && (d.prepared != "" || d.message.message() != "")
	})
	return d
}

// chooseMethod picks the method of tokenID in a step-up dialog and waits
// until it is ready.
func (f *fixture) chooseMethod(d *stepUpDialog, tokenID string) {
	f.t.Helper()
	if d.methods == nil {
		if d.step.Methods[0].TokenID != tokenID {
			f.t.Fatalf("the only method is %+v; want token %s", d.step.Methods[0], tokenID)
		}
		return
	}
	d.methods.selectID(tokenID)
	if d.chosen.Type == api.TypePush && d.prepared == "" {
		test.Tap(d.confirm) // Send request
	}
	f.waitFor("the chosen method", func() bool { return d.prepared == tokenID || d.message.message() != "" })
	if d.prepared != tokenID {
		f.t.Fatalf("preparing the method failed: %s", d.message.message())
	}
}

// confirmStepUp enters code in the step-up dialog that get returns and
// waits until it has closed.
func (f *fixture) confirmStepUp(get func() *stepUpDialog, code string) {
	f.t.Helper()
	d := f.stepUpDialogOf(get)
	test.Type(d.code, code)
	test.Tap(d.confirm)
	f.waitFor("the step-up to end", func() bool { return d.ended || d.codeErr.Visible() || d.message.message() != "" })
	if !d.ended {
		f.t.Fatalf("the step-up failed: %q %q", d.codeErr.Text, d.message.message())
	}
}

// withStepUp runs call on the session; when the server asks for a
// step-up, it confirms it with the code of the signed-in user's
// authenticator app token whose secret is given, and runs call again
// with the approval.
func (f *fixture) withStepUp(secret string, call func(ctx context.Context) error) error {
	f.t.Helper()
	return f.withStepUpOn(f.session, secret, call)
}

// withStepUpOn is withStepUp on the session s.
func (f *fixture) withStepUpOn(s *app.Session, secret string, call func(ctx context.Context) error) error {
	f.t.Helper()
	ctx := context.Background()
	err := call(ctx)
	step, ok := api.ApprovalRequired(err)
	if !ok {
		return err
	}
	var tokenID string
	for _, m := range step.Methods {
		if m.Type == api.TypeTOTP && tokenID == "" {
			tokenID = m.TokenID
		}
	}
	if _, err := s.PrepareStepUp(ctx, step.ApprovalID, tokenID); err != nil {
		return err
	}
	if _, err := s.VerifyStepUp(ctx, step.ApprovalID, tokenID, stepUpCode(f, secret)); err != nil {
		return err
	}
	return call(api.WithApproval(ctx, step.ApprovalID))
}
