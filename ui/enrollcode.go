package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
	"selfservice/app"
)

// Steps of the SMS and email token enrollment.
const (
	codeStepAddress = iota + 1 // where the codes go, and an optional name
	codeStepCode               // the first code, sent there
	codeStepDone
)

const codeEnrollSteps = 3

// codeEnrollWizard adds a token whose codes the server sends by text
// message or email: choose the phone number or address (one of the
// user's confirmed contact details when the template takes only those,
// see addressPicker), enter the code sent there, done. The PENDING token
// is deleted again when the user cancels or goes back to correct the
// address.
type codeEnrollWizard struct {
	*wizardFrame
	template api.TokenTemplate
	channel  string // api.ChannelSMS or api.ChannelEmail

	// Step 1.
	picker  *addressPicker
	name    *entry
	nameErr fieldError

	// Step 2; created is set while the PENDING token exists.
	created  *api.CreateTokenResponse
	sent     *sentCode
	stopSent context.CancelFunc // ends the countdowns of sent
}

// newCodeEnrollWizard builds the wizard for template t, of type SMS or
// email; onClose is called once, when it is finished or cancelled, on
// the UI thread.
func newCodeEnrollWizard(u *UI, parent context.Context, t api.TokenTemplate, onClose func(activated bool)) *codeEnrollWizard {
	title := lang.L("Add text message codes")
	if t.Type == api.TypeEmail {
		title = lang.L("Add email codes")
	}
	label := lang.L("Mobile number")
	if t.Type == api.TypeEmail {
		label = lang.L("Email address")
	}
	w := &codeEnrollWizard{
		wizardFrame: newWizardFrame(u, parent, title, codeEnrollSteps, fyne.NewSize(620, 520), onClose),
		template:    t,
		channel:     t.Type.Channel(),
		picker:      newAddressPicker(t.Type.Channel(), label),
		name:        newEntry(),
		nameErr:     newFieldError(),
	}
	w.picker.entry.OnSubmitted = func(string) { w.onNext() }
	w.name.SetPlaceHolder(lang.L("For example: Work phone"))
	w.name.OnSubmitted = func(string) { w.onNext() }
	w.forward = w.stepForward
	w.backward = w.stepBack
	return w
}

// show opens the wizard. openContacts, when not nil, goes to Contact
// details (to add an address the template takes); the wizard is cancelled
// first.
func (w *codeEnrollWizard) show(openContacts func()) {
	if openContacts != nil {
		w.picker.openContacts = func() {
			w.onCancel()
			openContacts()
		}
	}
	w.open()
	if w.preset != nil {
		w.picker.set(app.AddressChoice{}) // the approved address, in the field
		w.showAddress()
		w.applyPreset()
		return
	}
	w.showAddress()
	w.loadChoice()
}

// loadChoice looks up where the codes may go.
func (w *codeEnrollWizard) loadChoice() {
	w.setBusy(true)
	var choice app.AddressChoice
	w.run(func(ctx context.Context) error {
		var err error
		choice, err = w.ui.session.AddressChoice(ctx, w.template)
		return err
	}, func(err error) {
		if err != nil {
			w.setBusy(false)
			w.message.show(bannerError, errorMessage(err), lang.L("Try again"), w.loadChoice)
			return
		}
		w.picker.set(choice)
		w.setBusy(false)
		w.picker.focus(w.ui.win.Canvas())
	})
}

// applyPreset fills in what the approvers approved, the address being
// one of the request's parameters, and creates the token at once.
func (w *codeEnrollWizard) applyPreset() {
	w.name.SetText(w.preset.description)
	w.setBusy(true)
	var req api.ApprovalRequest
	w.run(func(ctx context.Context) error {
		var err error
		req, err = w.ui.session.Request(ctx, w.preset.requestID)
		return err
	}, func(err error) {
		w.setBusy(false)
		if err != nil {
			w.message.show(bannerError, requestErrorMessage(err), lang.L("Retry"), w.applyPreset)
			return
		}
		w.picker.entry.SetText(req.Parameters["address"])
		w.create()
	})
}

func (w *codeEnrollWizard) showAddress() {
	box := container.NewVBox(
		templateSummary(w.template),
		hint(templateUsage(w.template)),
		widget.NewSeparator(),
		w.picker.content(),
		field(lang.L("Name (optional)"), w.name, w.nameErr),
	)
	w.showStep(codeStepAddress, lang.L("Where to send the codes"), box)
	w.next.SetText(lang.L("Send code"))
	w.setBusy(false)
	w.picker.focus(w.ui.win.Canvas())
}

func (w *codeEnrollWizard) stepForward() {
	switch w.step {
	case codeStepAddress:
		w.create()
	case codeStepCode:
		w.activate()
	case codeStepDone:
		w.close()
	}
}

// stepBack leaves the code to correct the address: the token made for
// the old one is deleted.
func (w *codeEnrollWizard) stepBack() {
	if w.step != codeStepCode {
		return
	}
	w.endCode()
	if abandon := w.abandon; abandon != nil {
		w.abandon, w.created = nil, nil
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			// When this fails the token stays, not activated, in the
			// list, which offers to delete it.
			_ = abandon(ctx)
		}()
	}
	w.showAddress()
}

// create checks the address, enrolls the token and waits for the first
// code.
func (w *codeEnrollWizard) create() {
	w.picker.err.set("")
	w.nameErr.set("")
	if _, err := api.NormalizeAddress(w.channel, w.picker.address()); err != nil {
		w.picker.err.set(fieldErrors(err)["address"])
		return
	}
	name, address, template := w.name.Text, w.picker.address(), w.template
	fields := map[string]fieldError{"address": w.picker.err, "description": w.nameErr}
	createToken(w.wizardFrame, w.setBusy, lang.L("Adding a sign-in method needs your confirmation."), fields, func(ctx context.Context) (api.CreateTokenResponse, error) {
		return w.ui.session.EnrollCodeToken(ctx, template, name, address)
	}, func(created api.CreateTokenResponse) {
		w.created = &created
		id := created.Token.ID
		w.abandon = func(ctx context.Context) error { return w.ui.session.DeleteToken(ctx, id) }
		if created.Delivery == nil {
			w.message.show(bannerError, lang.L("The server did not say where it sent the code. Cancel and try again."), "", nil)
			w.next.Disable()
			return
		}
		w.showCode(*created.Delivery)
	})
}

// showCode asks for the code sent to the new token.
func (w *codeEnrollWizard) showCode(d api.CodeDelivery) {
	w.endCode()
	ctx, stop := context.WithCancel(w.ctx)
	w.stopSent = stop
	id := w.created.Token.ID
	w.sent = newSentCode(w.ui, ctx, w.progress, d, func(ctx context.Context) (api.CodeDelivery, error) {
		ch, err := w.ui.session.ChallengeToken(ctx, id)
		if err == nil && ch.Delivery == nil {
			err = errNoDelivery()
		}
		if err != nil {
			return api.CodeDelivery{}, err
		}
		return *ch.Delivery, nil
	}, func(err error) { w.message.show(bannerError, errorMessage(err), "", nil) })
	w.sent.code.OnSubmitted = func(string) { w.onNext() }
	body := container.NewVBox(
		subheading(lang.L("Enter the code we sent")),
		w.sent.content(),
		hint(lang.L("Wrong number or address? Go back and correct it.")),
	)
	w.showStep(codeStepCode, lang.L("Enter the code"), body)
	w.back.Hidden = w.preset != nil // the approved address cannot change
	w.next.SetText(lang.L("Activate"))
	w.ui.win.Canvas().Focus(w.sent.code)
}

// errNoDelivery answers a challenge that says nothing about the code.
func errNoDelivery() error {
	return &api.Error{Code: api.CodeBadResponse, Message: lang.L("The server did not say where it sent the code. Try again.")}
}

// endCode stops the countdowns of the code step.
func (w *codeEnrollWizard) endCode() {
	if w.stopSent != nil {
		w.stopSent()
		w.stopSent = nil
	}
}

// activate sends the code.
func (w *codeEnrollWizard) activate() {
	w.sent.codeErr.set("")
	w.setBusy(true)
	id, code := w.created.Token.ID, w.sent.code.Text
	w.run(func(ctx context.Context) error {
		_, err := w.ui.session.ActivateToken(ctx, id, code)
		return err
	}, func(err error) {
		w.setBusy(false)
		if err != nil {
			if !w.sent.showError(err) {
				w.message.show(bannerError, errorMessage(err), "", nil)
			}
			return
		}
		w.activated = true
		w.abandon = nil
		w.endCode()
		w.showDone()
	})
}

func (w *codeEnrollWizard) showDone() {
	headline := lang.L("Text message codes are set up")
	more := lang.L("The next time you sign in, choose this method and enter the code we send to {{.To}}.", map[string]any{"To": w.sent.delivery.SentTo})
	if w.channel == api.ChannelEmail {
		headline = lang.L("Email codes are set up")
	}
	w.wizardFrame.showDone(headline, centered(more))
}

// setBusy disables the step while a call runs; the first step's Next
// also waits for an address to send to.
func (w *codeEnrollWizard) setBusy(busy bool) {
	w.wizardFrame.setBusy(busy, w.step != codeStepAddress || w.picker.ready())
	w.picker.setEnabled(!busy && w.preset == nil)
	setEnabled(w.name, !busy && w.preset == nil)
	if w.sent != nil {
		w.sent.setBusy(busy)
	}
}
