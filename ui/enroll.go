package ui

import (
	"context"
	"errors"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
	"selfservice/resources"
)

// enrollStep is a step of the enrollment wizard.
type enrollStep int

const (
	stepChoose   enrollStep = iota + 1 // pick a template, optionally a name
	stepScan                           // QR code, setup key and link
	stepActivate                       // first code
	stepDone
)

const enrollSteps = 4

// enrollWizard adds an authenticator app: choose a template, scan the QR
// code (or type the key), enter the first code, done. A token created
// but not activated when the wizard is cancelled is deleted again.
type enrollWizard struct {
	ui      *UI
	ctx     context.Context
	cancel  context.CancelFunc
	dlg     *dialog.CustomDialog
	onClose func(activated bool)

	step      enrollStep
	stepText  *widget.RichText
	body      *fyne.Container
	message   *banner
	progress  *busyBar
	back      *widget.Button
	cancelBtn *widget.Button
	next      *widget.Button

	// Step 1.
	templates []api.TokenTemplate
	choices   []*widget.RadioGroup // one per template
	chosen    string               // template id
	name      *widget.Entry
	nameErr   fieldError

	// Step 2; created is set while a not yet activated token exists.
	created    *api.CreateTokenResponse
	qr         *qrCode
	secret     *widget.Label
	copySecret *widget.Button
	copyLink   *widget.Button

	// Step 3.
	code    *widget.Entry
	codeErr fieldError

	activated bool

	// Finishing an approved enrollment, or sending one for approval.
	preset *enrollPreset             // nil for a new enrollment
	onSent func(api.ApprovalRequest) // told when the enrollment went to approvers
	stepUp *stepUpDialog             // the last step-up dialog opened
}

// newEnrollWizard builds the wizard; onClose is called once, when it is
// finished or cancelled, on the UI thread.
func newEnrollWizard(u *UI, parent context.Context, onClose func(activated bool)) *enrollWizard {
	ctx, cancel := context.WithCancel(parent)
	w := &enrollWizard{
		ui:       u,
		ctx:      ctx,
		cancel:   cancel,
		onClose:  onClose,
		stepText: styledText("", theme.ColorNamePrimary, theme.SizeNameText),
		body:     container.NewStack(),
		message:  newBanner(),
		progress: newBusyBar(),
		name:     widget.NewEntry(),
		nameErr:  newFieldError(),
		code:     newCodeEntry(),
		codeErr:  newFieldError(),
	}
	w.name.SetPlaceHolder(lang.L("For example: Work phone"))
	w.code.OnSubmitted = func(string) { w.onNext() }
	w.back = widget.NewButtonWithIcon(lang.L("Back"), theme.NavigateBackIcon(), w.onBack)
	w.cancelBtn = widget.NewButton(lang.L("Cancel"), w.onCancel)
	w.next = widget.NewButton(lang.L("Next"), w.onNext)
	w.next.Importance = widget.HighImportance

	buttons := container.NewHBox(layout.NewSpacer(), w.back, w.cancelBtn, w.next)
	top := container.NewVBox(w.stepText, w.message)
	content := container.NewBorder(top, container.NewVBox(w.progress, buttons), nil, nil, w.body)
	w.dlg = dialog.NewCustomWithoutButtons(lang.L("Add authenticator app"), content, u.win)
	// The screen went away (for example the session expired): close too.
	// Tied to the wizard's own context, so that nothing keeps the wizard
	// once it is closed.
	context.AfterFunc(ctx, func() { u.do(w.dlg.Hide) })
	return w
}

func (w *enrollWizard) show() {
	w.dlg.Resize(fyne.NewSize(680, 540))
	w.dlg.Show()
	w.showChoose()
	w.loadTemplates()
}

// setStep shows a step's body and buttons.
func (w *enrollWizard) setStep(step enrollStep, title string, body fyne.CanvasObject) {
	w.step = step
	w.message.hide()
	setStyledText(w.stepText, lang.L("Step {{.Step}} of {{.Steps}} · {{.Title}}", map[string]any{"Step": int(step), "Steps": enrollSteps, "Title": title}))
	w.body.Objects = []fyne.CanvasObject{container.NewVScroll(body)}
	w.body.Refresh()
	w.back.Hide()
	w.cancelBtn.Show()
	w.next.Enable()
	switch step {
	case stepChoose:
		w.next.SetText(lang.L("Next"))
		w.next.Disable() // until a template is chosen
	case stepScan:
		w.next.SetText(lang.L("Next"))
	case stepActivate:
		w.back.Show()
		w.next.SetText(lang.L("Activate"))
	case stepDone:
		w.cancelBtn.Hide()
		w.next.SetText(lang.L("Done"))
	}
}

func (w *enrollWizard) showChoose() {
	loading := widget.NewLabelWithStyle(lang.L("Loading what you can add…"), fyne.TextAlignCenter, fyne.TextStyle{})
	w.setStep(stepChoose, lang.L("Choose"), container.NewCenter(loading))
}

// loadTemplates fetches the authenticator-app templates the user may
// choose from; other kinds of token have wizards of their own.
func (w *enrollWizard) loadTemplates() {
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
		w.templates = slices.DeleteFunc(templates, func(t api.TokenTemplate) bool {
			return t.Hardware || (t.Type != api.TypeTOTP && t.Type != api.TypeHOTP)
		})
		w.setStep(stepChoose, lang.L("Choose"), w.chooseView())
		if w.chosen != "" {
			w.next.Enable()
		}
		if w.preset != nil {
			w.applyPreset()
		}
	})
}

// applyPreset chooses what the approvers approved, locks it and creates
// the token at once.
func (w *enrollWizard) applyPreset() {
	i := slices.IndexFunc(w.templates, func(t api.TokenTemplate) bool { return t.ID == w.preset.templateID })
	if i < 0 {
		w.message.show(bannerError, lang.L("The approved kind of token can no longer be added. Ask your administrator."), "", nil)
		w.next.Disable()
		return
	}
	w.choices[i].SetSelected(w.templates[i].Name)
	w.choose(i)
	w.name.SetText(w.preset.description)
	w.create()
}

func (w *enrollWizard) chooseView() fyne.CanvasObject {
	box := container.NewVBox()
	w.choices = nil
	available := 0
	for _, t := range w.templates {
		if t.Available() {
			available++
		}
	}
	if len(w.templates) == 0 {
		box.Add(paragraph(lang.L("There is nothing you can add. Ask your administrator if you need a new sign-in method.")))
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
		about := templateUsage(t)
		if t.Description != "" {
			about = t.Description + "\n" + about
		}
		details := container.NewVBox(hint(about))
		if !t.Available() {
			choice.Disable()
			reason := styledText(lang.L("You already have the maximum number of these. Delete one you no longer use to add another."),
				theme.ColorNameWarning, theme.SizeNameCaptionText)
			details.Add(reason)
		}
		box.Add(widget.NewCard("", "", container.NewVBox(choice, details)))
		if t.Available() && available == 1 {
			choice.SetSelected(t.Name)
		}
	}
	box.Add(field(lang.L("Name (optional)"), w.name, w.nameErr))
	box.Add(hint(lang.L("A name helps you tell your sign-in methods apart, for example the phone the app is on.")))
	return box
}

// templateUsage says how many of a template the user has, and may have.
func templateUsage(t api.TokenTemplate) string {
	if t.MaxPerUser == 0 {
		return lang.L("{{.InUse}} in use; there is no limit.", map[string]any{"InUse": t.InUse})
	}
	return lang.L("{{.InUse}} of {{.Max}} in use.", map[string]any{"InUse": t.InUse, "Max": t.MaxPerUser})
}

// choose selects template i and clears the other choices.
func (w *enrollWizard) choose(i int) {
	w.chosen = w.templates[i].ID
	for j, c := range w.choices {
		if j != i && c.Selected != "" {
			c.SetSelected("")
		}
	}
	w.next.Enable()
}

func (w *enrollWizard) onNext() {
	if w.next.Disabled() || !w.next.Visible() {
		return
	}
	switch w.step {
	case stepChoose:
		w.create()
	case stepScan:
		w.showActivate()
	case stepActivate:
		w.activate()
	case stepDone:
		w.close()
	}
}

func (w *enrollWizard) onBack() {
	if w.step == stepActivate {
		w.showScan()
	}
}

// onCancel closes the wizard; a token created but not activated is
// deleted in the background.
func (w *enrollWizard) onCancel() {
	w.cancel()
	w.dlg.Hide()
	if w.created == nil {
		w.onClose(false)
		return
	}
	id := w.created.Token.ID
	w.created = nil
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		// When this fails the token stays, not activated, in the list,
		// which offers to delete it.
		_ = w.ui.session.DeleteToken(ctx, id)
		w.ui.do(func() { w.onClose(false) })
	}()
}

// sent closes the wizard of an enrollment that went to the approvers.
func (w *enrollWizard) sent(req api.ApprovalRequest) {
	w.close()
	if w.onSent != nil {
		w.onSent(req)
	}
}

// close ends a finished wizard.
func (w *enrollWizard) close() {
	w.cancel()
	w.dlg.Hide()
	w.onClose(w.activated)
}

// create enrolls a token from the chosen template.
func (w *enrollWizard) create() {
	w.nameErr.set("")
	w.setBusy(true)
	templateID, name := w.chosen, w.name.Text
	var created api.CreateTokenResponse
	work := func(ctx context.Context) error {
		var err error
		created, err = w.ui.session.EnrollToken(ctx, templateID, name)
		return err
	}
	if w.preset != nil {
		work = withRequest(w.preset.requestID, work)
	} else {
		work = w.ui.approvable(lang.L("Adding a sign-in method needs your confirmation."), func(d *stepUpDialog) { w.stepUp = d }, work)
	}
	w.ui.run(w.ctx, w.progress, work, func(err error) {
		w.setBusy(false)
		if req, ok := api.ApprovalPending(err); ok {
			w.sent(*req)
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
		w.created = &created
		if created.Provisioning == nil {
			w.message.show(bannerError, lang.L("The server did not send the details to set up the app. Cancel and try again."), "", nil)
			return
		}
		w.showScan()
	})
}

func (w *enrollWizard) showScan() {
	p := w.created.Provisioning
	if w.qr == nil {
		qr, err := newQRCode(p.OTPAuthURI, 220)
		if err != nil {
			w.message.show(bannerError, lang.L("The QR code cannot be shown. Enter the setup key in your app instead."), "", nil)
		}
		w.qr = qr
		w.secret = widget.NewLabel(groupSecret(p.Secret))
		w.secret.TextStyle = fyne.TextStyle{Monospace: true}
		w.secret.Wrapping = fyne.TextWrapWord
		w.secret.Selectable = true
		w.copySecret = widget.NewButtonWithIcon(lang.L("Copy key"), theme.ContentCopyIcon(), func() { w.ui.copyText(p.Secret) })
		w.copyLink = widget.NewButtonWithIcon(lang.L("Copy setup link"), theme.ContentCopyIcon(), func() { w.ui.copyText(p.OTPAuthURI) })
	}

	steps := paragraph(lang.L("1. Open your authenticator app on your phone, for example Microsoft Authenticator, Google Authenticator or Aegis.") + "\n" +
		lang.L("2. Add an account and scan this QR code.") + "\n" +
		lang.L("3. Choose Next and enter the code the app shows."))
	manual := container.NewVBox(
		widget.NewLabelWithStyle(lang.L("Can't scan it?"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		hint(setupKeyHint(w.created.Token.Type)),
		w.secret,
		container.NewHBox(w.copySecret, w.copyLink),
		hint(lang.L("The setup link opens authenticator apps on this computer. Keep the key and the link to yourself: anyone who has them can create your codes.")),
	)
	var left fyne.CanvasObject = widget.NewIcon(resources.AuthenticatorIcon)
	if w.qr != nil {
		left = w.qr
	}
	body := container.NewBorder(nil, nil, container.NewVBox(left), nil, container.NewVBox(steps, widget.NewSeparator(), manual))
	w.setStep(stepScan, lang.L("Scan the QR code"), body)
}

// setupKeyHint says how to enter the setup key by hand.
func setupKeyHint(t api.TokenType) string {
	if t == api.TypeHOTP {
		return lang.L("Enter this setup key in the app instead, and choose a counter-based key:")
	}
	return lang.L("Enter this setup key in the app instead, and choose a time-based key:")
}

func (w *enrollWizard) showActivate() {
	w.codeErr.set("")
	body := container.NewVBox(
		subheading(lang.L("Enter the code from your app")),
		paragraph(lang.L("Your authenticator app now shows a code for Selfservice. Enter it to finish: this proves the app is set up correctly.")),
		field(lang.L("Code"), w.code, w.codeErr),
	)
	w.setStep(stepActivate, lang.L("Activate"), body)
	w.ui.win.Canvas().Focus(w.code)
}

// activate sends the first code.
func (w *enrollWizard) activate() {
	w.codeErr.set("")
	w.setBusy(true)
	id, code := w.created.Token.ID, w.code.Text
	w.ui.run(w.ctx, w.progress, func(ctx context.Context) error {
		_, err := w.ui.session.ActivateToken(ctx, id, code)
		return err
	}, func(err error) {
		w.setBusy(false)
		if err != nil {
			switch {
			case errors.Is(err, api.ErrOTPInvalid), errors.Is(err, api.ErrOTPReplayed):
				w.codeErr.set(errorMessage(err))
			case fieldErrors(err)["otp"] != "":
				w.codeErr.set(fieldErrors(err)["otp"])
			default:
				w.message.show(bannerError, errorMessage(err), "", nil)
			}
			return
		}
		w.activated = true
		w.created = nil
		w.showDone()
	})
}

func (w *enrollWizard) showDone() {
	icon := widget.NewIcon(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
	text := widget.NewLabelWithStyle(lang.L("Your authenticator app is ready"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	more := paragraph(lang.L("The next time you sign in, enter the code it shows."))
	more.Alignment = fyne.TextAlignCenter
	body := container.NewCenter(withWidth(360, container.NewVBox(
		container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(64), icon)), text, more)))
	w.setStep(stepDone, lang.L("Done"), body)
}

func (w *enrollWizard) setBusy(busy bool) {
	setEnabled(w.next, !busy)
	setEnabled(w.back, !busy)
	setEnabled(w.name, !busy && w.preset == nil)
	setEnabled(w.code, !busy)
	for i, c := range w.choices {
		setEnabled(c, !busy && w.preset == nil && w.templates[i].Available())
	}
}
