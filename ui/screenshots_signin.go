package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"selfservice/api"
)

// Phone stands in for the authenticator app on a phone in the
// screenshots: it reads a provisioning link
// (selfservice-push://provision?…) and registers itself, as scanning the
// QR code would. The screenshots command makes one with the
// authenticator package, which the user interface must not use itself.
type Phone func(ctx context.Context, provisioningURI string) error

// screenshotQRSignIn captures the sign-in by QR code as "signin-qr" and
// goes back to the password form.
func screenshotQRSignIn(s *signInScreen, capture func(string) error, wait func(string, func() bool) error) error {
	s.onPhone()
	if err := wait("the sign-in QR code", func() bool { return s.qr.state != qrLoading }); err != nil {
		return err
	}
	if s.qr.state != qrWaiting {
		return fmt.Errorf("no sign-in QR code: %s", s.qr.message.message())
	}
	s.qr.tick()
	if err := capture("signin-qr"); err != nil {
		return err
	}
	s.showForm()
	return nil
}

// screenshotPushSignIn captures the wait for the phone at sign-in as
// "signin-push-waiting". The first demo account gets the push
// authenticator app on phone, signs out, signs in again with the password
// and chooses the phone as the second step. The phone is never answered;
// the app is left on that screen.
//
// Setting up the phone needs a step-up. The codes of the demo account's
// authenticator app that the server still accepts are used up by then,
// so when the demo helpdesk user is signed in (after the approvals), it
// issues the account an emergency access code, as helpdesk does for a
// user who gets a new phone; the account signs in and confirms with it.
func screenshotPushSignIn(u *UI, codes *demoCodes, phone Phone, capture func(string) error, wait func(string, func() bool) error) error {
	ctx := context.Background()
	account := u.opts.Demo[0]
	stepUp := codes.stepUp(u.session)
	if u.session.User().Username != account.Username {
		emergency, err := u.session.IssueEmergencyCode(ctx, account.Username, 1, 2)
		if err != nil {
			return fmt.Errorf("issue an emergency access code: %w", err)
		}
		if err := signInWithEmergencyCode(u, account, emergency.Code, wait); err != nil {
			return err
		}
		stepUp = func(ctx context.Context, call func(ctx context.Context) error) error {
			err := call(ctx)
			step, ok := api.ApprovalRequired(err)
			if !ok {
				return err
			}
			if _, err := u.session.VerifyStepUp(ctx, step.ApprovalID, api.EmergencyTokenID, emergency.Code); err != nil {
				return err
			}
			return call(api.WithApproval(ctx, step.ApprovalID))
		}
	}
	if err := addScreenshotPhone(ctx, u, stepUp, phone); err != nil {
		return err
	}

	second, err := signInWithPassword(u, account, wait)
	if err != nil {
		return err
	}
	for _, m := range second.challenge.Methods {
		if m.Type == api.TypePush {
			second.methods.selectID(m.TokenID)
		}
	}
	second.onSubmit() // Send request
	if err := wait("the wait for the phone", func() bool { return second.proof.waiting() || second.message.message() != "" }); err != nil {
		return err
	}
	if !second.proof.waiting() {
		return fmt.Errorf("asking the phone failed: %s", second.message.message())
	}
	second.proof.tick()
	second.scroll.Content.Refresh()
	second.scroll.ScrollToBottom() // the number, under the methods
	return capture("signin-push-waiting")
}

// signInWithPassword signs out (if signed in) and does the first sign-in
// step as account; it returns the second-factor screen, which offers more
// than one method.
func signInWithPassword(u *UI, account DemoInfo, wait func(string, func() bool) error) (*secondFactorScreen, error) {
	if main, ok := u.current.(*mainScreen); ok {
		main.onSignOut()
	}
	var signIn *signInScreen
	if err := wait("the sign-in screen", func() bool { signIn, _ = u.current.(*signInScreen); return signIn != nil }); err != nil {
		return nil, err
	}
	signIn.username.SetText(account.Username)
	signIn.password.SetText(account.Password)
	signIn.onSubmit()
	var second *secondFactorScreen
	if err := wait("the second-factor screen", func() bool { second, _ = u.current.(*secondFactorScreen); return second != nil }); err != nil {
		return nil, err
	}
	if second.methods == nil {
		return nil, errors.New("the second-factor screen offers only one method")
	}
	return second, nil
}

// signInWithEmergencyCode signs out and signs in as account with the
// emergency access code code.
func signInWithEmergencyCode(u *UI, account DemoInfo, code string, wait func(string, func() bool) error) error {
	second, err := signInWithPassword(u, account, wait)
	if err != nil {
		return err
	}
	second.methods.selectID(api.EmergencyTokenID)
	second.emergency.SetText(code)
	second.onSubmit()
	if err := wait("the main window", func() bool { _, ok := u.current.(*mainScreen); return ok || second.message.message() != "" }); err != nil {
		return err
	}
	if _, ok := u.current.(*mainScreen); !ok {
		return fmt.Errorf("signing in with the emergency access code failed: %s", second.message.message())
	}
	return nil
}

// addScreenshotPhone gives the signed-in user the push authenticator app
// on phone, confirming it's them with a code when the server asks.
func addScreenshotPhone(ctx context.Context, u *UI, stepUp stepUpRunner, phone Phone) error {
	var uri string
	err := stepUp(ctx, func(ctx context.Context) error {
		created, err := u.session.EnrollToken(ctx, "push-app", "")
		if err == nil && created.Push != nil {
			uri = created.Push.URI
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("add the push authenticator app: %w", err)
	}
	if uri == "" {
		return errors.New("adding the push authenticator app gave no provisioning link")
	}
	if err := phone(ctx, uri); err != nil {
		return fmt.Errorf("the phone reads the provisioning link: %w", err)
	}
	return nil
}

// screenshotPasswordReset captures Forgot password? as "signin-reset",
// with the answer to the request for a link, and, when the demo's
// messages can be read, the new password form that the emailed link
// opens as "signin-reset-password", with a password half typed; then it
// goes back to the password form without changing anything.
func screenshotPasswordReset(s *signInScreen, capture func(string) error, wait func(string, func() bool) error) error {
	s.onForgotPassword()
	v := s.recovery
	v.onSend()
	if err := wait("the answer to the reset request", func() bool { return !v.send.Disabled() }); err != nil {
		return err
	}
	if !v.message.Visible() || v.message.kind != bannerInfo {
		return fmt.Errorf("no reset link was sent: %s", v.message.message())
	}
	if err := demoHintShown(v.demo.Objects, wait); err != nil {
		return err
	}
	if err := capture("signin-reset"); err != nil {
		return err
	}
	if s.ui.opts.DemoMessages != nil {
		var link string
		if err := wait("the email with the link", func() bool {
			messages, err := s.ui.opts.DemoMessages()
			for _, m := range messages {
				for _, word := range strings.Fields(m.Body) {
					if _, ok := api.LinkToken(word); ok && strings.Contains(word, "/reset/") {
						link = word
					}
				}
			}
			return err == nil && link != ""
		}); err != nil {
			return err
		}
		v.link.SetText(link)
		v.onOpen()
		if err := wait("the new password form", func() bool { return v.reset != nil || v.linkErr.Visible() }); err != nil {
			return err
		}
		if v.reset == nil {
			return fmt.Errorf("the reset link did not open: %s", v.linkErr.Text)
		}
		v.next.SetText("Copper kettle")
		if err := capture("signin-reset-password"); err != nil {
			return err
		}
		v.next.SetText("")
		v.reset = nil
	}
	s.showForm()
	return nil
}
