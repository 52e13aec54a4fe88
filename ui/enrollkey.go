package ui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
	"selfservice/app"
	"selfservice/hw"
)

// Steps of the security key enrollment.
const (
	keyStepChoose = iota + 1 // pick a template, optionally a name
	keyStepKey               // the ceremony with the key
	keyStepDone              // name the key
)

const keyEnrollSteps = 3

// keyEnrollWizard adds a security key: choose the kind (security key or
// passkey), use the key (insert, PIN, touch), name it, done. The PENDING
// token made for it is deleted again when the user cancels.
type keyEnrollWizard struct {
	ui      *UI
	ctx     context.Context
	cancel  context.CancelFunc
	dlg     *dialog.CustomDialog
	onClose func(activated bool)

	step      int
	stepText  *widget.RichText
	body      *fyne.Container
	message   *banner
	progress  *busyBar
	buttons   *fyne.Container
	cancelBtn *widget.Button
	next      *widget.Button

	// Step 1.
	templates []api.TokenTemplate
	choices   []*widget.RadioGroup // one per template
	chosen    string               // template id
	name      *widget.Entry
	nameErr   fieldError

	// Step 2; enrollment is set once the PENDING token exists.
	enrollment *app.KeyEnrollment
	prompt     *keyPrompt

	// Step 3.
	token        api.Token // the ACTIVE token
	finalName    *widget.Entry
	finalNameErr fieldError
	activated    bool

	// Finishing an approved enrollment, or sending one for approval.
	preset *enrollPreset             // nil for a new enrollment
	onSent func(api.ApprovalRequest) // told when the enrollment went to approvers
	stepUp *stepUpDialog             // the last step-up dialog opened
}

// newKeyEnrollWizard builds the wizard; onClose is called once, when it
// is finished or cancelled, on the UI thread.
func newKeyEnrollWizard(u *UI, parent context.Context, onClose func(activated bool)) *keyEnrollWizard {
	ctx, cancel := context.WithCancel(parent)
	w := &keyEnrollWizard{
		ui:           u,
		ctx:          ctx,
		cancel:       cancel,
		onClose:      onClose,
		stepText:     styledText("", theme.ColorNamePrimary, theme.SizeNameText),
		body:         container.NewStack(),
		message:      newBanner(),
		progress:     newBusyBar(),
		name:         widget.NewEntry(),
		nameErr:      newFieldError(),
		finalName:    widget.NewEntry(),
		finalNameErr: newFieldError(),
	}
	w.name.SetPlaceHolder(lang.L("For example: Blue key on my keyring"))
	w.name.OnSubmitted = func(string) { w.onNext() }
	w.finalName.SetPlaceHolder(lang.L("For example: Blue key on my keyring"))
	w.finalName.OnSubmitted = func(string) { w.onNext() }
	w.cancelBtn = widget.NewButton(lang.L("Cancel"), w.onCancel)
	w.next = widget.NewButton(lang.L("Next"), w.onNext)
	w.next.Importance = widget.HighImportance
	w.buttons = container.NewHBox(layout.NewSpacer(), w.cancelBtn, w.next)

	top := container.NewVBox(w.stepText, w.message)
	content := container.NewBorder(top, container.NewVBox(w.progress, w.buttons), nil, nil, w.body)
	w.dlg = dialog.NewCustomWithoutButtons(lang.L("Add security key"), content, u.win)
	// The screen went away (for example the session expired): close too.
	// Tied to the wizard's own context, so that nothing keeps the wizard
	// once it is closed.
	context.AfterFunc(ctx, func() { u.do(w.dlg.Hide) })
	return w
}

func (w *keyEnrollWizard) show() {
	w.dlg.Resize(fyne.NewSize(620, 520))
	w.dlg.Show()
	loading := widget.NewLabelWithStyle(lang.L("Loading what you can add…"), fyne.TextAlignCenter, fyne.TextStyle{})
	w.setStep(keyStepChoose, lang.L("Choose"), container.NewCenter(loading))
	w.loadTemplates()
}

// setStep shows a step's body and buttons.
func (w *keyEnrollWizard) setStep(step int, title string, body fyne.CanvasObject) {
	w.step = step
	w.message.hide()
	setStyledText(w.stepText, lang.L("Step {{.Step}} of {{.Steps}} · {{.Title}}", map[string]any{"Step": step, "Steps": keyEnrollSteps, "Title": title}))
	w.body.Objects = []fyne.CanvasObject{container.NewVScroll(body)}
	w.body.Refresh()
	w.cancelBtn.Show()
	w.buttons.Objects = []fyne.CanvasObject{layout.NewSpacer(), w.cancelBtn, w.next}
	switch step {
	case keyStepChoose:
		w.next.SetText(lang.L("Next"))
		setEnabled(w.next, w.chosen != "")
	case keyStepKey:
		// The prompt's Continue or Try again takes Next's place.
		w.buttons.Objects = []fyne.CanvasObject{layout.NewSpacer(), w.cancelBtn, w.prompt.action}
	case keyStepDone:
		w.cancelBtn.Hide()
		w.next.SetText(lang.L("Done"))
		w.next.Enable()
	}
	w.buttons.Refresh()
}

// loadTemplates fetches the security-key templates the user may choose.
func (w *keyEnrollWizard) loadTemplates() {
	w.setBusy(true)
	var templates []api.TokenTemplate
	w.ui.run(w.ctx, w.progress, func(ctx context.Context) error {
		var err error
		templates, err = w.ui.session.Templates(ctx)
		return err
	}, func(err error) {
		w.setBusy(false)
		if err != nil {
			w.message.show(bannerError, errorMessage(err), lang.L("Retry"), w.loadTemplates)
			w.next.Disable()
			return
		}
		w.templates = keyTemplates(templates)
		w.setStep(keyStepChoose, lang.L("Choose"), w.chooseView())
		if w.preset != nil {
			w.applyPreset()
		}
	})
}

// applyPreset chooses what the approvers approved, locks it and creates
// the token at once.
func (w *keyEnrollWizard) applyPreset() {
	i := slices.IndexFunc(w.templates, func(t api.TokenTemplate) bool { return t.ID == w.preset.templateID })
	if i < 0 {
		w.message.show(bannerError, lang.L("The approved kind of security key can no longer be added. Ask your administrator."), "", nil)
		w.next.Disable()
		return
	}
	w.choices[i].SetSelected(w.templates[i].Name)
	w.choose(i)
	w.name.SetText(w.preset.description)
	w.create()
}

// keyTemplates keeps the security-key templates of templates.
func keyTemplates(templates []api.TokenTemplate) []api.TokenTemplate {
	return slices.DeleteFunc(slices.Clone(templates), func(t api.TokenTemplate) bool { return t.Type != api.TypeFIDO2 })
}

func (w *keyEnrollWizard) chooseView() fyne.CanvasObject {
	box := container.NewVBox()
	w.choices = nil
	available := 0
	for _, t := range w.templates {
		if t.Available() {
			available++
		}
	}
	if len(w.templates) == 0 {
		box.Add(paragraph(lang.L("There is no kind of security key you can add. Ask your administrator if you need one.")))
	}
	for i, t := range w.templates {
		choice := widget.NewRadioGroup([]string{t.Name}, nil)
		w.choices = append(w.choices, choice)
		choice.OnChanged = func(selected string) {
			if selected == "" {
				if w.chosen == t.ID {
					w.chosen = ""
					w.next.Disable()
				}
				return
			}
			w.choose(i)
		}
		details := container.NewVBox()
		if kind := keyTemplateKind(t); kind != "" {
			details.Add(paragraph(kind))
		}
		about := templateUsage(t)
		if t.Description != "" {
			about = t.Description + "\n" + about
		}
		details.Add(hint(about))
		if !t.Available() {
			choice.Disable()
			details.Add(styledText(lang.L("You already have the maximum number of these. Delete one you no longer use to add another."),
				theme.ColorNameWarning, theme.SizeNameCaptionText))
		}
		box.Add(widget.NewCard("", "", container.NewVBox(choice, details)))
		if t.Available() && (available == 1 || w.chosen == t.ID) {
			choice.SetSelected(t.Name)
		}
	}
	box.Add(field(lang.L("Name (optional)"), w.name, w.nameErr))
	box.Add(hint(lang.L("A name helps you tell your security keys apart. You can also name the key at the end.")))
	return box
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

// choose selects template i and clears the other choices.
func (w *keyEnrollWizard) choose(i int) {
	w.chosen = w.templates[i].ID
	for j, c := range w.choices {
		if j != i && c.Selected != "" {
			c.SetSelected("")
		}
	}
	w.next.Enable()
}

func (w *keyEnrollWizard) onNext() {
	if w.next.Disabled() || !w.next.Visible() {
		return
	}
	switch w.step {
	case keyStepChoose:
		w.create()
	case keyStepDone:
		w.saveName()
	}
}

// create makes the PENDING token, then asks for the key.
func (w *keyEnrollWizard) create() {
	w.nameErr.set("")
	w.setBusy(true)
	templateID, name := w.chosen, w.name.Text
	var enrollment *app.KeyEnrollment
	work := func(ctx context.Context) error {
		var err error
		enrollment, err = w.ui.session.EnrollKey(ctx, templateID, name)
		return err
	}
	if w.preset != nil {
		work = withRequest(w.preset.requestID, work)
	} else {
		work = w.ui.approvable(lang.L("Adding a security key needs your confirmation."), func(d *stepUpDialog) { w.stepUp = d }, work)
	}
	w.ui.run(w.ctx, w.progress, work, func(err error) {
		w.setBusy(false)
		if req, ok := api.ApprovalPending(err); ok {
			w.close()
			if w.onSent != nil {
				w.onSent(*req)
			}
			return
		}
		if err != nil {
			if fields := fieldErrors(err); fields["description"] != "" {
				w.nameErr.set(fields["description"])
				return
			}
			w.message.show(bannerError, errorMessage(err), "", nil)
			return
		}
		w.enrollment = enrollment
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
	w.setStep(keyStepKey, lang.L("Use your key"), container.NewCenter(w.prompt.content()))
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
	icon := widget.NewIcon(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
	text := widget.NewLabelWithStyle(lang.L("Your security key is ready"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	more := paragraph(keyReadyText(w.templateOf(tok)))
	more.Alignment = fyne.TextAlignCenter
	body := container.NewCenter(withWidth(400, container.NewVBox(
		container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(64), icon)), text, more,
		field(lang.L("Name"), w.finalName, w.finalNameErr),
		hint(lang.L("Give the key a name you will recognise, for example where you keep it.")),
	)))
	w.setStep(keyStepDone, lang.L("Done"), body)
	w.ui.win.Canvas().Focus(w.finalName)
}

// templateOf is the template the token was enrolled on.
func (w *keyEnrollWizard) templateOf(t api.Token) api.TokenTemplate {
	for _, tpl := range w.templates {
		if tpl.ID == t.TemplateID {
			return tpl
		}
	}
	return api.TokenTemplate{}
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
	w.ui.run(w.ctx, w.progress, func(ctx context.Context) error {
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

// onCancel closes the wizard, stopping the key; a token created but not
// activated is deleted in the background.
func (w *keyEnrollWizard) onCancel() {
	if w.prompt != nil {
		w.prompt.stop()
	}
	w.cancel()
	w.dlg.Hide()
	e := w.enrollment
	if e == nil || w.activated {
		w.onClose(w.activated)
		return
	}
	w.enrollment = nil
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		// When this fails the token stays, not activated, in the list,
		// which offers to delete it.
		_ = w.ui.session.CancelKeyEnrollment(ctx, e)
		w.ui.do(func() { w.onClose(false) })
	}()
}

// close ends a finished wizard.
func (w *keyEnrollWizard) close() {
	w.cancel()
	w.dlg.Hide()
	w.onClose(w.activated)
}

func (w *keyEnrollWizard) setBusy(busy bool) {
	setEnabled(w.next, !busy && (w.step != keyStepChoose || w.chosen != ""))
	setEnabled(w.name, !busy && w.preset == nil)
	setEnabled(w.finalName, !busy)
	for i, c := range w.choices {
		setEnabled(c, !busy && w.preset == nil && w.templates[i].Available())
	}
}
