package ui

import (
	"context"
	"errors"
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
	"selfservice/resources"
)

// Steps of the authenticator app enrollment.
const (
	stepName     = iota + 1 // what is added, and an optional name
	stepScan                // QR code, setup key and link
	stepActivate            // first code
	stepDone
)

const enrollSteps = 4

// enrollWizard adds an authenticator app of a chosen template: name it,
// scan the QR code (or type the key), enter the first code, done. A
// token created but not activated when the wizard is cancelled is
// deleted again.
type enrollWizard struct {
	*wizardFrame
	template api.TokenTemplate

	// Step 1.
	name    *entry
	nameErr fieldError

	// Step 2; created is set once the token exists.
	created    *api.CreateTokenResponse
	qr         *qrCode
	secret     *widget.Label
	copySecret *widget.Button
	copyLink   *widget.Button

	// Step 3.
	code    *entry
	codeErr fieldError
}

// newEnrollWizard builds the wizard for template t; onClose is called
// once, when it is finished or cancelled, on the UI thread.
func newEnrollWizard(u *UI, parent context.Context, t api.TokenTemplate, onClose func(activated bool)) *enrollWizard {
	w := &enrollWizard{
		wizardFrame: newWizardFrame(u, parent, lang.L("Add authenticator app"), enrollSteps, fyne.NewSize(680, 540), onClose),
		template:    t,
		name:        newEntry(),
		nameErr:     newFieldError(),
		code:        newCodeEntry(),
		codeErr:     newFieldError(),
	}
	w.name.SetPlaceHolder(lang.L("For example: Work phone"))
	w.name.OnSubmitted = func(string) { w.onNext() }
	w.code.OnSubmitted = func(string) { w.onNext() }
	w.forward = w.stepForward
	w.backward = w.stepBack
	return w
}

func (w *enrollWizard) show() {
	w.open()
	w.showName()
	if w.preset != nil {
		w.name.SetText(w.preset.description)
		w.create()
	}
}

func (w *enrollWizard) showName() {
	box := container.NewVBox(
		templateSummary(w.template),
		hint(templateUsage(w.template)),
		widget.NewSeparator(),
		field(lang.L("Name (optional)"), w.name, w.nameErr),
		hint(lang.L("A name helps you tell your sign-in methods apart, for example the phone the app is on.")),
	)
	w.showStep(stepName, lang.L("Name"), box)
	w.setBusy(false)
	w.ui.win.Canvas().Focus(w.name)
}

// otpIssuer is the name the authenticator app shows beside the new
// codes: the issuer of the setup link, the organisation.
func otpIssuer(uri string) string {
	if u, err := url.Parse(uri); err == nil && u.Query().Get("issuer") != "" {
		return u.Query().Get("issuer")
	}
	return lang.L("Selfservice")
}

// templateUsage says how many of a template the user has, and may have.
func templateUsage(t api.TokenTemplate) string {
	if t.MaxPerUser == 0 {
		return lang.L("{{.InUse}} in use; there is no limit.", map[string]any{"InUse": t.InUse})
	}
	return lang.L("{{.InUse}} of {{.Max}} in use.", map[string]any{"InUse": t.InUse, "Max": t.MaxPerUser})
}

func (w *enrollWizard) stepForward() {
	switch w.step {
	case stepName:
		w.create()
	case stepScan:
		w.showActivate()
	case stepActivate:
		w.activate()
	case stepDone:
		w.close()
	}
}

func (w *enrollWizard) stepBack() {
	if w.step == stepActivate {
		w.showScan()
	}
}

// create enrolls a token from the template.
func (w *enrollWizard) create() {
	templateID, name := w.template.ID, w.name.Text
	createToken(w.wizardFrame, w.setBusy, lang.L("Adding a sign-in method needs your confirmation."), map[string]fieldError{"description": w.nameErr}, func(ctx context.Context) (api.CreateTokenResponse, error) {
		return w.ui.session.EnrollToken(ctx, templateID, name)
	}, func(created api.CreateTokenResponse) {
		w.created = &created
		id := created.Token.ID
		w.abandon = func(ctx context.Context) error { return w.ui.session.DeleteToken(ctx, id) }
		if created.Provisioning == nil {
			w.message.show(bannerError, lang.L("The server did not send the details to set up the app. Cancel and try again."), "", nil)
			w.next.Disable()
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
		w.copySecret = widget.NewButtonWithIcon(lang.L("Copy key"), theme.ContentCopyIcon(), func() { w.ui.copyText(w.copySecret, p.Secret) })
		w.copyLink = widget.NewButtonWithIcon(lang.L("Copy setup link"), theme.ContentCopyIcon(), func() { w.ui.copyText(w.copyLink, p.OTPAuthURI) })
	}

	steps := paragraph(appsHint(w.created.Token.Type) + "\n" +
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
	w.showStep(stepScan, lang.L("Scan the QR code"), body)
}

// appsHint is the first step of setting up the app: which apps to use.
// Counter-based (HOTP) codes are not offered by every app: Microsoft
// Authenticator and Authy have none, Aegis, FreeOTP and Google
// Authenticator have them.
func appsHint(t api.TokenType) string {
	if t == api.TypeHOTP {
		return lang.L("1. Open an authenticator app on your phone that makes counter-based codes, for example Aegis, FreeOTP or Google Authenticator. Microsoft Authenticator and Authy cannot.")
	}
	return lang.L("1. Open your authenticator app on your phone, for example Microsoft Authenticator, Google Authenticator or Aegis.")
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
		paragraph(lang.L("Your authenticator app now shows a code for {{.Issuer}}. Enter it to finish: this proves the app is set up correctly.", map[string]any{"Issuer": otpIssuer(w.created.Provisioning.OTPAuthURI)})),
		field(lang.L("Code"), w.code, w.codeErr),
	)
	w.showStep(stepActivate, lang.L("Activate"), body)
	w.back.Show()
	w.next.SetText(lang.L("Activate"))
	w.ui.win.Canvas().Focus(w.code)
}

// activate sends the first code.
func (w *enrollWizard) activate() {
	w.codeErr.set("")
	w.setBusy(true)
	id, code := w.created.Token.ID, w.code.Text
	w.run(func(ctx context.Context) error {
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
		w.abandon = nil
		w.showDone(lang.L("Your authenticator app is ready"), centered(lang.L("The next time you sign in, enter the code it shows.")))
	})
}

func (w *enrollWizard) setBusy(busy bool) {
	w.wizardFrame.setBusy(busy, true)
	setEnabled(w.name, !busy && w.preset == nil)
	setEnabled(w.code, !busy)
}
