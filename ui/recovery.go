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
)

// recoveryView is the sign-in card's help for users who cannot sign in.
// Forgot password? asks for the username or email address and has the
// server email a one-time link; the link, pasted in (or opened in the
// browser, where the server shows the same form), leads to the new
// password, typed twice with the policy's rules ticked off as it is
// typed. Forgot username? has the server email the usernames of an
// address. The server answers alike whether or not an account matches,
// and so does this view.
type recoveryView struct {
	signInPanel
	done func(username string) // back to the sign-in form after a reset

	login, link, next, repeat, email                *entry
	loginErr, linkErr, nextErr, repeatErr, emailErr fieldError
	send, open, set, remind                         *widget.Button
	who                                             *widget.RichText
	rules                                           *passwordRules
	reset                                           *app.ResetLink // the link being used, in the choose view
	demoHint                                        func(ctx context.Context) fyne.CanvasObject

	askView, chooseView, nameView fyne.CanvasObject
	demo                          *fyne.Container // the demo's emails, in demo mode
	demoCancel                    context.CancelFunc
}

func newRecoveryView(u *UI, serverURL func() string, done func(username string)) *recoveryView {
	v := &recoveryView{
		signInPanel: newSignInPanel(u, serverURL), done: done,
		login: newEntry(), link: newEntry(), email: newEntry(),
		next: newPasswordEntry(), repeat: newPasswordEntry(),
		loginErr: newFieldError(), linkErr: newFieldError(), nextErr: newFieldError(),
		repeatErr: newFieldError(), emailErr: newFieldError(),
		who: muted(""), rules: newPasswordRules(), demo: container.NewVBox(),
		demoCancel: func() {},
	}
	v.fieldErrs = []fieldError{v.loginErr, v.linkErr, v.nextErr, v.repeatErr, v.emailErr}
	v.failed = v.showError
	v.login.SetPlaceHolder(lang.L("Username or email address"))
	v.link.SetPlaceHolder("https://…/reset/…")
	v.email.SetPlaceHolder("name@example.com")
	v.send = widget.NewButtonWithIcon(lang.L("Email me a link"), theme.MailSendIcon(), v.onSend)
	v.send.Importance = widget.HighImportance
	v.open = widget.NewButtonWithIcon(lang.L("Continue"), theme.NavigateNextIcon(), v.onOpen)
	v.set = widget.NewButtonWithIcon(lang.L("Set the password"), theme.ConfirmIcon(), v.onSet)
	v.set.Importance = widget.HighImportance
	v.remind = widget.NewButtonWithIcon(lang.L("Email me my username"), theme.MailSendIcon(), v.onRemind)
	v.remind.Importance = widget.HighImportance
	v.login.OnSubmitted = func(string) { v.onSend() }
	v.link.OnSubmitted = func(string) { v.onOpen() }
	v.next.OnChanged = func(string) { v.showRules() }
	v.repeat.OnSubmitted = func(string) { v.onSet() }
	v.email.OnSubmitted = func(string) { v.onRemind() }

	v.askView = container.NewVBox(
		field(lang.L("Username or email address"), v.login, v.loginErr),
		v.send,
		widget.NewSeparator(),
		paragraph(lang.L("Got the email? Paste its link here, or open it in your browser.")),
		field(lang.L("Link from the email"), v.link, v.linkErr),
		v.demo,
		v.open,
	)
	v.chooseView = container.NewVBox(
		v.who,
		field(lang.L("New password"), v.next, v.nextErr),
		v.rules.box,
		field(lang.L("New password again"), v.repeat, v.repeatErr),
		v.set,
	)
	v.nameView = container.NewVBox(
		paragraph(lang.L("Enter the email address in your contact details: we send the username of your account to it.")),
		field(lang.L("Email address"), v.email, v.emailErr),
		v.remind,
	)
	// In demo mode the emails are shown: the link under its field, which
	// its button fills in.
	v.demoHint = func(ctx context.Context) fyne.CanvasObject {
		return u.demoLinkHint(ctx, func(link string) {
			v.link.SetText(link)
			v.onOpen()
		})
	}
	return v
}

// startReset shows the request for a reset link, the login filled in
// with what the sign-in form had.
func (v *recoveryView) startReset(ctx context.Context, login string) {
	v.ctx = ctx
	v.clear()
	v.demoCancel()
	var demoCtx context.Context
	demoCtx, v.demoCancel = context.WithCancel(ctx)
	v.demo.Objects = nil
	if hint := v.demoHint(demoCtx); hint != nil {
		v.demo.Objects = []fyne.CanvasObject{hint}
	}
	v.demo.Refresh()
	v.login.SetText(login)
	v.link.SetText("")
	v.show(v.askView)
	v.ui.win.Canvas().Focus(v.login)
}

// startReminder shows the request for a username reminder.
func (v *recoveryView) startReminder(ctx context.Context) {
	v.ctx = ctx
	v.clear()
	v.show(v.nameView)
	v.ui.win.Canvas().Focus(v.email)
}

// onSend asks the server to email a reset link.
func (v *recoveryView) onSend() {
	login := v.login.Text
	v.request(v.send, func(ctx context.Context) (api.RecoverySent, error) {
		return v.ui.session.RequestPasswordReset(ctx, v.serverURL(), login)
	}, func() { v.ui.win.Canvas().Focus(v.link) })
}

// onRemind asks the server to email the username.
func (v *recoveryView) onRemind() {
	email := v.email.Text
	v.request(v.remind, func(ctx context.Context) (api.RecoverySent, error) {
		return v.ui.session.RemindUsername(ctx, v.serverURL(), email)
	}, func() {})
}

// request runs a recovery request from button and shows the server's
// answer, the same whether or not an account matched.
func (v *recoveryView) request(button *widget.Button, send func(ctx context.Context) (api.RecoverySent, error), then func()) {
	sendRequest(&v.signInPanel, button, send, func(sent api.RecoverySent) {
		v.message.show(bannerInfo, sent.Message, "", nil)
		then()
	})
}

// onOpen reads the pasted link and, when it works, asks for the password.
func (v *recoveryView) onOpen() {
	pasted := v.link.Text
	sendRequest(&v.signInPanel, v.open, func(ctx context.Context) (*app.ResetLink, error) {
		return v.ui.session.OpenResetLink(ctx, v.serverURL(), pasted)
	}, func(link *app.ResetLink) {
		v.reset = link
		setStyledText(v.who, lang.L("Choose a new password for {{.Username}}. The link works until {{.Time}}.",
			map[string]any{"Username": link.Username, "Time": v.ui.dates.dateTime(link.ExpiresAt)}))
		v.next.SetText("")
		v.repeat.SetText("")
		v.showRules()
		v.show(v.chooseView)
		v.ui.win.Canvas().Focus(v.next)
	})
}

func (v *recoveryView) showRules() {
	if v.reset != nil {
		v.rules.show(v.reset.Policy, v.next.Text, v.reset.Username)
	}
}

// onSet sets the new password; the sign-in form then says so.
func (v *recoveryView) onSet() {
	if v.reset == nil {
		return
	}
	link, next, repeat := v.reset, v.next.Text, v.repeat.Text
	sendRequest(&v.signInPanel, v.set, func(ctx context.Context) (int, error) {
		return v.ui.session.ResetPassword(ctx, v.serverURL(), link, next, repeat)
	}, func(int) {
		v.next.SetText("")
		v.repeat.SetText("")
		v.reset = nil
		v.done(link.Username)
	})
}

// showError puts what concerns a field next to it; an expired or used
// link goes back to asking for a new one; anything else is the message,
// with Try again when that may help.
func (v *recoveryView) showError(err error, retry func()) {
	if fields := fieldErrors(err); len(fields) > 0 {
		v.loginErr.set(fields["login"])
		v.linkErr.set(firstOf(fields, "link", "token"))
		v.nextErr.set(fields["new_password"])
		v.repeatErr.set(fields["confirm_password"])
		v.emailErr.set(fields["email"])
		return
	}
	if errors.Is(err, api.ErrLinkInvalid) {
		v.reset = nil
		v.link.SetText("")
		v.show(v.askView)
		v.linkErr.set(errorMessage(err))
		return
	}
	v.showFailure(err, retry)
}
