package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
	"selfservice/app"
	"selfservice/hw"
)

// Steps of the security key enrollment.
const (
	keyStepName = iota + 1 // what is added, and an optional name
	keyStepKey             // the ceremony with the key
	keyStepDone            // name the key
)

const keyEnrollSteps = 3

// keyEnrollWizard adds a security key of a chosen template (security key
// or passkey): name it, use the key (insert, PIN, touch), name it again
// if need be, done. The PENDING token made for it is deleted again when
// the user cancels.
type keyEnrollWizard struct {
	*wizardFrame
	template api.TokenTemplate

	// Step 1.
	name    *entry
	nameErr fieldError

	// Step 2; enrollment is set once the PENDING token exists.
	enrollment *app.KeyEnrollment
	prompt     *keyPrompt

	// Step 3.
	token        api.Token // the ACTIVE token
	finalName    *entry
	finalNameErr fieldError
}

// newKeyEnrollWizard builds the wizard for template t; onClose is called
// once, when it is finished or cancelled, on the UI thread.
func newKeyEnrollWizard(u *UI, parent context.Context, t api.TokenTemplate, onClose func(activated bool)) *keyEnrollWizard {
	w := &keyEnrollWizard{
		wizardFrame:  newWizardFrame(u, parent, lang.L("Add security key"), keyEnrollSteps, fyne.NewSize(620, 520), onClose),
		template:     t,
		name:         newEntry(),
		nameErr:      newFieldError(),
		finalName:    newEntry(),
		finalNameErr: newFieldError(),
	}
	w.name.SetPlaceHolder(lang.L("For example: Blue key on my keyring"))
	w.name.OnSubmitted = func(string) { w.onNext() }
	w.finalName.SetPlaceHolder(lang.L("For example: Blue key on my keyring"))
	w.finalName.OnSubmitted = func(string) { w.onNext() }
	w.forward = w.stepForward
	w.stopping = func() {
		if w.prompt != nil {
			w.prompt.stop()
		}
	}
	return w
}

func (w *keyEnrollWizard) show() {
	w.open()
	w.showName()
	if w.preset != nil {
		w.name.SetText(w.preset.description)
		w.create()
	}
}

func (w *keyEnrollWizard) showName() {
	box := container.NewVBox(templateSummary(w.template))
	if kind := keyTemplateKind(w.template); kind != "" {
		box.Add(paragraph(kind))
	}
	box.Add(hint(templateUsage(w.template)))
	box.Add(widget.NewSeparator())
	box.Add(field(lang.L("Name (optional)"), w.name, w.nameErr))
	box.Add(hint(lang.L("A name helps you tell your security keys apart. You can also name the key at the end.")))
	w.showStep(keyStepName, lang.L("Name"), box)
	w.setBusy(false)
	w.ui.win.Canvas().Focus(w.name)
}

// keyTemplateKind explains what a security-key template registers: a
// passkey that replaces the password, or a key used after it.
func keyTemplateKind(t api.TokenTemplate) string {
	s := t.WebAuthn
	if s == nil {
		return ""
	}
	var kind string
	switch {
	case s.Passwordless:
		kind = lang.L("Passkey: stored on your key. It signs you in without your username and password.")
	case s.ResidentKey == api.WebAuthnRequired:
		kind = lang.L("Passkey: stored on your key, and used after your password.")
	default:
		kind = lang.L("Security key: after your password, you touch the key to sign in. Nothing is stored on the key.")
	}
	if s.UserVerification == api.WebAuthnRequired {
		kind += " " + lang.L("The key must have a PIN or a fingerprint; it checks it every time.")
	}
	return kind
}

func (w *keyEnrollWizard) stepForward() {
	switch w.step {
	case keyStepName:
		w.create()
	case keyStepDone:
		w.saveName()
	}
}

// create makes the PENDING token, then asks for the key.
func (w *keyEnrollWizard) create() {
	templateID, name := w.template.ID, w.name.Text
	createToken(w.wizardFrame, w.setBusy, lang.L("Adding a security key needs your confirmation."), map[string]fieldError{"description": w.nameErr}, func(ctx context.Context) (*app.KeyEnrollment, error) {
		return w.ui.session.EnrollKey(ctx, templateID, name)
	}, func(enrollment *app.KeyEnrollment) {
		w.enrollment = enrollment
		w.abandon = func(ctx context.Context) error { return w.ui.session.CancelKeyEnrollment(ctx, enrollment) }
		w.showKey()
	})
}

// showKey runs the ceremony that registers the key.
func (w *keyEnrollWizard) showKey() {
	e := w.enrollment
	var token api.Token // set by the successful attempt, read after it
	w.prompt = newKeyPrompt(w.ui, keyCeremony{
		purpose: lang.L("Your security key is being registered with your account."),
		op: func(ctx context.Context, a hw.Authenticator, pin string, events func(hw.Event)) error {
			var err error
			token, err = w.ui.session.RegisterKey(ctx, e, a, pin, events)
			return err
		},
		final: tokenGone,
		done: func(err error) {
			if err == nil {
				w.token = token
			}
			w.keyDone(err)
		},
	})
	w.showStep(keyStepKey, lang.L("Use your key"), container.NewCenter(w.prompt.content()))
	// The prompt's Continue or Try again takes Next's place.
	w.setActions(w.prompt.action)
	w.prompt.start(w.ctx)
}

// tokenGone reports errors that say the token is no longer in the state
// the ceremony needs, or gone: trying again cannot help.
func tokenGone(err error) bool {
	return errors.Is(err, api.ErrInvalidState) || errors.Is(err, api.ErrNotFound)
}

// keyDone follows the end of the ceremony.
func (w *keyEnrollWizard) keyDone(err error) {
	switch {
	case err == nil:
		w.activated = true
		w.abandon = nil
		w.showDone()
	case errors.Is(err, hw.ErrCancelled):
		// onCancel closes the wizard.
	default:
		w.message.show(bannerError, errorMessage(err), "", nil)
	}
}

func (w *keyEnrollWizard) showDone() {
	tok := w.token
	w.finalName.SetText(tok.Description)
	w.finalNameErr.set("")
	w.wizardFrame.showDone(lang.L("Your security key is ready"),
		centered(keyReadyText(w.template)),
		field(lang.L("Name"), w.finalName, w.finalNameErr),
		hint(lang.L("Give the key a name you will recognise, for example where you keep it.")),
	)
	w.ui.win.Canvas().Focus(w.finalName)
}

// keyReadyText says how the new key is used.
func keyReadyText(t api.TokenTemplate) string {
	if t.WebAuthn != nil && t.WebAuthn.Passwordless {
		return lang.L("Next time, choose “Sign in with a passkey” and use this key: no username or password needed.")
	}
	return lang.L("The next time you sign in, enter your password, then use this key.")
}

// saveName renames the key if the name changed, then closes.
func (w *keyEnrollWizard) saveName() {
	tok := w.token
	name := strings.TrimSpace(w.finalName.Text)
	if name == tok.Description {
		w.close()
		return
	}
	w.finalNameErr.set("")
	w.setBusy(true)
	w.run(func(ctx context.Context) error {
		_, err := w.ui.session.RenameToken(ctx, tok.ID, name)
		return err
	}, func(err error) {
		w.setBusy(false)
		if err != nil {
			if msg := fieldErrors(err)["description"]; msg != "" {
				w.finalNameErr.set(msg)
				return
			}
			w.message.show(bannerError, errorMessage(err), "", nil)
			return
		}
		w.close()
	})
}

func (w *keyEnrollWizard) setBusy(busy bool) {
	w.wizardFrame.setBusy(busy, true)
	setEnabled(w.name, !busy && w.preset == nil)
	setEnabled(w.finalName, !busy)
}
