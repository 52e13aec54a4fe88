package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"selfservice/api"
	"selfservice/app"
)

// Screenshots drives the app through its main screens and calls shot
// with the window when each is ready, named "signin", "signin-qr",
// "signin-reset", "signin-reset-password" (with opts.DemoMessages),
// "signin-register",
// "second-factor",
// "tokens-menu" (see screenshots_tokens.go), "stepup", "enroll-qr",
// "tokens" and, when opts.Keys is set,
// "enroll-key" and the Security keys shots (see screenshotSecurityKeys),
// then "enroll-sms-address", "enroll-sms-code" and "enroll-push-qr" (see
// screenshots_enroll.go), "password", "contacts", "profile" (see screenshots_profile.go) and
// "applications" (see screenshots_account.go),
// then, when opts lists the demo helpdesk account, "my-requests" and
// "to-approve" (see screenshotApprovals), "helpdesk-check",
// "helpdesk-emergency", "to-approve-stale", "idle-warning" and
// "signout-wipe" (see screenshotSharedWorkstation), and last
// "signin-push-waiting": phone, the authenticator app, is set up for
// the demo account signed in then, which signs in again and waits for it
// (see screenshotPushSignIn). It signs in with the first demo
// account of opts, adds a second authenticator app (confirming it's the
// user when the server asks) and shows the list with both, then starts
// adding a security key (opts.Keys must reach one that waits for its
// touch) and cancels once the key asks for the touch.
//
// a must be an app of the Fyne test driver (fyne.io/fyne/v2/test), and
// session a fresh session of the demo server whose accounts opts lists.
func Screenshots(a fyne.App, session *app.Session, opts Options, phone Phone, shot func(name string, w fyne.Window) error) error {
	if len(opts.Demo) == 0 {
		return errors.New("screenshots need a demo account")
	}
	demo := opts.Demo[0]
	q := newSyncQueue()
	u := newUI(a, session, opts, q.do, time.Now)
	defer u.win.Close()
	u.win.Resize(fyne.NewSize(960, 640))
	capture := func(name string) error { return shot(name, u.win) }
	wait := func(what string, cond func() bool) error {
		if !q.waitUntil(30*time.Second, cond) {
			return fmt.Errorf("timed out waiting for %s", what)
		}
		return nil
	}

	var signIn *signInScreen
	if err := wait("the sign-in screen", func() bool { signIn, _ = u.current.(*signInScreen); return signIn != nil }); err != nil {
		return err
	}
	signIn.username.SetText(demo.Username)
	signIn.password.SetText(demo.Password)
	if err := wait("the sign-in options", func() bool { return signIn.optionsLoaded }); err != nil {
		return err
	}
	if err := capture("signin"); err != nil {
		return err
	}
	if err := screenshotQRSignIn(signIn, capture, wait); err != nil {
		return err
	}
	if err := screenshotPasswordReset(signIn, capture, wait); err != nil {
		return err
	}
	if err := screenshotRegistration(signIn, capture, wait); err != nil {
		return err
	}

	signIn.onSubmit()
	var second *secondFactorScreen
	if err := wait("the second-factor screen", func() bool { second, _ = u.current.(*secondFactorScreen); return second != nil }); err != nil {
		return err
	}
	codes := newDemoCodes()
	code, err := codes.next(demo.TOTPSecret)
	if err != nil {
		return err
	}
	second.code.SetText(code)
	if err := capture("second-factor"); err != nil {
		return err
	}

	second.onSubmit()
	var main *mainScreen
	if err := wait("the main window", func() bool {
		main, _ = u.current.(*mainScreen)
		return main != nil && main.tokens != nil && main.tokens.loaded
	}); err != nil {
		return err
	}

	tokens := main.tokens
	if err := screenshotTokenMenu(tokens, capture); err != nil {
		return err
	}
	if err := chooseToAdd(tokens, func(t api.TokenTemplate) bool { return t.Type == api.TypeTOTP }, wait); err != nil {
		return err
	}
	w := tokens.wizard
	w.name.SetText("Backup phone")
	w.onNext()
	if err := wait("the QR code or the step-up", func() bool { return w.step == stepScan || w.stepUp != nil }); err != nil {
		return err
	}
	demoToken := tokens.tokens[0].ID
	codes.use(demoToken, demo.TOTPSecret)
	if w.stepUp != nil {
		if err := screenshotStepUp(w.stepUp, codes, demoToken, capture, wait); err != nil {
			return err
		}
	}
	if err := wait("the QR code", func() bool { return w.step == stepScan || w.message.message() != "" }); err != nil {
		return err
	}
	if w.step != stepScan {
		return fmt.Errorf("adding an authenticator app failed: %s", w.message.message())
	}
	if err := capture("enroll-qr"); err != nil {
		return err
	}

	w.onNext()
	secret := strings.ReplaceAll(w.secret.Text, " ", "")
	codes.use(w.created.Token.ID, secret)
	code, err = codes.next(secret)
	if err != nil {
		return err
	}
	w.code.SetText(code)
	w.onNext()
	if err := wait("the activation", func() bool { return w.step == stepDone || w.message.message() != "" }); err != nil {
		return err
	}
	if w.step != stepDone {
		return fmt.Errorf("activation failed: %s", w.message.message())
	}
	w.onNext()
	if err := wait("the list of two tokens", func() bool { return tokens.loaded && len(tokens.tokens) == 2 }); err != nil {
		return err
	}
	if err := capture("tokens"); err != nil {
		return err
	}
	if opts.Keys != nil {
		if err := screenshotKeyEnrollment(tokens, codes, capture, wait); err != nil {
			return err
		}
		if err := screenshotSecurityKeys(main, codes.stepUp(session), capture, wait); err != nil {
			return err
		}
	}
	if err := screenshotDeliveryEnrollments(main, codes, capture, wait); err != nil {
		return err
	}
	if err := screenshotPassword(main, capture, wait); err != nil {
		return err
	}
	if err := screenshotContacts(main, capture, wait); err != nil {
		return err
	}
	if err := screenshotProfile(main, capture, wait); err != nil {
		return err
	}
	if err := screenshotApplications(main, capture, wait); err != nil {
		return err
	}
	if err := screenshotDocuments(main, capture, wait); err != nil {
		return err
	}
	if err := screenshotQuestions(main, capture, wait); err != nil {
		return err
	}
	if err := screenshotPrivacy(main, capture, wait); err != nil {
		return err
	}
	if err := screenshotSessions(main, capture, wait); err != nil {
		return err
	}
	if err := screenshotInvitations(main, capture, wait); err != nil {
		return err
	}
	if slices.ContainsFunc(opts.Demo, func(d DemoInfo) bool { return d.Username == "helpdesk" }) && main.requests != nil {
		if err := screenshotApprovals(u, main, opts, capture, wait); err != nil {
			return err
		}
		if err := screenshotQuestionCheck(u.current.(*mainScreen), demo.Username, capture, wait); err != nil {
			return err
		}
		if err := screenshotSharedWorkstation(u, u.current.(*mainScreen), demo.Username, capture, wait); err != nil {
			return err
		}
	}
	return screenshotPushSignIn(u, codes, phone, capture, wait)
}

// screenshotStepUp captures the step-up dialog d, with the code of the
// method tokenID typed in, as "stepup", and confirms it.
func screenshotStepUp(d *stepUpDialog, codes *demoCodes, tokenID string, capture func(string) error, wait func(string, func() bool) error) error {
	if err := wait("the step-up dialog", func() bool { return d.prepared != "" || d.message.message() != "" }); err != nil {
		return err
	}
	code, err := codes.nextFor(tokenID)
	if err != nil {
		return err
	}
	d.code.SetText(code)
	d.tick()
	if err := capture("stepup"); err != nil {
		return err
	}
	return confirmStepUp(d, tokenID, code, wait)
}

// confirmStepUp confirms the step-up dialog d with code of the method
// tokenID.
func confirmStepUp(d *stepUpDialog, tokenID, code string, wait func(string, func() bool) error) error {
	d.selectMethod(tokenID)
	if err := wait("the method", func() bool { return d.prepared == tokenID || d.message.message() != "" }); err != nil {
		return err
	}
	d.code.SetText(code)
	d.onConfirm()
	if err := wait("the step-up to end", func() bool { return d.ended || d.codeErr.Visible() || d.message.message() != "" }); err != nil {
		return err
	}
	if !d.ended {
		return fmt.Errorf("the step-up failed: %s%s", d.codeErr.Text, d.message.message())
	}
	return nil
}

// screenshotKeyEnrollment adds a security key up to the step where the
// key asks for its PIN or a touch, captures it as "enroll-key", and
// cancels. opts.Keys must reach a key that waits for the touch.
func screenshotKeyEnrollment(tokens *tokensScreen, codes *demoCodes, capture func(string) error, wait func(string, func() bool) error) error {
	if err := chooseToAdd(tokens, func(t api.TokenTemplate) bool { return t.WebAuthn != nil && !t.WebAuthn.Passwordless }, wait); err != nil {
		return err
	}
	w := tokens.keyWizard
	w.name.SetText("Blue key on my keyring")
	w.onNext()
	if err := wait("the key step or the step-up", func() bool { return w.prompt != nil || w.stepUp != nil || w.message.message() != "" }); err != nil {
		return err
	}
	if d := w.stepUp; d != nil {
		tokenID, code, err := codes.any(d.step.Methods)
		if err != nil {
			return err
		}
		if err := confirmStepUp(d, tokenID, code, wait); err != nil {
			return err
		}
		if err := wait("the key step", func() bool { return w.prompt != nil || w.message.message() != "" }); err != nil {
			return err
		}
	}
	if w.prompt == nil {
		return fmt.Errorf("starting the enrollment failed: %s", w.message.message())
	}
	p := w.prompt
	if err := wait("the key to ask for a touch or its PIN", func() bool {
		return p.state == promptTouch || p.state == promptPIN || p.state == promptFailed
	}); err != nil {
		return err
	}
	if p.state == promptFailed {
		return fmt.Errorf("the security key failed: %s", p.text.Text)
	}
	if err := capture("enroll-key"); err != nil {
		return err
	}
	w.onCancel()
	return wait("the enrollment to close", func() bool { return tokens.keyWizard == nil })
}
