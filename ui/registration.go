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
)

// registerView is the sign-in card's Create account, shown when the
// organisation offers self-registration. It asks for the display name,
// a username, an email address and the password twice, with the
// policy's rules ticked off as it is typed; then Check your email: the
// server emails a link that activates the account, opened in the browser
// or pasted here, with Send again once the server allows another.
type registerView struct {
	signInPanel
	done   func(username string) // back to the sign-in form once activated
	policy api.PasswordPolicy

	name, username, email, password, repeat, link          *entry
	nameErr, usernameErr, emailErr, passwordErr, repeatErr fieldError
	linkErr                                                fieldError
	rules                                                  *passwordRules
	create, haveLink, resend, activate                     *widget.Button
	sentTo                                                 *widget.Label

	resendFor string    // the account Send again asks for; "" when unknown
	resendAt  time.Time // when the server sends another link
	sending   bool
	stopTick  context.CancelFunc

	formView, checkView fyne.CanvasObject
	demo                *fyne.Container // the demo's emails, in demo mode
}

func newRegisterView(u *UI, serverURL func() string, done func(username string)) *registerView {
	v := &registerView{
		signInPanel: newSignInPanel(u, serverURL), done: done,
		name: newEntry(), username: newEntry(), email: newEntry(),
		password: newPasswordEntry(), repeat: newPasswordEntry(), link: newEntry(),
		nameErr: newFieldError(), usernameErr: newFieldError(), emailErr: newFieldError(),
		passwordErr: newFieldError(), repeatErr: newFieldError(), linkErr: newFieldError(),
		rules: newPasswordRules(), sentTo: paragraph(""), demo: container.NewVBox(),
	}
	v.fieldErrs = []fieldError{v.nameErr, v.usernameErr, v.emailErr, v.passwordErr, v.repeatErr, v.linkErr}
	v.failed = v.showError
	v.name.SetPlaceHolder(lang.L("First and last name"))
	v.username.SetPlaceHolder(lang.L("Lower-case, no spaces"))
	v.email.SetPlaceHolder("name@example.com")
	v.link.SetPlaceHolder("https://…/activate/…")
	v.create = widget.NewButtonWithIcon(lang.L("Create account"), theme.AccountIcon(), v.onCreate)
	v.create.Importance = widget.HighImportance
	v.haveLink = widget.NewButton(lang.L("I have a link"), func() { v.showCheck(lang.L("Paste the link from the email we sent you."), "") })
	v.haveLink.Importance = widget.LowImportance
	v.resend = widget.NewButtonWithIcon(lang.L("Send again"), theme.MailSendIcon(), v.onResend)
	v.activate = widget.NewButtonWithIcon(lang.L("Activate my account"), theme.ConfirmIcon(), v.onActivate)
	v.activate.Importance = widget.HighImportance
	v.password.OnChanged = func(string) { v.showRules() }
	v.username.OnChanged = func(string) { v.showRules() }
	v.repeat.OnSubmitted = func(string) { v.onCreate() }
	v.link.OnSubmitted = func(string) { v.onActivate() }

	v.formView = container.NewVBox(
		container.NewGridWithColumns(2,
			field(lang.L("Display name"), v.name, v.nameErr),
			field(lang.L("Username"), v.username, v.usernameErr)),
		field(lang.L("Email address"), v.email, v.emailErr),
		container.NewGridWithColumns(2,
			field(lang.L("Password"), v.password, v.passwordErr),
			field(lang.L("Password again"), v.repeat, v.repeatErr)),
		v.rules.box,
		v.create,
		container.NewHBox(v.haveLink),
	)
	v.checkView = container.NewVBox(
		v.sentTo,
		container.NewHBox(v.resend),
		widget.NewSeparator(),
		paragraph(lang.L("Open the link in your browser, or paste it here.")),
		field(lang.L("Link from the email"), v.link, v.linkErr),
		v.demo,
		v.activate,
	)
	return v
}

// content is the view, with a way back to the sign-in form.
func (v *registerView) content(back func()) fyne.CanvasObject {
	return v.signInPanel.content(func() {
		v.stop()
		back()
	})
}

// start shows the form for the server's policy, keeping what was typed
// before but the passwords.
func (v *registerView) start(ctx context.Context, policy api.PasswordPolicy) {
	v.ctx, v.policy = ctx, policy
	v.clear()
	v.password.SetText("")
	v.repeat.SetText("")
	v.showRules()
	v.show(v.formView)
	v.ui.win.Canvas().Focus(v.name)
}

func (v *registerView) showRules() {
	v.rules.show(v.policy, v.password.Text, api.NormalizeUsername(v.username.Text))
}

// onCreate sends the form; the server's answer leads to Check your email.
func (v *registerView) onCreate() {
	r := app.Registration{DisplayName: v.name.Text, Username: v.username.Text, Email: v.email.Text,
		Password: v.password.Text, Repeat: v.repeat.Text}
	sendRequest(&v.signInPanel, v.create, func(ctx context.Context) (api.RecoverySent, error) {
		return v.ui.session.Register(ctx, v.serverURL(), v.policy, r)
	}, func(sent api.RecoverySent) {
		v.password.SetText("")
		v.repeat.SetText("")
		v.resendAt = sent.ResendAt
		v.showCheck(sent.Message, api.NormalizeUsername(r.Username))
	})
}

// showCheck shows Check your email: what the server said, Send again for
// the account username (none when ""), and the field for the link.
func (v *registerView) showCheck(said, username string) {
	v.clear()
	v.sentTo.SetText(said)
	v.resendFor = username
	v.link.SetText("")
	if username == "" {
		v.resend.Hide()
	} else {
		v.resend.Show()
	}
	v.show(v.checkView)
	ctx := v.startTicking()
	// In demo mode the emails are shown: the link under its field, which
	// its button fills in.
	v.demo.Objects = nil
	if hint := v.ui.demoLinkHint(ctx, func(link string) {
		v.link.SetText(link)
		v.onActivate()
	}); hint != nil {
		v.demo.Objects = []fyne.CanvasObject{hint}
	}
	v.demo.Refresh()
	v.ui.win.Canvas().Focus(v.link)
}

// startTicking counts Send again down every second while the view is
// up; the context it returns ends when the view goes.
func (v *registerView) startTicking() context.Context {
	v.stop()
	ctx, cancel := context.WithCancel(v.ctx)
	v.stopTick = cancel
	v.tick()
	v.ui.every(ctx, time.Second, v.tick)
	return ctx
}

func (v *registerView) stop() {
	if v.stopTick != nil {
		v.stopTick()
		v.stopTick = nil
	}
}

// tick updates Send again: disabled with the seconds left until the
// server sends another link.
func (v *registerView) tick() {
	if wait := v.resendAt.Sub(v.ui.now()); wait > 0 {
		v.resend.SetText(lang.L("Send again in {{.Seconds}} s", map[string]any{"Seconds": int((wait + time.Second - 1) / time.Second)}))
		v.resend.Disable()
		return
	}
	v.resend.SetText(lang.L("Send again"))
	setEnabled(v.resend, !v.sending)
}

// onResend asks for the link again; the server answers alike whatever
// happened.
func (v *registerView) onResend() {
	if v.resend.Disabled() || v.resendFor == "" {
		return
	}
	v.clear()
	v.sending = true
	v.resend.Disable()
	username := v.resendFor
	var sent api.RecoverySent
	v.ui.run(v.ctx, v.progress, func(ctx context.Context) error {
		var err error
		sent, err = v.ui.session.ResendActivation(ctx, v.serverURL(), username)
		return err
	}, func(err error) {
		v.sending = false
		if err != nil {
			v.tick()
			v.showError(err, v.onResend)
			return
		}
		v.resendAt = sent.ResendAt
		v.tick()
		v.message.show(bannerInfo, sent.Message, "", nil)
	})
}

// onActivate activates the account of the pasted link; the sign-in form
// then says so.
func (v *registerView) onActivate() {
	pasted := v.link.Text
	sendRequest(&v.signInPanel, v.activate, func(ctx context.Context) (api.Activated, error) {
		return v.ui.session.Activate(ctx, v.serverURL(), pasted)
	}, func(done api.Activated) {
		v.stop()
		v.link.SetText("")
		v.done(done.Username)
	})
}

// showError puts what concerns a field next to it, back on the form when
// the field is there; an expired or used link is said next to the link;
// anything else is the message, with Try again when that may help.
func (v *registerView) showError(err error, retry func()) {
	if fields := fieldErrors(err); len(fields) > 0 {
		if link := firstOf(fields, "link", "token"); link != "" {
			v.linkErr.set(link)
			return
		}
		v.show(v.formView)
		v.nameErr.set(fields["display_name"])
		v.usernameErr.set(fields["username"])
		v.emailErr.set(fields["email"])
		v.passwordErr.set(fields["password"])
		v.repeatErr.set(fields["confirm_password"])
		return
	}
	if errors.Is(err, api.ErrLinkInvalid) {
		v.linkErr.set(errorMessage(err))
		return
	}
	v.showFailure(err, retry)
}
