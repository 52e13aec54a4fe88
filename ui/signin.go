package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
	"selfservice/app"
	"selfservice/hw"
	"selfservice/resources"
)

// signInScreen asks for the server address, the username and the
// password: the first sign-in step.
type signInScreen struct {
	ui  *UI
	ctx context.Context

	server                   *serverField
	username, password       *entry
	usernameErr, passwordErr fieldError

	message                        *banner
	submit                         *widget.Button
	passkey                        *widget.Button // nil when the app cannot use security keys
	phone                          *widget.Button // sign in with the authenticator app, by QR code
	forgotPassword, forgotUsername *widget.Button
	createAccount                  *widget.Button // shown once the server says it offers registration
	progress                       *busyBar
	demo                           *demoPanel // nil outside demo mode

	// The card shows the password form or the QR sign-in.
	title         *widget.Label
	subtitle      *widget.RichText
	body          *fyne.Container
	form          fyne.CanvasObject
	qr            *qrSignIn
	qrView        fyne.CanvasObject
	recovery      *recoveryView
	recoveryPanel fyne.CanvasObject
	register      *registerView
	registerPanel fyne.CanvasObject
	options       api.RecoveryOptions // what the server offers, once asked
	optionsLoaded bool

	ceremony *keyDialog // the passkey sign-in, while it runs
}

// newSignInScreen builds the screen; message, when not "", says why the
// user is here (for example an expired session).
func newSignInScreen(u *UI, message string) *signInScreen {
	s := &signInScreen{
		ui:          u,
		username:    newEntry(),
		password:    newPasswordEntry(),
		usernameErr: newFieldError(),
		passwordErr: newFieldError(),
		message:     newBanner(),
		progress:    newBusyBar(),
	}
	s.server = newServerField(u.session.ServerURL(), u.win.Canvas().Focus)
	s.server.entry.OnSubmitted = func(string) { s.onSubmit() }
	if u.session.ServerLocked() {
		s.server.lock()
	}
	s.username.SetPlaceHolder(lang.L("Your username"))
	s.username.SetText(u.session.LastUsername())
	s.password.SetPlaceHolder(lang.L("Your password"))
	for _, e := range []*entry{s.username, s.password} {
		e.OnSubmitted = func(string) { s.onSubmit() }
	}
	s.submit = widget.NewButtonWithIcon(lang.L("Sign in"), theme.LoginIcon(), s.onSubmit)
	s.submit.Importance = widget.HighImportance
	if u.opts.Keys != nil {
		s.passkey = widget.NewButtonWithIcon(lang.L("Sign in with a passkey"), resources.SecurityKeyIcon, s.onPasskey)
	}
	s.phone = widget.NewButtonWithIcon(lang.L("Sign in with the authenticator app"), tokenIcon(api.TypePush), s.onPhone)
	s.forgotPassword = widget.NewButton(lang.L("Forgot password?"), s.onForgotPassword)
	s.forgotUsername = widget.NewButton(lang.L("Forgot username?"), s.onForgotUsername)
	for _, b := range []*widget.Button{s.forgotPassword, s.forgotUsername} {
		b.Importance = widget.LowImportance
	}
	s.recovery = newRecoveryView(u, s.server.text, s.onPasswordReset)
	s.createAccount = widget.NewButtonWithIcon(lang.L("Create account"), theme.AccountIcon(), s.onCreateAccount)
	s.createAccount.Importance = widget.LowImportance
	s.createAccount.Hide()
	s.register = newRegisterView(u, s.server.text, s.onActivated)
	s.qr = newQRSignIn(u, s.showForm, func(err error) {
		s.showForm()
		s.showError(err)
	})
	if message != "" {
		s.message.show(bannerWarning, message, "", nil)
	}
	if len(u.opts.Demo) > 0 {
		s.demo = newDemoPanel(u, u.opts.Demo, u.opts.DemoHardware, s.onUseDemoAccount)
	}
	return s
}

// start begins the screen's background work once it is shown.
func (s *signInScreen) start() {
	if s.demo != nil {
		s.demo.start(s.ctx)
	}
	focus := s.password
	if s.username.Text == "" {
		focus = s.username
	}
	s.ui.win.Canvas().Focus(focus)
	s.loadOptions()
}

// loadOptions asks the server what the sign-in screen may offer besides
// signing in, and shows Create account when it offers registration.
func (s *signInScreen) loadOptions() {
	serverURL := s.server.text()
	if serverURL == "" {
		return
	}
	var opts api.RecoveryOptions
	s.ui.run(s.ctx, nil, func(ctx context.Context) error {
		var err error
		opts, err = s.ui.session.RecoveryOptions(ctx, serverURL)
		return err
	}, func(err error) {
		s.optionsLoaded = true
		if err != nil { // not worth telling: signing in will say what is wrong
			return
		}
		s.options = opts
		if opts.Registration && opts.PasswordPolicy != nil {
			s.createAccount.Show()
		} else {
			s.createAccount.Hide()
		}
	})
}

func (s *signInScreen) content() fyne.CanvasObject {
	logo := canvas.NewImageFromResource(resources.Logo)
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSquareSize(56))
	s.title = heading(lang.L("Sign in"))
	s.subtitle = muted(lang.L("Manage how you sign in to your organisation."))
	header := container.NewBorder(nil, nil, logo, nil, container.NewVBox(s.title, s.subtitle))

	form := container.NewVBox(
		s.message,
		s.server.content(),
		field(lang.L("Username"), s.username, s.usernameErr),
		field(lang.L("Password"), s.password, s.passwordErr),
		s.submit,
		s.progress,
		container.NewHBox(s.forgotPassword, layout.NewSpacer(), s.forgotUsername),
		container.NewCenter(s.createAccount),
	)
	if s.passkey != nil {
		form.Add(s.passkey)
	}
	form.Add(s.phone)
	if s.passkey != nil {
		form.Add(container.NewCenter(securityKeysButton(s.ui)))
	}
	s.form = form
	s.qrView = s.qr.content()
	s.recoveryPanel = s.recovery.content(s.showForm)
	s.registerPanel = s.register.content(s.showForm)
	s.body = container.NewStack(s.form)
	card := withWidth(400, widget.NewCard("", "", container.NewPadded(container.NewVBox(header, widget.NewSeparator(), s.body))))
	if s.demo == nil {
		return container.NewVScroll(container.NewCenter(card))
	}
	row := container.NewHBox(container.NewVBox(card), container.NewVBox(withWidth(320, s.demo.content())))
	return container.NewVScroll(container.NewCenter(row))
}

// onSubmit runs the first sign-in step.
func (s *signInScreen) onSubmit() {
	if s.submit.Disabled() {
		return
	}
	s.clearErrors()
	if !s.hasServer() {
		return
	}
	serverURL := s.server.text()
	username := strings.TrimSpace(s.username.Text)
	password := s.password.Text

	s.setBusy(true)
	var challenge *app.Challenge
	s.ui.run(s.ctx, s.progress, func(ctx context.Context) error {
		var err error
		challenge, err = s.ui.session.Login(ctx, serverURL, username, password)
		return err
	}, func(err error) {
		s.setBusy(false)
		if err != nil {
			s.showError(err)
			return
		}
		s.password.SetText("")
		if challenge == nil { // no active token yet: signed in to enroll one
			s.ui.showMain()
			return
		}
		s.ui.showSecondFactor(challenge, username)
	})
}

// onUseDemoAccount fills in a demo account's credentials.
func (s *signInScreen) onUseDemoAccount(d DemoInfo) {
	s.username.SetText(d.Username)
	s.password.SetText(d.Password)
	s.ui.win.Canvas().Focus(s.password)
}

func (s *signInScreen) clearErrors() {
	s.message.hide()
	s.server.set("")
	s.usernameErr.set("")
	s.passwordErr.set("")
}

func (s *signInScreen) showError(err error) {
	if fields := fieldErrors(err); len(fields) > 0 {
		s.server.set(firstOf(fields, "server_url", "server"))
		s.usernameErr.set(fields["username"])
		s.passwordErr.set(fields["password"])
		return
	}
	var e *api.Error
	if errors.As(err, &e) && e.Code == api.CodeActivationRequired {
		email, _ := e.Details["email"].(string)
		s.message.show(bannerWarning, lang.L("Confirm your email address first: open the link we sent to {{.Email}}, then sign in.", map[string]any{"Email": email}),
			lang.L("Send the link again"), s.onResendActivation)
		return
	}
	if errors.As(err, &e) && e.Code == api.CodeInsecureURL {
		s.server.set(errorMessage(err))
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
	if errors.Is(err, api.ErrInvalidCredentials) {
		s.password.SetText("")
		s.ui.win.Canvas().Focus(s.password)
	}
}

func (s *signInScreen) setBusy(busy bool) {
	s.server.setEnabled(!busy)
	for _, e := range []*entry{s.username, s.password} {
		setEnabled(e, !busy)
	}
	setEnabled(s.submit, !busy)
	setEnabled(s.phone, !busy)
	setEnabled(s.forgotPassword, !busy)
	setEnabled(s.forgotUsername, !busy)
	setEnabled(s.createAccount, !busy)
	if s.passkey != nil {
		setEnabled(s.passkey, !busy)
	}
}

// onPhone shows a QR code that the authenticator app on the phone reads
// to sign in, without username or password.
func (s *signInScreen) onPhone() {
	if s.phone.Disabled() || !s.hasServer() {
		return
	}
	s.showPanel(lang.L("Sign in with your phone"), lang.L("No username or password needed: your phone confirms it's you."), s.qrView)
	s.ui.win.Canvas().Unfocus()
	s.qr.start(s.ctx, s.server.text())
}

// onForgotPassword offers to reset the password by a link sent by email.
func (s *signInScreen) onForgotPassword() {
	if !s.hasServer() {
		return
	}
	s.showPanel(lang.L("Reset your password"), lang.L("We email you a link with which you choose a new password."), s.recoveryPanel)
	s.recovery.startReset(s.ctx, strings.TrimSpace(s.username.Text))
}

// onForgotUsername offers to send the username by email.
func (s *signInScreen) onForgotUsername() {
	if !s.hasServer() {
		return
	}
	s.showPanel(lang.L("Find your username"), lang.L("We email your username to the address in your contact details."), s.recoveryPanel)
	s.recovery.startReminder(s.ctx)
}

// onPasswordReset is back at the form after a password reset.
func (s *signInScreen) onPasswordReset(username string) {
	s.showForm()
	s.username.SetText(username)
	s.password.SetText("")
	s.message.show(bannerSuccess, lang.L("Your password is set, and every session of your account is signed out. Sign in with the new password."), "", nil)
	s.ui.win.Canvas().Focus(s.password)
}

// onCreateAccount offers to create an account.
func (s *signInScreen) onCreateAccount() {
	if !s.hasServer() || s.options.PasswordPolicy == nil {
		return
	}
	s.showPanel(lang.L("Create account"), lang.L("Your account works once you confirm your email address with the link we send to it."), s.registerPanel)
	s.register.start(s.ctx, *s.options.PasswordPolicy)
}

// onActivated is back at the form once the account is activated.
func (s *signInScreen) onActivated(username string) {
	s.showForm()
	s.username.SetText(username)
	s.password.SetText("")
	s.message.show(bannerSuccess, lang.L("Your account is active. Sign in with your username and password, then add your first sign-in method."), "", nil)
	s.ui.win.Canvas().Focus(s.password)
}

// onResendActivation sends the activation link of the account typed
// again; the server answers alike whatever the account.
func (s *signInScreen) onResendActivation() {
	serverURL, username := s.server.text(), strings.TrimSpace(s.username.Text)
	s.setBusy(true)
	var sent api.RecoverySent
	s.ui.run(s.ctx, s.progress, func(ctx context.Context) error {
		var err error
		sent, err = s.ui.session.ResendActivation(ctx, serverURL, username)
		return err
	}, func(err error) {
		s.setBusy(false)
		if err != nil {
			s.showError(err)
			return
		}
		s.message.show(bannerInfo, sent.Message, "", nil)
	})
}

// hasServer says, next to the field, when the server address is missing.
func (s *signInScreen) hasServer() bool {
	s.clearErrors()
	if s.server.text() == "" {
		s.server.set(lang.L("Enter the server address."))
		return false
	}
	return true
}

// showPanel shows view in the card instead of the password form.
func (s *signInScreen) showPanel(title, subtitle string, view fyne.CanvasObject) {
	s.title.SetText(title)
	setStyledText(s.subtitle, subtitle)
	s.body.Objects = []fyne.CanvasObject{view}
	s.body.Refresh()
}

// showForm goes back from the QR sign-in or the recovery to the password
// form.
func (s *signInScreen) showForm() {
	s.qr.end()
	s.showPanel(lang.L("Sign in"), lang.L("Manage how you sign in to your organisation."), s.form)
}

// onPasskey signs in with a passkey on a security key, without username
// or password.
func (s *signInScreen) onPasskey() {
	if s.passkey.Disabled() {
		return
	}
	s.clearErrors()
	if !s.hasServer() {
		return
	}
	serverURL := s.server.text()
	s.setBusy(true)
	s.ceremony = runKeyCeremony(s.ui, s.ctx, lang.L("Sign in with a passkey"), keyCeremony{
		purpose: lang.L("Your passkey signs you in without your username and password."),
		op: func(ctx context.Context, a hw.Authenticator, pin string, events func(hw.Event)) error {
			return s.ui.session.SignInWithPasskey(ctx, serverURL, a, pin, events)
		},
		final: func(err error) bool {
			var e *api.Error
			return len(fieldErrors(err)) > 0 || (errors.As(err, &e) && e.Code == api.CodeInsecureURL)
		},
		done: func(err error) {
			s.ceremony = nil
			s.setBusy(false)
			if err == nil {
				s.password.SetText("")
				s.ui.showMain()
				return
			}
			s.showError(err)
		},
	})
}
