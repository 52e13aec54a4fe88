package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
	"selfservice/app"
	"selfservice/resources"
)

// secondFactorScreen finishes signing in with a code from one of the
// user's active tokens.
type secondFactorScreen struct {
	ui        *UI
	ctx       context.Context
	challenge *app.Challenge
	username  string

	methods  *widget.RadioGroup // nil when there is only one method
	tokenIDs map[string]string  // radio option → token id

	code     *widget.Entry
	codeErr  fieldError
	message  *banner
	submit   *widget.Button
	back     *widget.Button
	progress *busyBar
	demo     *demoPanel // nil outside demo mode
}

func newSecondFactorScreen(u *UI, ch *app.Challenge, username string) *secondFactorScreen {
	s := &secondFactorScreen{
		ui:        u,
		challenge: ch,
		username:  username,
		tokenIDs:  map[string]string{},
		code:      newCodeEntry(),
		codeErr:   newFieldError(),
		message:   newBanner(),
		progress:  newBusyBar(),
	}
	if len(ch.Methods) > 1 {
		var options []string
		for _, m := range ch.Methods {
			o := methodName(m)
			options = append(options, o)
			s.tokenIDs[o] = m.TokenID
		}
		s.methods = widget.NewRadioGroup(options, nil)
		s.methods.Required = true
		s.methods.SetSelected(options[0])
	}
	s.code.OnSubmitted = func(string) { s.onSubmit() }
	s.submit = widget.NewButtonWithIcon(lang.L("Verify"), theme.ConfirmIcon(), s.onSubmit)
	s.submit.Importance = widget.HighImportance
	s.back = widget.NewButtonWithIcon(lang.L("Back"), theme.NavigateBackIcon(), s.onBack)

	var demo []DemoInfo
	for _, d := range u.opts.Demo {
		if d.Username == username {
			demo = append(demo, d)
		}
	}
	if len(demo) > 0 {
		s.demo = newDemoPanel(u, demo, nil)
	}
	return s
}

func (s *secondFactorScreen) start() {
	if s.demo != nil {
		s.demo.start(s.ctx)
	}
	s.ui.win.Canvas().Focus(s.code)
}

// methodName shows a sign-in method as "label · kind".
func methodName(m api.LoginMethod) string {
	return m.Label + " · " + tokenTypeName(m.Type)
}

func (s *secondFactorScreen) content() fyne.CanvasObject {
	icon := widget.NewIcon(theme.NewPrimaryThemedResource(resources.AuthenticatorIcon))
	title := container.NewVBox(
		heading(lang.L("Confirm it's you")),
		muted(lang.L("Open your authenticator app and enter the code it shows for Selfservice.")),
	)
	header := container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSquareSize(48), icon), nil, title)

	var method fyne.CanvasObject
	if s.methods != nil {
		method = container.NewVBox(widget.NewLabelWithStyle(lang.L("Sign-in method"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), s.methods)
	} else {
		m := s.challenge.Methods[0]
		icon := container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(32), widget.NewIcon(resources.AuthenticatorIcon)))
		text := container.NewVBox(widget.NewLabel(tokenTypeName(m.Type)), muted(m.Label))
		method = container.NewVBox(
			widget.NewLabelWithStyle(lang.L("Sign-in method"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			container.NewBorder(nil, nil, icon, nil, text),
		)
	}

	form := container.NewVBox(
		header,
		widget.NewSeparator(),
		s.message,
		method,
		field(lang.L("Code"), s.code, s.codeErr),
		container.NewGridWithColumns(2, s.back, s.submit),
		s.progress,
	)
	card := withWidth(400, widget.NewCard("", "", container.NewPadded(form)))
	if s.demo == nil {
		return container.NewVScroll(container.NewCenter(card))
	}
	row := container.NewHBox(container.NewVBox(card), container.NewVBox(withWidth(320, s.demo.content())))
	return container.NewVScroll(container.NewCenter(row))
}

// tokenID is the chosen method's token.
func (s *secondFactorScreen) tokenID() string {
	if s.methods == nil {
		return s.challenge.Methods[0].TokenID
	}
	return s.tokenIDs[s.methods.Selected]
}

// onSubmit checks the code and, when it is right, opens the main window.
func (s *secondFactorScreen) onSubmit() {
	if s.submit.Disabled() {
		return
	}
	s.message.hide()
	s.codeErr.set("")
	tokenID, code := s.tokenID(), s.code.Text

	s.setBusy(true)
	s.ui.run(s.ctx, s.progress, func(ctx context.Context) error {
		return s.ui.session.Verify(ctx, s.challenge, tokenID, code)
	}, func(err error) {
		s.setBusy(false)
		if err != nil {
			s.showError(err)
			return
		}
		s.ui.showMain()
	})
}

func (s *secondFactorScreen) onBack() {
	s.ui.showSignIn("")
}

func (s *secondFactorScreen) showError(err error) {
	switch {
	case errors.Is(err, api.ErrLoginExpired):
		s.ui.showSignIn(errorMessage(err))
		return
	case errors.Is(err, api.ErrOTPInvalid), errors.Is(err, api.ErrOTPReplayed):
		s.codeErr.set(errorMessage(err))
		s.code.SetText("")
		s.ui.win.Canvas().Focus(s.code)
		return
	}
	if fields := fieldErrors(err); len(fields) > 0 {
		s.codeErr.set(firstOf(fields, "otp", "token_id"))
		return
	}
	msg := errorMessage(err)
	if msg == "" {
		return
	}
	if retryable(err) {
		s.message.show(bannerError, msg, lang.L("Retry"), s.onSubmit)
		return
	}
	s.message.show(bannerError, msg, "", nil)
}

func (s *secondFactorScreen) setBusy(busy bool) {
	setEnabled(s.code, !busy)
	setEnabled(s.submit, !busy)
	setEnabled(s.back, !busy)
	if s.methods != nil {
		setEnabled(s.methods, !busy)
	}
}
