package ui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
	"selfservice/resources"
)

// Steps of the push authenticator app enrollment.
const (
	pushStepName = iota + 1 // what is added, and an optional name
	pushStepScan            // the provisioning QR code, until the phone registers
	pushStepDone
)

const pushEnrollSteps = 3

// pushEnrollWizard adds the push authenticator app (seed 004): name it,
// confirm it's you (the server asks unless you signed in moments ago),
// then the phone reads the provisioning payload — the QR code on screen,
// or an email or text message sent to it — and registers; the wizard
// sees the token become ACTIVE and names the phone. The payload expires:
// the QR code counts down and "New QR code" replaces it.
type pushEnrollWizard struct {
	*wizardFrame
	template api.TokenTemplate

	// Step 1.
	name    *entry
	nameErr fieldError

	// Step 2; token is set once the PENDING token exists.
	token     api.Token
	push      api.PushProvisioning // the payload shown
	issued    time.Time            // when it was made, for the countdown
	expired   bool                 // the payload shown no longer works
	qr        *qrCode
	qrBox     *fyne.Container // the QR code, or the expired state
	timeLeft  *widget.RichText
	bar       *countdown
	renew     *widget.Button
	copyLink  *widget.Button
	sendEmail *widget.Button
	sendSMS   *widget.Button
	waiting   *busyBar
	sendForm  *formDialog        // the open "Send by…" dialog, if any
	stopScan  context.CancelFunc // ends the countdown and the watch

	// Step 3.
	device api.Token // the ACTIVE token
}

// newPushEnrollWizard builds the wizard for template t, of type push;
// onClose is called once, when it is finished or cancelled, on the UI
// thread.
func newPushEnrollWizard(u *UI, parent context.Context, t api.TokenTemplate, onClose func(activated bool)) *pushEnrollWizard {
	w := &pushEnrollWizard{
		wizardFrame: newWizardFrame(u, parent, lang.L("Add authenticator app with push"), pushEnrollSteps, fyne.NewSize(700, 580), onClose),
		template:    t,
		name:        newEntry(),
		nameErr:     newFieldError(),
		qrBox:       container.NewStack(),
		timeLeft:    hint(""),
		bar:         newCountdown(),
		waiting:     newBusyBar(),
	}
	w.timeLeft.Wrapping = fyne.TextWrapOff
	w.name.SetPlaceHolder(lang.L("For example: Work phone"))
	w.name.OnSubmitted = func(string) { w.onNext() }
	w.renew = widget.NewButtonWithIcon(lang.L("New QR code"), theme.ViewRefreshIcon(), w.onRenew)
	w.copyLink = widget.NewButtonWithIcon(lang.L("Copy link"), theme.ContentCopyIcon(), func() { w.ui.copyText(w.copyLink, w.push.URI) })
	w.sendEmail = widget.NewButtonWithIcon(lang.L("Send by email…"), theme.MailSendIcon(), func() { w.onSend(api.ChannelEmail) })
	w.sendSMS = widget.NewButtonWithIcon(lang.L("Send by SMS…"), resources.TextMessageIcon, func() { w.onSend(api.ChannelSMS) })
	w.forward = w.stepForward
	w.stopping = w.endScan
	return w
}

func (w *pushEnrollWizard) show() {
	w.open()
	w.showName()
	if w.preset != nil {
		w.name.SetText(w.preset.description)
		w.create()
	}
}

// resume opens the wizard at the QR code of the PENDING push token t,
// whose enrollment was not finished; cancelling keeps the token.
func (w *pushEnrollWizard) resume(t api.Token) {
	w.token = t
	w.open()
	w.showStep(pushStepScan, lang.L("Scan the QR code"), container.NewCenter(widget.NewLabel(lang.L("Making a new QR code…"))))
	w.next.Hide()
	var first func()
	first = func() {
		w.provision("", "", func(resp api.ProvisioningResponse) {
			w.showScan(resp.Push)
		}, func(err error) {
			w.message.show(bannerError, errorMessage(err), lang.L("Retry"), first)
		})
	}
	first()
}

func (w *pushEnrollWizard) showName() {
	box := container.NewVBox(
		templateSummary(w.template),
		hint(templateUsage(w.template)),
		widget.NewSeparator(),
		paragraph(lang.L("You need the Selfservice Authenticator app on your phone. Install it first; in the next step, the app scans a QR code to connect to your account.")),
		field(lang.L("Name (optional)"), w.name, w.nameErr),
		hint(lang.L("Leave it empty to use the name of your phone.")),
	)
	w.showStep(pushStepName, lang.L("Name"), box)
	w.setBusy(false)
	w.ui.win.Canvas().Focus(w.name)
}

func (w *pushEnrollWizard) stepForward() {
	switch w.step {
	case pushStepName:
		w.create()
	case pushStepDone:
		w.close()
	}
}

// create enrolls the push token: its answer carries the first payload.
func (w *pushEnrollWizard) create() {
	templateID, name := w.template.ID, w.name.Text
	createToken(w.wizardFrame, w.setBusy, lang.L("Setting up the authenticator app lets your phone sign you in, so it needs your confirmation."), map[string]fieldError{"description": w.nameErr}, func(ctx context.Context) (api.CreateTokenResponse, error) {
		return w.ui.session.EnrollToken(ctx, templateID, name)
	}, func(created api.CreateTokenResponse) {
		w.token = created.Token
		id := created.Token.ID
		w.abandon = func(ctx context.Context) error { return w.ui.session.DeleteToken(ctx, id) }
		if created.Push == nil {
			w.message.show(bannerError, lang.L("The server did not send the QR code for your phone. Cancel and try again."), "", nil)
			w.next.Disable()
			return
		}
		w.showScan(*created.Push)
	})
}

// showScan shows the payload and watches for the phone.
func (w *pushEnrollWizard) showScan(p api.PushProvisioning) {
	w.setPush(p)
	steps := paragraph(lang.L("1. Open the Selfservice Authenticator app on your phone.") + "\n" +
		lang.L("2. Choose Add account and scan this QR code.") + "\n" +
		lang.L("3. That's it: this window goes on by itself once your phone is connected."))
	other := container.NewVBox(
		widget.NewLabelWithStyle(lang.L("Can't scan it?"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		hint(lang.L("Send the QR code to your phone, or copy the link to open it there. Keep the link to yourself: whoever opens it first connects their phone to your account.")),
		container.NewHBox(w.sendEmail, w.sendSMS),
		container.NewHBox(w.copyLink),
	)
	waitText := widget.NewLabelWithStyle(lang.L("Waiting for your phone…"), fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	left := container.NewVBox(w.qrBox, container.NewBorder(nil, nil, nil, w.timeLeft, w.bar), container.NewCenter(w.renew))
	right := container.NewVBox(steps, widget.NewSeparator(), other, widget.NewSeparator(), waitText, w.waiting)
	w.showStep(pushStepScan, lang.L("Scan the QR code"), container.NewBorder(nil, nil, withWidth(240, left), nil, right))
	w.next.Hide() // the phone moves the wizard on
	w.startScan()
}

// setPush shows a new payload; the one before no longer works.
func (w *pushEnrollWizard) setPush(p api.PushProvisioning) {
	w.push, w.issued, w.expired = p, w.ui.now(), false
	w.renew.Importance = widget.MediumImportance
	w.renew.Refresh()
	qr, err := newQRCode(p.URI, 220)
	w.qr = qr
	if err != nil {
		w.message.show(bannerError, lang.L("The QR code cannot be shown. Send it to your phone instead."), "", nil)
		w.qrBox.Objects = []fyne.CanvasObject{container.NewCenter(widget.NewIcon(resources.PushIcon))}
	} else {
		w.qrBox.Objects = []fyne.CanvasObject{container.NewCenter(qr)}
	}
	w.qrBox.Refresh()
	w.tick()
}

// startScan runs the countdown and the watch for the phone until the
// step ends.
func (w *pushEnrollWizard) startScan() {
	w.endScan()
	ctx, stop := context.WithCancel(w.ctx)
	w.stopScan = stop
	w.ui.every(ctx, time.Second, w.tick)
	go w.watch(ctx, w.token.ID)
	w.waiting.set(true)
}

// endScan stops the countdown and the watch.
func (w *pushEnrollWizard) endScan() {
	if w.stopScan != nil {
		w.stopScan()
		w.stopScan = nil
	}
	w.waiting.set(false)
}

// watch asks for the token until the phone has made it ACTIVE, off the
// UI thread, until ctx ends.
func (w *pushEnrollWizard) watch(ctx context.Context, id string) {
	repeat(ctx, pushPollEvery, func() bool {
		tok, err := w.ui.session.Token(ctx, id)
		switch {
		case err == nil && tok.Status == api.StatusActive:
			w.ui.do(func() {
				if ctx.Err() == nil {
					w.registered(tok)
				}
			})
			return false
		case errors.Is(err, api.ErrNotFound):
			w.ui.do(func() {
				if ctx.Err() == nil {
					w.endScan()
					w.message.show(bannerError, lang.L("This sign-in method was deleted meanwhile. Cancel and start again."), "", nil)
				}
			})
			return false
		}
		return true // other failures (the network, for one) are tried again
	})
}

// tick counts the payload's time down, and shows when it has expired.
func (w *pushEnrollWizard) tick() {
	now := w.ui.now()
	left := w.push.ExpiresAt.Sub(now)
	if left <= 0 {
		w.bar.set(0)
		setStyledText(w.timeLeft, lang.L("Expired"))
		if !w.expired {
			w.expired = true
			w.showExpired()
		}
		return
	}
	if total := w.push.ExpiresAt.Sub(w.issued); total > 0 {
		w.bar.set(float64(left) / float64(total))
	}
	setStyledText(w.timeLeft, lang.L("Valid for {{.Left}}", map[string]any{"Left": clockDuration(left)}))
}

// showExpired replaces the QR code, which no longer works, by a clear
// state that says so.
func (w *pushEnrollWizard) showExpired() {
	icon := container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(48), widget.NewIcon(theme.NewWarningThemedResource(theme.HistoryIcon()))))
	title := widget.NewLabelWithStyle(lang.L("This QR code has expired"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	more := centered(lang.L("For your safety it worked for a few minutes only. Make a new one to go on."))
	w.qrBox.Objects = []fyne.CanvasObject{container.NewCenter(withWidth(220, container.NewVBox(icon, title, more)))}
	w.qrBox.Refresh()
	w.renew.Importance = widget.HighImportance
	w.renew.Refresh()
}

// onRenew replaces the payload by a new one.
func (w *pushEnrollWizard) onRenew() {
	w.provision("", "", func(resp api.ProvisioningResponse) {
		w.message.hide()
	}, func(err error) {
		w.message.show(bannerError, errorMessage(err), lang.L("Retry"), w.onRenew)
	})
}

// renewing makes a call for a new payload approvable: the server asks for
// a step-up when the sign-in is no longer recent, as for the enrollment.
func (w *pushEnrollWizard) renewing(work func(ctx context.Context) error) func(ctx context.Context) error {
	return w.ui.approvable(lang.L("A new QR code lets your phone sign you in, so it needs your confirmation."), func(d *stepUpDialog) { w.stepUp = d }, work)
}

// provision asks for a new payload, sent on channel to address when
// channel is set, and shows it.
func (w *pushEnrollWizard) provision(channel, address string, done func(api.ProvisioningResponse), failed func(error)) {
	w.setBusy(true)
	id := w.token.ID
	var resp api.ProvisioningResponse
	w.run(w.renewing(func(ctx context.Context) error {
		var err error
		resp, err = w.ui.session.NewProvisioning(ctx, id, channel, address)
		return err
	}), func(err error) {
		w.setBusy(false)
		if err != nil {
			failed(err)
			return
		}
		w.setPush(resp.Push)
		done(resp)
	})
}

// onSend asks where to send the payload, and sends a new one there.
func (w *pushEnrollWizard) onSend(channel string) {
	address, addressErr := newEntry(), newFieldError()
	title, text, label := lang.L("Send the QR code by email"),
		lang.L("We email the QR code and a link to this address. Open the email on your phone and tap the link, or scan the QR code in it from another screen."),
		lang.L("Email address")
	address.SetPlaceHolder("name@example.com")
	if channel == api.ChannelSMS {
		title, text, label = lang.L("Send a link by text message"),
			lang.L("We text a link to this number. Open it on the phone where the app is installed."),
			lang.L("Mobile number")
		address.SetPlaceHolder("+49 151 12345678")
	}
	body := container.NewVBox(
		paragraph(text),
		field(label, address, addressErr),
		hint(lang.L("A new QR code is made for it: the one on the screen now stops working, and this screen shows the new one.")),
	)
	d := newFormDialog(w.ui, w.ctx, title, lang.L("Send"), body)
	d.fields["address"] = addressErr
	d.inputs = []fyne.Disableable{address}
	var resp api.ProvisioningResponse
	id := w.token.ID
	d.work = w.renewing(func(ctx context.Context) error {
		if _, err := api.NormalizeAddress(channel, address.Text); err != nil {
			return err
		}
		var err error
		resp, err = w.ui.session.NewProvisioning(ctx, id, channel, address.Text)
		return err
	})
	d.done = func() {
		d.close()
		w.setPush(resp.Push)
		w.message.show(bannerSuccess, lang.L("Sent to {{.To}}. Open it on your phone; the QR code on this screen works too.", map[string]any{"To": resp.SentTo}), "", nil)
	}
	address.OnSubmitted = func(string) { d.onConfirm() }
	w.sendForm = d
	d.dlg.SetOnClosed(func() {
		if w.sendForm == d {
			w.sendForm = nil
		}
	})
	d.show()
	w.ui.win.Canvas().Focus(address)
}

// registered follows the phone's registration: the token is ACTIVE.
func (w *pushEnrollWizard) registered(tok api.Token) {
	w.endScan()
	if w.sendForm != nil {
		w.sendForm.close()
	}
	w.device = tok
	w.activated = true
	w.abandon = nil
	w.wizardFrame.showDone(lang.L("Your phone is connected"),
		centered(lang.L("“{{.Name}}” confirms your sign-ins from now on: when you sign in, tap Approve in the app.", map[string]any{"Name": tokenName(tok)})),
	)
}

func (w *pushEnrollWizard) setBusy(busy bool) {
	w.wizardFrame.setBusy(busy, true)
	setEnabled(w.name, !busy && w.preset == nil)
	for _, b := range []*widget.Button{w.renew, w.sendEmail, w.sendSMS} {
		setEnabled(b, !busy)
	}
}
