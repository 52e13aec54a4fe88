package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"selfservice/api"
	"selfservice/app"
)

// onChangeAddress moves the codes of the SMS or email token t to another
// phone number or email address: the user chooses it (one of their
// confirmed contact details when its template takes only those, see
// addressPicker), a code is sent there, and only that code moves the
// token; until then its codes keep going to the old address.
func (s *tokensScreen) onChangeAddress(t api.Token) {
	channel := t.Type.Channel()
	current := api.MaskAddress(channel, t.Address)
	title, label := lang.L("Change the number"), lang.L("New mobile number")
	intro := lang.L("The codes of “{{.Name}}” go to {{.Address}}. We send a code to the new number to confirm it. Until then, the codes keep going to the old number.",
		map[string]any{"Name": tokenName(t), "Address": current})
	warning := lang.L("If you have an emergency access code, it stops working when the number changes.")
	if channel == api.ChannelEmail {
		title, label = lang.L("Change the address"), lang.L("New email address")
		intro = lang.L("The codes of “{{.Name}}” go to {{.Address}}. We send a code to the new address to confirm it. Until then, the codes keep going to the old address.",
			map[string]any{"Name": tokenName(t), "Address": current})
		warning = lang.L("If you have an emergency access code, it stops working when the address changes.")
	}
	picker := newAddressPicker(channel, label)
	picker.moving = true
	place := container.NewStack(container.NewVBox(
		paragraph(intro),
		picker.content(),
		styledText(warning, theme.ColorNameWarning, theme.SizeNameCaptionText),
	))
	d := newFormDialog(s.ui, s.ctx, title, lang.L("Send code"), place)
	d.fields["address"] = picker.err
	d.inputs = picker.inputs()
	if s.openContacts != nil {
		picker.openContacts = func() {
			d.close()
			s.openContacts()
		}
	}
	// Moving the codes is approvable, each code sent: a stolen session
	// must not take them over without another sign-in method.
	purpose := lang.L("Changing where the codes of “{{.Name}}” go needs your confirmation.", map[string]any{"Name": tokenName(t)})
	var pending *api.ApprovalRequest // set when the change went to approvers
	send := func(ctx context.Context) (api.CodeDelivery, error) {
		var ch api.ChallengeResponse
		err := s.approvable(purpose, func(ctx context.Context) error {
			var err error
			ch, err = s.ui.session.ChangeAddress(ctx, t, picker.address())
			return err
		})(ctx)
		if req, ok := api.ApprovalPending(err); ok {
			pending = req
			return api.CodeDelivery{}, nil
		}
		if err == nil && ch.Delivery == nil {
			err = errNoDelivery()
		}
		if err != nil {
			return api.CodeDelivery{}, err
		}
		return *ch.Delivery, nil
	}
	var delivery api.CodeDelivery
	d.work = func(ctx context.Context) error {
		var err error
		delivery, err = send(ctx)
		return err
	}
	sentToApprovers := func() {
		d.close()
		s.showSent(*pending)
	}
	d.done = func() {
		if pending != nil {
			sentToApprovers()
			return
		}
		resend := func(ctx context.Context) (api.CodeDelivery, error) {
			d, err := send(ctx)
			if err == nil && pending != nil {
				err = errSentToApprovers
			}
			return d, err
		}
		sent := newSentCode(s.ui, d.ctx, d.progress, delivery, resend, func(err error) {
			if errors.Is(err, errSentToApprovers) {
				sentToApprovers()
				return
			}
			d.message.show(bannerError, errorMessage(err), "", nil)
		})
		sent.code.OnSubmitted = func(string) { d.onConfirm() }
		place.Objects = []fyne.CanvasObject{container.NewVBox(
			paragraph(lang.L("Enter the code we sent to the new address to confirm it.")),
			sent.content(),
			styledText(warning, theme.ColorNameWarning, theme.SizeNameCaptionText),
		)}
		place.Refresh()
		d.confirm.SetText(lang.L("Confirm"))
		d.fields = map[string]fieldError{"otp": sent.codeErr}
		d.inputs = []fyne.Disableable{sent.code}
		var moved api.Token
		d.work = func(ctx context.Context) error {
			var err error
			moved, err = s.ui.session.ConfirmAddress(ctx, t.ID, sent.code.Text)
			return sentCodeError(err)
		}
		d.done = func() {
			d.close()
			s.notice.show(bannerSuccess, lang.L("“{{.Name}}” now sends its codes to {{.Address}}.",
				map[string]any{"Name": tokenName(moved), "Address": api.MaskAddress(channel, moved.Address)}), "", nil)
			s.load()
		}
		d.show() // the dialog grows to fit the code
		s.ui.win.Canvas().Focus(sent.code)
	}
	picker.entry.OnSubmitted = func(string) { d.onConfirm() }
	s.openDialog(d)
	s.loadMoveChoice(d, picker, t)
}

// loadMoveChoice looks up where the codes of t may move, for the dialog
// d that shows picker.
func (s *tokensScreen) loadMoveChoice(d *formDialog, picker *addressPicker, t api.Token) {
	d.message.hide()
	d.setBusy(true)
	var choice app.AddressChoice
	s.ui.run(d.ctx, d.progress, func(ctx context.Context) error {
		var err error
		choice, err = s.ui.session.MoveChoice(ctx, t)
		return err
	}, func(err error) {
		if err != nil {
			d.message.show(bannerError, errorMessage(err), lang.L("Try again"), func() { s.loadMoveChoice(d, picker, t) })
			return
		}
		picker.set(choice)
		d.inputs = picker.inputs()
		d.setBusy(false)
		setEnabled(d.confirm, picker.ready())
		d.show() // the dialog grows to fit the choice
		picker.focus(s.ui.win.Canvas())
	})
}

// errSentToApprovers ends a resend that went to approvers instead.
var errSentToApprovers = errors.New("sent to approvers")
