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
	"selfservice/app"
	"selfservice/hw"
)

// secondFactorScreen finishes signing in with a code from one of the
// user's active tokens.
type secondFactorScreen struct {
	ui        *UI
	ctx       context.Context
	challenge *app.Challenge
	username  string

	methods *methodPicker // nil when there is only one method

	icon      *widget.Icon     // the chosen method's kind
	intro     *widget.RichText // what to do with the chosen method
	code      *entry
	codeErr   fieldError
	codeField *fyne.Container // shown when the method shows codes
	proof     *methodProof    // the code field, a sent code or the push waiting for the phone
	busy      bool

	emergency      *entry // an emergency access code
	emergencyErr   fieldError
	emergencyField *fyne.Container // shown when the method is the emergency access code
	message        *banner
	submit         *widget.Button
	back           *widget.Button
	progress       *busyBar
	demo           *demoPanel // nil outside demo mode

	ceremony *keyDialog // the sign-in with a security key, while it runs
	scroll   *container.Scroll

	// locks are the methods too many wrong codes locked, by token id,
	// until when; signInLock is set once the sign-in itself is over.
	locks      map[string]time.Time
	signInLock *api.Lock
	stopClock  context.CancelFunc // the countdown of a lock shown
	lockShown  bool               // the message shows a lock
}

func newSecondFactorScreen(u *UI, ch *app.Challenge, username string) *secondFactorScreen {
	s := &secondFactorScreen{
		ui:        u,
		challenge: ch,
		username:  username,
		locks:     map[string]time.Time{},
		code:      newCodeEntry(),
		codeErr:   newFieldError(),
		message:   newBanner(),
		progress:  newBusyBar(),

		emergency:    newEmergencyCodeEntry(),
		emergencyErr: newFieldError(),
	}
	if len(ch.Methods) > 1 {
		s.methods = newMethodPicker(ch.Methods, nil)
		s.methods.selectID(preferred(ch.Methods).TokenID)
	}
	s.icon = widget.NewIcon(nil)
	s.intro = muted("")
	s.codeField = field(lang.L("Code"), s.code, s.codeErr)
	s.code.OnSubmitted = func(string) { s.onSubmit() }
	s.proof = newMethodProof(u, s.code, s.codeField, s.progress, lang.L("Confirm on your phone: Sign in as {{.User}}", map[string]any{"User": username}))
	s.proof.prepare = func(ctx context.Context, tokenID string) (api.ChallengeResponse, error) {
		return u.session.PrepareMethod(ctx, ch, tokenID)
	}
	s.proof.poll = func(ctx context.Context, tokenID, pushID string) error {
		return u.session.VerifyPush(ctx, ch, tokenID, pushID)
	}
	s.proof.onChange = s.updateSubmit
	s.proof.onSubmit = s.onSubmit
	s.proof.report = s.showPrepareError
	s.proof.onPushed = s.finished
	s.emergencyField = field(lang.L("Emergency access code"), s.emergency, s.emergencyErr)
	s.emergency.OnSubmitted = func(string) { s.onSubmit() }
	s.submit = widget.NewButtonWithIcon(lang.L("Verify"), theme.ConfirmIcon(), s.onSubmit)
	s.submit.Importance = widget.HighImportance
	s.back = widget.NewButtonWithIcon(lang.L("Back"), theme.NavigateBackIcon(), s.onBack)
	if s.methods != nil {
		s.methods.onChanged = func(api.LoginMethod) { s.showMethod() }
	}
	s.showMethod()

	var demo []DemoInfo
	for _, d := range u.opts.Demo {
		if d.Username == username {
			demo = append(demo, d)
		}
	}
	if len(demo) > 0 {
		s.demo = newDemoPanel(u, demo, heldDemoHardware(u, ch.Methods), nil)
	}
	return s
}

func (s *secondFactorScreen) start() {
	if s.demo != nil {
		s.demo.start(s.ctx)
	}
	switch s.kind() {
	case api.TypeEmergency:
		s.ui.win.Canvas().Focus(s.emergency)
	case api.TypeFIDO2, api.TypePush: // the push waits for Send request
	case api.TypeSMS, api.TypeEmail:
		s.prepare()
	default:
		s.ui.win.Canvas().Focus(s.code)
	}
}

func (s *secondFactorScreen) content() fyne.CanvasObject {
	title := container.NewVBox(heading(lang.L("Confirm it's you")), s.intro)
	header := container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSquareSize(48), s.icon), nil, title)

	var method fyne.CanvasObject
	if s.methods != nil {
		method = container.NewVBox(widget.NewLabelWithStyle(lang.L("Sign-in method"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), s.methods)
	} else {
		m := s.challenge.Methods[0]
		method = container.NewVBox(
			widget.NewLabelWithStyle(lang.L("Sign-in method"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			methodSummary(m.Type, describeMethod(m), false),
		)
	}

	form := container.NewVBox(
		header,
		widget.NewSeparator(),
		s.message,
		method,
		s.proof.content(),
		s.emergencyField,
		container.NewGridWithColumns(2, s.back, s.submit),
		s.progress,
	)
	card := withWidth(400, widget.NewCard("", "", container.NewPadded(form)))
	if s.demo == nil {
		s.scroll = container.NewVScroll(container.NewCenter(card))
		return s.scroll
	}
	row := container.NewHBox(container.NewVBox(card), container.NewVBox(withWidth(320, s.demo.content())))
	s.scroll = container.NewVScroll(container.NewCenter(row))
	return s.scroll
}

// tokenID is the chosen method's token.
func (s *secondFactorScreen) tokenID() string {
	if s.methods == nil {
		return s.challenge.Methods[0].TokenID
	}
	return s.methods.selected().TokenID
}

// kind is the chosen method's type.
func (s *secondFactorScreen) kind() api.TokenType {
	id := s.tokenID()
	for _, m := range s.challenge.Methods {
		if m.TokenID == id {
			return m.Type
		}
	}
	return ""
}

// showMethod asks for a code, a sent code, the phone's confirmation, an
// emergency access code or the security key, as the chosen method needs.
// A code is sent, or the phone asked, at once.
func (s *secondFactorScreen) showMethod() {
	s.message.hide()
	s.codeErr.set("")
	s.emergencyErr.set("")
	s.emergencyField.Hide()
	kind := s.kind()
	s.icon.SetResource(theme.NewPrimaryThemedResource(tokenIcon(kind)))
	switch kind {
	case api.TypeEmergency:
		setStyledText(s.intro, lang.L("Enter the emergency access code your helpdesk gave you."))
		s.proof.hide()
		s.emergencyField.Show()
	case api.TypeFIDO2:
		setStyledText(s.intro, lang.L("Use your security key: insert it, and touch it when asked."))
		s.proof.hide()
		if s.ui.opts.Keys == nil {
			s.message.show(bannerWarning, errorMessage(hw.ErrNotCompiledIn), "", nil)
		}
	case api.TypeSMS:
		setStyledText(s.intro, lang.L("Enter the code we send to your phone by text message."))
		s.prepare()
	case api.TypeEmail:
		setStyledText(s.intro, lang.L("Enter the code we send to your email address."))
		s.prepare()
	case api.TypePush:
		setStyledText(s.intro, lang.L("Choose Send request, then confirm on your phone: pick the number shown here."))
		if s.ctx == nil || !s.proof.resume(s.ctx, s.tokenID()) {
			s.proof.hide() // nothing is sent before Send request
		}
	default:
		setStyledText(s.intro, lang.L("Open your authenticator app and enter the code it shows for Selfservice."))
		s.proof.showCode()
	}
	s.showLock()
	s.updateSubmit()
}

// prepare shows the code sent to the chosen method or its push request,
// sending one when there is none that still works. Before the screen is
// shown (no context yet), start does it.
func (s *secondFactorScreen) prepare() {
	if s.ctx == nil {
		s.proof.preparing(s.tokenID(), s.kind())
		return
	}
	if s.proof.resume(s.ctx, s.tokenID()) {
		s.proof.focus()
		return
	}
	s.send()
}

// send sends a code to the chosen method, or asks its phone.
func (s *secondFactorScreen) send() {
	tokenID, kind := s.tokenID(), s.kind()
	s.message.hide()
	s.codeErr.set("")
	s.proof.preparing(tokenID, kind)
	s.setBusy(true)
	var resp api.ChallengeResponse
	s.ui.run(s.ctx, s.progress, func(ctx context.Context) error {
		var err error
		resp, err = s.proof.prepare(ctx, tokenID)
		return err
	}, func(err error) {
		s.setBusy(false)
		if s.tokenID() != tokenID {
			return // another method was chosen meanwhile
		}
		if err != nil {
			s.proof.failed(s.ctx, err)
			s.showPrepareError(err)
			return
		}
		s.proof.show(s.ctx, tokenID, resp)
		s.proof.focus()
	})
}

// finished takes the end of a push: signed in, or why not.
func (s *secondFactorScreen) finished(err error) {
	if err != nil {
		s.showError(err)
		return
	}
	s.ui.showMain()
}

// updateSubmit fits the main button to the chosen method: Verify a code,
// send the push request, wait for the phone, or send it again once it is
// over. A lock disables it.
func (s *secondFactorScreen) updateSubmit() {
	setPushButton(s.submit, s.kind(), s.proof, lang.L("Verify"))
	setEnabled(s.submit, !s.busy && !s.proof.waiting() && !s.isLocked())
}

// onSubmit checks the code and, when it is right, opens the main window.
func (s *secondFactorScreen) onSubmit() {
	if s.submit.Disabled() {
		return
	}
	switch kind := s.kind(); {
	case kind == api.TypeFIDO2:
		s.useKey()
		return
	case kind == api.TypePush:
		s.send() // Send request, or again once the first is over
		return
	case (kind == api.TypeSMS || kind == api.TypeEmail) && !s.proof.hasCode():
		s.send() // sending failed: try again
		return
	}
	s.message.hide()
	s.codeErr.set("")
	s.emergencyErr.set("")
	tokenID, code := s.tokenID(), s.proof.entry().Text
	if s.kind() == api.TypeEmergency {
		code = s.emergency.Text
	}

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

// useKey finishes signing in with the chosen security key.
func (s *secondFactorScreen) useKey() {
	if s.ui.opts.Keys == nil {
		return
	}
	s.message.hide()
	tokenID := s.tokenID()
	s.setBusy(true)
	s.ceremony = runKeyCeremony(s.ui, s.ctx, lang.L("Sign in with your security key"), keyCeremony{
		purpose: lang.L("Your security key confirms it's you."),
		op: func(ctx context.Context, a hw.Authenticator, pin string, events func(hw.Event)) error {
			return s.ui.session.VerifyWithKey(ctx, s.challenge, tokenID, a, pin, events)
		},
		final: func(err error) bool { return errors.Is(err, api.ErrLoginExpired) },
		done: func(err error) {
			s.ceremony = nil
			s.setBusy(false)
			if err == nil {
				s.ui.showMain()
				return
			}
			s.showError(err)
		},
	})
}

func (s *secondFactorScreen) onBack() {
	s.ui.showSignIn("")
}

func (s *secondFactorScreen) showError(err error) {
	if lock, ok := api.LockOf(err); ok {
		s.lock(s.tokenID(), lock, errorMessage(err))
		return
	}
	switch {
	case errors.Is(err, api.ErrLoginExpired):
		s.ui.showSignIn(errorMessage(err))
		return
	case s.kind() == api.TypeEmergency && errors.Is(err, api.ErrOTPInvalid):
		s.emergencyErr.set(lang.L("That emergency access code is not correct. Check it and type it again."))
		s.ui.win.Canvas().Focus(s.emergency)
		return
	case s.proof.showError(err): // about a sent code
		return
	case errors.Is(err, api.ErrOTPInvalid), errors.Is(err, api.ErrOTPReplayed):
		s.codeErr.set(errorMessage(err))
		s.code.SetText("")
		s.ui.win.Canvas().Focus(s.code)
		return
	}
	if fields := fieldErrors(err); len(fields) > 0 {
		if s.kind() == api.TypeEmergency {
			s.emergencyErr.set(firstOf(fields, "emergency_code", "token_id"))
			return
		}
		s.codeErr.set(firstOf(fields, "otp", "token_id"))
		return
	}
	msg := errorMessage(err)
	if msg == "" {
		return
	}
	if retryable(err) {
		retry := s.onSubmit
		if s.kind() == api.TypePush {
			retry = s.prepare // wait for the same request again
		}
		s.message.show(bannerError, msg, lang.L("Retry"), retry)
		return
	}
	s.message.show(bannerError, msg, "", nil)
}

// showPrepareError says why a code could not be sent or the phone not
// be asked, and offers to try again; asked too soon, it says how long to
// wait.
func (s *secondFactorScreen) showPrepareError(err error) {
	if lock, ok := api.LockOf(err); ok {
		s.lock(s.tokenID(), lock, errorMessage(err))
		return
	}
	if errors.Is(err, api.ErrLoginExpired) {
		s.ui.showSignIn(errorMessage(err))
		return
	}
	msg := errorMessage(err)
	if msg == "" {
		return
	}
	kind := bannerError
	if errors.Is(err, api.ErrResendTooSoon) {
		kind = bannerWarning
	}
	s.message.show(kind, msg, lang.L("Try again"), s.send)
}

func (s *secondFactorScreen) setBusy(busy bool) {
	s.busy = busy
	locked := s.isLocked()
	s.proof.setEnabled(!busy && !locked)
	setEnabled(s.emergency, !busy && !locked)
	setEnabled(s.back, !busy)
	if s.methods != nil {
		setEnabled(s.methods, !busy && s.signInLock == nil)
	}
	s.updateSubmit()
}
