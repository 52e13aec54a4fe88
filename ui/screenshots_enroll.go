package ui

import (
	"errors"
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"selfservice/api"
)

// chooseToAdd opens "Add sign-in method" on tokens and chooses the first
// available template that match accepts, as a user would.
func chooseToAdd(tokens *tokensScreen, match func(api.TokenTemplate) bool, wait func(string, func() bool) error) error {
	tokens.onAdd()
	c := tokens.chooser
	if err := wait("the kinds of sign-in method", func() bool { return len(c.choices) > 0 || c.message.message() != "" }); err != nil {
		return err
	}
	i := slices.IndexFunc(c.templates, func(t api.TokenTemplate) bool { return t.Available() && match(t) })
	if i < 0 {
		return errors.New("no such kind of sign-in method to add")
	}
	c.choices[i].OnTapped()
	return nil
}

// screenshotDeliveryEnrollments shows the sign-in methods again and
// captures "enroll-sms-address", "enroll-sms-code" and "enroll-push-qr".
func screenshotDeliveryEnrollments(main *mainScreen, codes *demoCodes, capture func(string) error, wait func(string, func() bool) error) error {
	if main.nav != nil {
		main.nav.Select(main.areaIndex(lang.L("Sign-in methods")))
	}
	if err := screenshotCodeEnrollment(main.tokens, codes, capture, wait); err != nil {
		return err
	}
	return screenshotPushEnrollment(main.tokens, codes, capture, wait)
}

// screenshotCodeEnrollment adds a text message token: it captures the
// choice of the demo user's confirmed mobile number as
// "enroll-sms-address", then the code sent to the phone as
// "enroll-sms-code" (with the countdown until the code can be sent
// again), and cancels.
func screenshotCodeEnrollment(tokens *tokensScreen, codes *demoCodes, capture func(string) error, wait func(string, func() bool) error) error {
	if err := chooseToAdd(tokens, func(t api.TokenTemplate) bool { return t.Type == api.TypeSMS }, wait); err != nil {
		return err
	}
	w := tokens.codeWizard
	if err := wait("where to send the codes", func() bool { return w.picker.loaded || w.message.message() != "" }); err != nil {
		return err
	}
	if !w.picker.ready() {
		return fmt.Errorf("nowhere to send the codes: %s", w.message.message())
	}
	w.name.SetText("Work mobile")
	if err := capture("enroll-sms-address"); err != nil {
		return err
	}
	w.onNext()
	if err := screenshotStepUpIfAsked(func() *stepUpDialog { return w.stepUp }, func() bool { return w.step == codeStepCode || w.message.message() != "" || w.picker.err.Visible() }, codes, wait); err != nil {
		return err
	}
	if w.step != codeStepCode {
		return fmt.Errorf("sending the code failed: %s%s", w.message.message(), w.picker.err.Text)
	}
	w.sent.tick()
	if err := demoHintShown(w.sent.box.Objects, wait); err != nil {
		return err
	}
	if err := capture("enroll-sms-code"); err != nil {
		return err
	}
	w.onCancel()
	return wait("the enrollment to close", func() bool { return tokens.codeWizard == nil && !tokens.progress.Visible() })
}

// screenshotPushEnrollment adds the push authenticator app up to its
// provisioning QR code, captures it as "enroll-push-qr", and cancels.
func screenshotPushEnrollment(tokens *tokensScreen, codes *demoCodes, capture func(string) error, wait func(string, func() bool) error) error {
	if err := chooseToAdd(tokens, func(t api.TokenTemplate) bool { return t.Type == api.TypePush }, wait); err != nil {
		return err
	}
	w := tokens.pushWizard
	w.onNext()
	if err := screenshotStepUpIfAsked(func() *stepUpDialog { return w.stepUp }, func() bool { return w.step == pushStepScan || w.message.message() != "" }, codes, wait); err != nil {
		return err
	}
	if w.step != pushStepScan {
		return fmt.Errorf("adding the push app failed: %s", w.message.message())
	}
	w.tick()
	if err := capture("enroll-push-qr"); err != nil {
		return err
	}
	w.onCancel()
	return wait("the enrollment to close", func() bool { return tokens.pushWizard == nil && !tokens.progress.Visible() })
}

// screenshotStepUpIfAsked waits until next holds or a step-up opens,
// confirms the step-up with a demo code, and waits for next again.
func screenshotStepUpIfAsked(stepUp func() *stepUpDialog, next func() bool, codes *demoCodes, wait func(string, func() bool) error) error {
	if err := wait("the next step or the step-up", func() bool { return stepUp() != nil || next() }); err != nil {
		return err
	}
	if d := stepUp(); d != nil {
		if err := wait("the step-up dialog", func() bool { return d.prepared != "" || d.message.message() != "" }); err != nil {
			return err
		}
		// The shots before may have used the codes of this time step:
		// wait for the next one (the dialog's countdown wakes wait up
		// every second).
		var tokenID, code string
		if err := wait("an unused demo code", func() bool {
			var err error
			tokenID, code, err = codes.any(d.step.Methods)
			return err == nil
		}); err != nil {
			return err
		}
		if err := confirmStepUp(d, tokenID, code, wait); err != nil {
			return err
		}
	}
	return wait("the next step", next)
}

// demoHintShown waits, in demo mode, until the demo hint among objects
// shows the message it waits for.
func demoHintShown(objects []fyne.CanvasObject, wait func(string, func() bool) error) error {
	for _, o := range objects {
		if v, ok := o.(*demoMessageView); ok {
			return wait("the demo message", func() bool { return v.current != "" })
		}
	}
	return nil
}
