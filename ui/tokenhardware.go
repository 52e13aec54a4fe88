package ui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
)

// Adding a hardware token: the user types the serial number printed on a
// token the admin imported and the code it shows now; the token is
// ACTIVE at once.

// onAddHardware opens the dialog that adds a hardware token.
func (s *tokensScreen) onAddHardware() {
	serial, serialErr := newEntry(), newFieldError()
	serial.SetPlaceHolder(lang.L("For example: OATH-0012345"))
	otp, otpErr := newCodeEntry(), newFieldError()
	name, nameErr := newEntry(), newFieldError()
	name.SetPlaceHolder(lang.L("For example: Desk token"))
	body := container.NewVBox(
		paragraph(lang.L("Enter the serial number printed on the token and the code it shows now. If the token has a button, press it to show a code.")),
		field(lang.L("Serial number"), serial, serialErr),
		field(lang.L("Code shown on the token"), otp, otpErr),
		field(lang.L("Name (optional)"), name, nameErr),
	)
	d := newFormDialog(s.ui, s.ctx, lang.L("Add hardware token"), lang.L("Add"), body)
	d.fields["serial"] = serialErr
	d.fields["otp"] = otpErr
	d.fields["description"] = nameErr
	d.codeField = "otp"
	d.inputs = []fyne.Disableable{serial, otp, name}
	if len(s.ui.opts.DemoHardware) > 0 { // the demo panel is not on this screen: show the codes here
		demo := newDemoHardware(s.ui, s.ui.opts.DemoHardware, func(t DemoHardwareToken, code string) {
			serial.SetText(t.Serial)
			otp.SetText(code)
		})
		body.Add(widget.NewSeparator())
		body.Add(hint(lang.L("Demo mode: the codes the demo hardware tokens show now.")))
		body.Add(demo.content())
		body.Add(demo.countdown())
		s.ui.every(d.ctx, time.Second, demo.update)
	}
	var sent *api.ApprovalRequest // set when the claim went to approvers
	claim := s.approvable(lang.L("Adding a hardware token needs your confirmation."),
		func(ctx context.Context) error {
			_, err := s.ui.session.ClaimHardwareToken(ctx, serial.Text, otp.Text, name.Text)
			if req, ok := api.ApprovalPending(err); ok {
				sent = req
				return nil
			}
			return err
		})
	d.work = func(ctx context.Context) error { return claimError(claim(ctx)) }
	d.done = func() {
		d.close()
		if sent != nil {
			s.showSent(*sent)
			return
		}
		s.notice.show(bannerSuccess, lang.L("Your hardware token is added. Use its codes the next time you sign in."), "", nil)
		s.load()
	}
	for _, e := range []*entry{serial, otp, name} {
		e.OnSubmitted = func(string) { d.onConfirm() }
	}
	s.openDialog(d)
	s.ui.win.Canvas().Focus(serial)
}

// claimError puts the errors of a claim next to the field they concern,
// in words about a hardware token.
func claimError(err error) error {
	switch {
	case errors.Is(err, api.ErrNotFound):
		return api.FieldError(map[string]string{"serial": lang.L("There is no hardware token with this serial number that you can add. Check the serial number printed on the token, or ask your helpdesk.")})
	case errors.Is(err, api.ErrOTPInvalid):
		return api.FieldError(map[string]string{"otp": lang.L("That code is not correct. Enter the code the token shows now.")})
	}
	return err
}
