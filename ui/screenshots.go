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
// with the window when each is ready, named "signin", "second-factor",
// "tokens", "enroll-qr" and, when opts.Keys is set, "enroll-key" and
// the Security keys shots (see screenshotSecurityKeys). It signs in with
// the first demo account of opts, adds a second authenticator app and
// shows the list with both, then starts adding a security key (opts.Keys
// must reach one that waits for its touch) and cancels once the key asks
// for the touch.
//
// a must be an app of the Fyne test driver (fyne.io/fyne/v2/test), and
// session a fresh session of the demo server whose accounts opts lists.
func Screenshots(a fyne.App, session *app.Session, opts Options, shot func(name string, w fyne.Window) error) error {
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
	if err := capture("signin"); err != nil {
		return err
	}

	signIn.onSubmit()
	var second *secondFactorScreen
	if err := wait("the second-factor screen", func() bool { second, _ = u.current.(*secondFactorScreen); return second != nil }); err != nil {
		return err
	}
	code, _, err := app.DemoCode(demo.TOTPSecret, time.Now())
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
	tokens.onAdd()
	w := tokens.wizard
	if err := wait("the token templates", func() bool { return len(w.choices) > 0 }); err != nil {
		return err
	}
	i := slices.IndexFunc(w.templates, func(t api.TokenTemplate) bool { return t.Type == api.TypeTOTP && t.Available() })
	if i < 0 {
		return errors.New("no time-based authenticator template to enroll")
	}
	w.choices[i].SetSelected(w.templates[i].Name)
	w.name.SetText("Backup phone")
	w.onNext()
	if err := wait("the QR code", func() bool { return w.step == stepScan }); err != nil {
		return err
	}
	if err := capture("enroll-qr"); err != nil {
		return err
	}

	w.onNext()
	secret := strings.ReplaceAll(w.secret.Text, " ", "")
	code, _, err = app.DemoCode(secret, time.Now())
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
	if opts.Keys == nil {
		return nil
	}
	if err := screenshotKeyEnrollment(tokens, capture, wait); err != nil {
		return err
	}
	return screenshotSecurityKeys(main, capture, wait)
}

// screenshotKeyEnrollment adds a security key up to the step where the
// key asks for its PIN or a touch, captures it as "enroll-key", and
// cancels. opts.Keys must reach a key that waits for the touch.
func screenshotKeyEnrollment(tokens *tokensScreen, capture func(string) error, wait func(string, func() bool) error) error {
	if err := wait("the Add security key button", func() bool { return tokens.addKey != nil && tokens.addKey.Visible() }); err != nil {
		return err
	}
	tokens.onAddKey()
	w := tokens.keyWizard
	if err := wait("the security key templates", func() bool { return len(w.choices) > 0 }); err != nil {
		return err
	}
	i := slices.IndexFunc(w.templates, func(t api.TokenTemplate) bool { return t.WebAuthn != nil && !t.WebAuthn.Passwordless && t.Available() })
	if i < 0 {
		return errors.New("no security key template to enroll")
	}
	w.choices[i].SetSelected(w.templates[i].Name)
	w.name.SetText("Blue key on my keyring")
	w.onNext()
	if err := wait("the key step", func() bool { return w.prompt != nil || w.message.message() != "" }); err != nil {
		return err
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
