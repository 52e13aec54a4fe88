package ui

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"selfservice/api"
	"selfservice/app"
)

// addSpare gives the signed-in demo user a second, ACTIVE authenticator
// app token through the session (confirming the step-up with the demo
// token's next code), shows it in the list and returns it with its
// secret. Its current code is used.
func addSpare(t *testing.T, f *fixture, s *tokensScreen) (api.Token, string) {
	t.Helper()
	ctx := context.Background()
	var created api.CreateTokenResponse
	err := f.withStepUp(f.demoUser("demo").TOTPSecret, func(ctx context.Context) error {
		var err error
		created, err = f.session.EnrollToken(ctx, "totp-app", "Spare")
		return err
	})
	if err != nil {
		t.Fatalf("enroll a spare token: %v", err)
	}
	secret := created.Provisioning.Secret
	tok, err := f.session.ActivateToken(ctx, created.Token.ID, code(t, secret, time.Now()))
	if err != nil {
		t.Fatalf("activate the spare token: %v", err)
	}
	s.load()
	f.waitFor("the list with the spare token", func() bool { return len(s.tokens) == 2 && !s.progress.Visible() })
	return tok, secret
}

// hasToken reports whether the server still lists the token id.
func hasToken(t *testing.T, f *fixture, id string) bool {
	t.Helper()
	return tokenStatus(t, f, id) != ""
}

// tokenStatus is the status the server lists the token id with, "" when
// it no longer lists it.
func tokenStatus(t *testing.T, f *fixture, id string) api.TokenStatus {
	t.Helper()
	tokens, err := f.session.Tokens(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range tokens {
		if tok.ID == id {
			return tok.Status
		}
	}
	return ""
}

// startDelete taps Delete on the row of tok, confirms, and returns the
// confirmation dialog and the step-up dialog that opens, with tok's
// method chosen.
func startDelete(t *testing.T, f *fixture, s *tokensScreen, tok api.Token) (*formDialog, *stepUpDialog) {
	t.Helper()
	tapAction(t, s.rows[tok.ID], api.ActionDelete)
	d := s.dialog
	test.Tap(d.confirm)
	step := f.stepUpDialogOf(func() *stepUpDialog { return s.stepUp })
	if len(step.step.Methods) != 2 {
		t.Errorf("the step-up offers %d methods; want the 2 active tokens", len(step.step.Methods))
	}
	f.chooseMethod(step, tok.ID)
	return d, step
}

func TestStepUpWithCodeDeletesTheTokenOnce(t *testing.T) {
	f := newFixture(t, Options{})
	s := f.signIn("demo").tokens
	spare, secret := addSpare(t, f, s)

	d, step := startDelete(t, f, s, spare)
	if !contains(step.intro.Text, "Deleting “Spare”") {
		t.Errorf("step-up intro %q; want it to name the action", step.intro.Text)
	}
	if step.timeLeft.String() == "" || step.bar.left <= 0 {
		t.Errorf("countdown %q at %v; want the time left shown", step.timeLeft.String(), step.bar.left)
	}
	test.Type(step.code, stepUpCode(f, secret))
	test.Tap(step.confirm)
	f.waitFor("the deleted token", func() bool { return s.dialog == nil && len(s.tokens) == 1 && !s.progress.Visible() })

	if !step.ended {
		t.Error("the step-up dialog is still open")
	}
	if step.code.Text != "" {
		t.Errorf("the closed step-up dialog keeps the code %q; want it forgotten", step.code.Text)
	}
	if got, want := s.notice.message(), "“Spare” is deleted"; !contains(got, want) {
		t.Errorf("notice %q; want it to contain %q", got, want)
	}
	if d.message.message() != "" {
		t.Errorf("the delete dialog shows %q; want no message", d.message.message())
	}
	if hasToken(t, f, spare.ID) {
		t.Error("the server still has the deleted token")
	}
}

func TestStepUpWrongCodeIsShownAtTheField(t *testing.T) {
	f := newFixture(t, Options{})
	s := f.signIn("demo").tokens
	spare, secret := addSpare(t, f, s)

	_, step := startDelete(t, f, s, spare)
	test.Type(step.code, wrongCode(t, secret))
	test.Tap(step.confirm)
	f.waitFor("the code error", func() bool { return step.codeErr.Visible() })

	if got, want := step.codeErr.Text, "code is not correct"; !contains(got, want) {
		t.Errorf("code error %q; want it to contain %q", got, want)
	}
	if step.ended || step.code.Text != "" || step.confirm.Disabled() {
		t.Errorf("after a wrong code: ended %v, code %q, confirm disabled %v; want the dialog open, the code cleared and Confirm ready",
			step.ended, step.code.Text, step.confirm.Disabled())
	}
	if !hasToken(t, f, spare.ID) {
		t.Error("a wrong code deleted the token")
	}
}

func TestStepUpCancelChangesNothingAndSaysSo(t *testing.T) {
	f := newFixture(t, Options{})
	s := f.signIn("demo").tokens
	spare, _ := addSpare(t, f, s)

	d, step := startDelete(t, f, s, spare)
	test.Tap(step.dismiss)
	f.waitFor("the delete dialog's message", func() bool { return d.message.message() != "" })

	if got, want := d.message.message(), "nothing was changed"; !contains(got, want) {
		t.Errorf("message %q; want it to contain %q", got, want)
	}
	if !hasToken(t, f, spare.ID) {
		t.Error("cancelling the step-up deleted the token")
	}
}

func TestStepUpExpiresWithItsCountdown(t *testing.T) {
	f := newServerFixture(t)
	var clock time.Time // the UI's clock; zero is the real time
	f.now = func() time.Time {
		if clock.IsZero() {
			return time.Now()
		}
		return clock
	}
	f.start(Options{})
	s := f.signIn("demo").tokens
	spare, secret := addSpare(t, f, s)

	tapAction(t, s.rows[spare.ID], api.ActionDisable)
	step := f.stepUpDialogOf(func() *stepUpDialog { return s.stepUp })
	clock = step.step.ExpiresAt.Add(time.Second)
	step.tick()

	if got, want := step.message.message(), "run out"; !contains(got, want) {
		t.Errorf("message %q; want it to contain %q", got, want)
	}
	if step.confirm.Visible() || step.dismiss.Text != "Close" {
		t.Errorf("after expiry: Confirm shown %v, dismiss %q; want only Close", step.confirm.Visible(), step.dismiss.Text)
	}
	test.Type(step.code, stepUpCode(f, secret))
	if step.code.Text != "" {
		t.Error("the code can still be typed after expiry")
	}
	test.Tap(step.dismiss)
	f.waitFor("the notice", func() bool { return s.notice.message() != "" })
	if got, want := s.notice.message(), "nothing was changed"; !contains(got, want) {
		t.Errorf("notice %q; want it to contain %q", got, want)
	}
	tokens, err := f.session.Tokens(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range tokens {
		if tok.Status != api.StatusActive {
			t.Errorf("token %s is %s after an expired step-up; want ACTIVE", tok.Description, tok.Status)
		}
	}
}

func TestStepUpWithSecurityKey(t *testing.T) {
	key := withPIN(t, newVirtualKey(t, nil))
	f := newFixture(t, keysOptions(key))
	s := f.signIn("demo").tokens
	demoToken := s.tokens[0]

	// The key, enrolled through the session.
	var e *app.KeyEnrollment
	err := f.withStepUp(f.demoUser("demo").TOTPSecret, func(ctx context.Context) error {
		var err error
		e, err = f.session.EnrollKey(ctx, templateKey, "Desk key")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	keyToken, err := f.session.RegisterKey(context.Background(), e, key, keyPIN, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.load()
	f.waitFor("the list with the key", func() bool { return len(s.tokens) == 2 && !s.progress.Visible() })

	// Delete the authenticator app, confirming with the key.
	tapAction(t, s.rows[demoToken.ID], api.ActionDelete)
	test.Tap(s.dialog.confirm)
	step := f.stepUpDialogOf(func() *stepUpDialog { return s.stepUp })
	f.chooseMethod(step, keyToken.ID)
	if got, want := step.confirm.Text, "Use security key"; got != want {
		t.Errorf("confirm button %q; want %q", got, want)
	}
	test.Tap(step.confirm)
	p := step.prompt
	if p == nil {
		t.Fatal("no security key prompt")
	}
	f.waitPrompt(p, promptPIN, "the PIN request")
	test.Type(p.pinEntry, keyPIN)
	test.Tap(p.action)
	f.waitFor("the deleted token", func() bool { return s.dialog == nil && len(s.tokens) == 1 && !s.progress.Visible() })

	if s.tokens[0].ID != keyToken.ID {
		t.Errorf("remaining token %+v; want the key", s.tokens[0])
	}
	if hasToken(t, f, demoToken.ID) {
		t.Error("the server still has the deleted token")
	}
}

func TestEnrollmentNeedingApproversIsSentForApproval(t *testing.T) {
	f := newFixture(t, Options{})
	s := f.signIn("demo").tokens

	w := f.appWizard(s, hotpTemplate)
	test.Type(w.name, "Desk token")
	test.Tap(w.next)
	f.waitFor("the wizard to close", func() bool { return s.wizard == nil })

	if got, want := s.notice.message(), "Sent for approval — see My requests"; !contains(got, want) {
		t.Errorf("notice %q; want it to contain %q", got, want)
	}
	if w.stepUp != nil {
		t.Error("a step-up was asked for an enrollment that goes to approvers")
	}
	mine, err := f.session.Requests(context.Background(), api.FilterPending)
	if err != nil {
		t.Fatal(err)
	}
	if len(mine) != 1 || mine[0].Parameters["description"] != "Desk token" || mine[0].Status != api.RequestInApproval {
		t.Errorf("my requests %+v; want one IN_APPROVAL for Desk token", mine)
	}
	if len(s.tokens) != 1 {
		t.Errorf("tokens listed %d; want the demo token only", len(s.tokens))
	}
}

func TestFinishApprovedEnrollmentOpensThePresetWizard(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("demo")
	s := m.tokens
	req := f.requestHOTP(f.session, "Desk token")
	helpdesk := f.apiSession("helpdesk")
	approved, err := helpdesk.ApproveRequest(context.Background(), req.ID, "Checked by phone.")
	if err != nil || !approved.AwaitsRequester() {
		t.Fatalf("approve = %+v, %v; want it approved, waiting for the requester", approved, err)
	}

	f.ui.finishApprovedEnrollment(approved)
	f.waitFor("the wizard's QR step", func() bool {
		return s.wizard != nil && (s.wizard.step == stepScan || s.wizard.message.message() != "")
	})
	w := s.wizard
	if w.step != stepScan {
		t.Fatalf("finishing the enrollment failed: %s", w.message.message())
	}
	if w.stepUp != nil {
		t.Error("finishing an approved enrollment asked for a step-up")
	}
	if got := w.created.Token; got.TemplateID != hotpTemplate || got.Description != "Desk token" {
		t.Errorf("created token %+v; want Desk token on %s", got, hotpTemplate)
	}
	if !w.name.Disabled() {
		t.Error("the approved name can still be changed")
	}
	mine, err := f.session.Request(context.Background(), req.ID)
	if err != nil || mine.ExecutedAt == nil {
		t.Errorf("request after finishing = %+v, %v; want it executed", mine, err)
	}
}
