package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"

	"selfservice/api"
)

// signInWithApp signs the demo user in on the screen with their
// authenticator app and returns the id of its token.
func (m *methods) signInWithApp() string {
	m.t.Helper()
	m.enterPassword("demo", "demo-password")
	s := m.secondFactorScreen()
	totp := s.challenge.Methods[0]
	if totp.Type != api.TypeTOTP {
		m.t.Fatalf("first method %+v; want the authenticator app", totp)
	}
	chooseMethodOf(m.t, s, totp.TokenID)
	test.Type(s.code, m.nextCode())
	test.Tap(s.submit)
	m.mainScreen()
	return totp.TokenID
}

// approvableRun runs work through the step-up wrapper, as a screen's
// action does, and returns the dialog it opens and where its result
// arrives.
func (m *methods) approvableRun(work func(ctx context.Context) error) (*stepUpDialog, chan error) {
	m.t.Helper()
	var d *stepUpDialog
	result := make(chan error, 1)
	main := m.ui.current.(*mainScreen)
	m.ui.run(main.ctx, nil, m.ui.approvable("Disabling it needs your confirmation.", func(opened *stepUpDialog) { d = opened }, work),
		func(err error) { result <- err })
	m.stepUpDialogOf(func() *stepUpDialog { return d })
	return d, result
}

// finished waits for the action's result.
func (m *methods) finished(result chan error) error {
	m.t.Helper()
	var err error
	done := false
	m.waitFor("the action to finish", func() bool {
		select {
		case err = <-result:
			done = true
		default:
		}
		return done
	})
	return err
}

func TestStepUpWithATextMessageCode(t *testing.T) {
	m := newMethods(t, Options{}, true, false)
	totpID := m.signInWithApp()

	d, result := m.approvableRun(func(ctx context.Context) error {
		_, err := m.session.DisableToken(ctx, totpID)
		return err
	})
	m.chooseMethod(d, m.sms.ID)
	if !d.panel.hasCode() {
		t.Fatal("no code was sent")
	}
	if got := d.panel.sent.sentTo.Text; !contains(got, smsMasked) {
		t.Errorf("sent text %q; want the masked number %s", got, smsMasked)
	}
	if !d.panel.sent.resend.Disabled() || !contains(d.panel.sent.resend.Text, "Send again in") {
		t.Errorf("Send again %q, disabled %v; want the cool-down", d.panel.sent.resend.Text, d.panel.sent.resend.Disabled())
	}

	codes := m.sentCodes(smsNumber, 2)
	test.Type(d.panel.sent.code, codes[len(codes)-1])
	test.Tap(d.confirm)
	if err := m.finished(result); err != nil {
		t.Fatalf("the action after the step-up: %v", err)
	}
	if !d.ended {
		t.Error("the step-up dialog is still open")
	}
	tok, err := m.session.Token(context.Background(), totpID)
	if err != nil || tok.Status != api.StatusDisabled {
		t.Errorf("token %+v, %v; want it disabled", tok, err)
	}
}

func TestStepUpWithPush(t *testing.T) {
	m := newMethods(t, Options{}, false, true)
	totpID := m.signInWithApp()

	d, result := m.approvableRun(func(ctx context.Context) error {
		_, err := m.session.DisableToken(ctx, totpID)
		return err
	})
	m.chooseMethod(d, m.push.ID)
	if !d.panel.waiting() || d.panel.waitText.Text != "Confirm on your phone that it's you." {
		t.Fatalf("waiting %v with %q; want the waiting state", d.panel.waiting(), d.panel.waitText.Text)
	}
	if !d.confirm.Disabled() || d.confirm.Text != "Waiting for your phone…" {
		t.Errorf("Confirm %q, disabled %v; want it waiting", d.confirm.Text, d.confirm.Disabled())
	}

	// Refused first: nothing happens until it is sent again and approved.
	m.answerPhone(api.PushDeny, d.panel)
	m.waitFor("the refusal", func() bool { return d.panel.pushOver() || d.ended })
	if d.ended || d.confirm.Disabled() || d.confirm.Text != "Send again" {
		t.Fatalf("after the refusal: ended %v, button %q; want the dialog open with Send again", d.ended, d.confirm.Text)
	}
	test.Tap(d.confirm)
	m.waitFor("the phone to be asked again", func() bool { return d.panel.waiting() || d.message.message() != "" })
	if req := m.answerPhone(api.PushApprove, d.panel); req.Kind != api.PushApproval {
		t.Errorf("the phone was asked %q; want %q", req.Kind, api.PushApproval)
	}
	if err := m.finished(result); err != nil {
		t.Fatalf("the action after the step-up: %v", err)
	}
	tok, err := m.session.Token(context.Background(), totpID)
	if err != nil || tok.Status != api.StatusDisabled {
		t.Errorf("token %+v, %v; want it disabled", tok, err)
	}
}
