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
)

// The actions of the tokens list for tokens the server sends something
// to: an SMS or email token is sent a code, which the user types; a push
// token's phone is asked to confirm, and the dialog waits for it.

// testSentCode sends a code to the SMS or email token t and checks it.
func (s *tokensScreen) testSentCode(t api.Token) {
	d := s.sentCodeDialog(t, lang.L("Test sign-in method"), lang.L("Test"),
		lang.L("Testing sends a code to “{{.Name}}” and checks the one you enter. It does not change anything.", map[string]any{"Name": tokenName(t)}),
		func(ctx context.Context, code string) error {
			_, err := s.ui.session.TestToken(ctx, t.ID, code)
			return err
		})
	d.done = func() {
		d.finish(bannerSuccess, lang.L("The code is correct: “{{.Name}}” works.", map[string]any{"Name": tokenName(t)}))
		s.load() // its last use changed
	}
}

// activateSentCode finishes the setup of a PENDING SMS or email token
// with a code sent to it.
func (s *tokensScreen) activateSentCode(t api.Token) {
	d := s.sentCodeDialog(t, lang.L("Activate sign-in method"), lang.L("Activate"),
		lang.L("We send a code to “{{.Name}}”. Enter it to finish setting it up.", map[string]any{"Name": tokenName(t)}),
		func(ctx context.Context, code string) error {
			_, err := s.ui.session.ActivateToken(ctx, t.ID, code)
			return err
		})
	d.done = func() {
		d.close()
		s.notice.show(bannerSuccess, lang.L("“{{.Name}}” is active.", map[string]any{"Name": tokenName(t)}), "", nil)
		s.load()
	}
}

// sentCodeDialog opens a dialog that sends a code to t at once, then
// checks the code entered with check. The caller sets done.
func (s *tokensScreen) sentCodeDialog(t api.Token, title, confirm, intro string, check func(ctx context.Context, code string) error) *formDialog {
	place := container.NewStack(widget.NewLabel(lang.L("Sending the code…")))
	d := newFormDialog(s.ui, s.ctx, title, confirm, container.NewVBox(paragraph(intro), place))
	d.confirm.Disable() // until the code is sent
	var sent *sentCode
	send := func(ctx context.Context) (api.CodeDelivery, error) {
		ch, err := s.ui.session.ChallengeToken(ctx, t.ID)
		if err == nil && ch.Delivery == nil {
			err = errNoDelivery()
		}
		if err != nil {
			return api.CodeDelivery{}, err
		}
		return *ch.Delivery, nil
	}
	var first func()
	first = func() {
		d.message.hide()
		var delivery api.CodeDelivery
		s.ui.run(d.ctx, d.progress, func(ctx context.Context) error {
			var err error
			delivery, err = send(ctx)
			return err
		}, func(err error) {
			if err != nil {
				d.message.show(bannerError, errorMessage(err), lang.L("Retry"), first)
				return
			}
			sent = newSentCode(s.ui, d.ctx, d.progress, delivery, send, func(err error) {
				d.message.show(bannerError, errorMessage(err), "", nil)
			})
			sent.code.OnSubmitted = func(string) { d.onConfirm() }
			d.fields["otp"] = sent.codeErr
			d.inputs = []fyne.Disableable{sent.code}
			place.Objects = []fyne.CanvasObject{sent.content()}
			place.Refresh()
			d.confirm.Enable()
			d.show() // the dialog grows to fit the code
			s.ui.win.Canvas().Focus(sent.code)
		})
	}
	d.work = func(ctx context.Context) error { return sentCodeError(check(ctx, sent.code.Text)) }
	s.openDialog(d)
	first()
	return d
}

// sentCodeError puts the errors about a sent code next to the code, in
// words about a code that came by message.
func sentCodeError(err error) error {
	switch {
	case errors.Is(err, api.ErrOTPInvalid):
		return api.FieldError(map[string]string{"otp": lang.L("That code is not correct. Enter the code from the newest message we sent you.")})
	case errors.Is(err, api.ErrCodeExpired):
		return api.FieldError(map[string]string{"otp": errorMessage(err)})
	}
	return err
}

// testPush asks the phone of the push token t to confirm, and waits for
// its answer, the dialog's busy bar running: a refusal or no answer in
// time can be sent again.
func (s *tokensScreen) testPush(t api.Token) {
	icon := container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(56), widget.NewIcon(theme.NewPrimaryThemedResource(tokenIcon(api.TypePush)))))
	title := widget.NewLabelWithStyle(lang.L("Confirm on your phone"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	text := centered("")
	body := container.NewVBox(icon, title, text)
	d := newFormDialog(s.ui, s.ctx, lang.L("Test sign-in method"), lang.L("Send again"), body)
	var answer error // how the phone answered: nil, push_denied or push_expired
	d.work = func(ctx context.Context) error {
		s.ui.do(func() {
			text.SetText(lang.L("We are sending a request to “{{.Name}}”.", map[string]any{"Name": tokenName(t)}))
		})
		ch, err := s.ui.session.ChallengeToken(ctx, t.ID)
		if err == nil && ch.Push == nil {
			err = &api.Error{Code: api.CodeBadResponse, Message: lang.L("The server did not say which request it sent to your phone. Try again.")}
		}
		if err != nil {
			return err
		}
		s.ui.do(func() {
			if ctx.Err() == nil {
				text.SetText(lang.L("Open the Selfservice Authenticator app on “{{.Name}}” and tap Approve. Testing does not change anything.", map[string]any{"Name": tokenName(t)}))
			}
		})
		answer = s.waitForPhone(ctx, t.ID, ch.Push.ID)
		if errors.Is(answer, api.ErrPushDenied) || errors.Is(answer, api.ErrPushExpired) {
			return nil // an answer, told by done
		}
		return answer
	}
	d.done = func() {
		if answer != nil {
			text.SetText(pushFailure(answer))
			d.message.show(bannerError, errorMessage(answer), "", nil)
			return
		}
		d.finish(bannerSuccess, lang.L("Your phone confirmed: “{{.Name}}” works.", map[string]any{"Name": tokenName(t)}))
		s.load() // its last use changed
	}
	s.openDialog(d)
	d.onConfirm()
}

// waitForPhone polls the test of the push token id with the request
// pushID until the phone answers (nil, or push_denied), the request
// expires (push_expired), or ctx ends. push_pending means: not yet.
func (s *tokensScreen) waitForPhone(ctx context.Context, id, pushID string) error {
	tick := time.NewTicker(pushPollEvery)
	defer tick.Stop()
	for {
		_, err := s.ui.session.TestPush(ctx, id, pushID)
		if !errors.Is(err, api.ErrPushPending) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// pushFailure says what to do after a push request failed.
func pushFailure(err error) string {
	switch {
	case errors.Is(err, api.ErrPushDenied):
		return lang.L("The request was refused on your phone.")
	case errors.Is(err, api.ErrPushExpired):
		return lang.L("Your phone did not answer in time. Check that it is online and that notifications of the app are on.")
	}
	return lang.L("The request could not be sent.")
}

// resumePush finishes connecting the phone of a PENDING push token: the
// push wizard starts at its QR code, with a new payload.
func (s *tokensScreen) resumePush(t api.Token) {
	s.notice.hide()
	w := newPushEnrollWizard(s.ui, s.ctx, api.TokenTemplate{ID: t.TemplateID, Type: t.Type}, func(activated bool) {
		s.pushWizard = nil
		if activated {
			s.notice.show(bannerSuccess, lang.L("Your phone is connected. Confirm your sign-ins in the app from now on."), "", nil)
		}
		s.load()
	})
	s.pushWizard = w
	w.resume(t)
}
