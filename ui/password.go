package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
)

// passwordScreen is the Password area: change one's password. The rules
// of the server's policy are listed under the new password and ticked
// off as the user types (api.PasswordPolicy.Check, the server's own);
// what only the server can check (the last passwords, how easily it is
// guessed) comes back next to the field. The change is approvable: a
// step-up is asked for in its dialog; a change sent to approvers is
// followed, and finished once approved, here (password_request.go).
type passwordScreen struct {
	ui     *UI
	ctx    context.Context
	cancel context.CancelFunc

	policy                  *api.PasswordPolicy  // nil until loaded
	request                 *api.ApprovalRequest // the latest password request, if any
	stepUp                  *stepUpDialog        // the step-up of the latest change, while open
	current                 *entry
	next                    *entry
	repeat                  *entry
	signOut                 *widget.Check
	submit                  *widget.Button
	rules                   *passwordRules
	errs                    map[string]fieldError
	progress                *busyBar
	status                  *banner // where the latest password request stands
	message                 *banner
	policyLoad, requestLoad loadState // of the policy and of the latest request
	need                    *banner   // what a change needs before it runs
	container               *fyne.Container
}

func newPasswordScreen(u *UI) *passwordScreen {
	s := &passwordScreen{
		ui:       u,
		ctx:      context.Background(),
		cancel:   func() {},
		current:  newPasswordEntry(),
		next:     newPasswordEntry(),
		repeat:   newPasswordEntry(),
		rules:    newPasswordRules(),
		progress: newBusyBar(),
		status:   newBanner(),
		message:  newBanner(),
		errs: map[string]fieldError{
			"current_password": newFieldError(),
			"new_password":     newFieldError(),
			"confirm_password": newFieldError(),
		},
	}
	s.need = u.approvalNotice(api.OpPasswordUpdate, "")
	s.signOut = widget.NewCheck(lang.L("Sign me out on my other devices"), nil)
	s.signOut.SetChecked(true)
	s.next.OnChanged = func(string) { s.showRules() }
	s.repeat.OnSubmitted = func(string) { s.onSubmit() }
	s.submit = widget.NewButtonWithIcon(lang.L("Change password"), theme.ConfirmIcon(), s.onSubmit)
	s.submit.Importance = widget.HighImportance
	s.submit.Disable() // until the policy is known
	s.container = container.NewVBox(
		heading(lang.L("Password")),
		paragraph(lang.L("Change the password you sign in with. Afterwards, use the new password everywhere you sign in.")),
		s.status,
		s.message,
		s.progress,
		field(lang.L("Current password"), s.current, s.errs["current_password"]),
		field(lang.L("New password"), s.next, s.errs["new_password"]),
		s.rules.box,
		field(lang.L("New password again"), s.repeat, s.errs["confirm_password"]),
		s.signOut,
		s.need,
		s.submit,
	)
	return s
}

func (s *passwordScreen) content() fyne.CanvasObject {
	return container.NewVScroll(container.NewPadded(withWidth(480, s.container)))
}

// open loads the policy, which the rules and the button wait for, and
// the latest password request, each time: it may have been decided
// meanwhile.
func (s *passwordScreen) open(ctx context.Context) {
	s.ctx, s.cancel = context.WithCancel(ctx)
	if s.policy == nil {
		s.loadPolicy()
	}
	s.loadRequest()
}

func (s *passwordScreen) close() {
	s.cancel()
}

func (s *passwordScreen) loadPolicy() {
	s.message.hide()
	loadWithRetry(s.ui, s.ctx, s.progress, s.message, &s.policyLoad, s.loadPolicy, s.ui.session.PasswordPolicy, func(p api.PasswordPolicy) {
		s.policy = &p
		s.submit.Enable()
		s.showRules()
	})
}

// showRules lists each rule of the policy, ticked once the new password
// keeps it.
func (s *passwordScreen) showRules() {
	if s.policy != nil {
		s.rules.show(*s.policy, s.next.Text, s.ui.session.User().Username)
	}
}

func (s *passwordScreen) onSubmit() {
	if s.submit.Disabled() {
		return
	}
	s.message.hide()
	for _, e := range s.errs {
		e.set("")
	}
	current, next, repeat, signOut := s.current.Text, s.next.Text, s.repeat.Text, s.signOut.Checked
	finishing := s.finishing()
	var ended int
	change := func(ctx context.Context) error {
		var err error
		ended, err = s.ui.session.ChangePassword(ctx, current, next, repeat, signOut)
		return err
	}
	if finishing != nil {
		change = withRequest(finishing.ID, change)
	}
	s.submit.Disable()
	s.ui.run(s.ctx, s.progress, s.ui.approvable(lang.L("Changing your password needs your confirmation."), func(d *stepUpDialog) { s.stepUp = d }, change), func(err error) {
		s.submit.Enable()
		if req, ok := api.ApprovalPending(err); ok {
			s.clear() // the passwords are kept nowhere while the approvers decide
			s.showRequest(req)
			return
		}
		if err != nil {
			s.showChangeError(err, finishing != nil)
			return
		}
		s.clear()
		if finishing != nil {
			s.showRequest(nil)
		}
		msg := lang.L("Your password is changed.")
		if ended > 0 {
			msg = lang.N("Your password is changed, and {{.Count}} other session was signed out.", ended, map[string]any{"Count": ended})
		}
		s.message.show(bannerSuccess, msg, "", nil)
	})
}

// clear empties the password fields.
func (s *passwordScreen) clear() {
	s.current.SetText("")
	s.next.SetText("")
	s.repeat.SetText("")
}

// showError puts what concerns a field next to it, and anything else in
// the message, with a retry when trying again may help.
func (s *passwordScreen) showError(err error) {
	fields := fieldErrors(err)
	shown := false
	for name, msg := range fields {
		if e, ok := s.errs[name]; ok && msg != "" {
			e.set(msg)
			shown = true
		}
	}
	switch {
	case shown:
	case retryable(err):
		s.message.show(bannerError, errorMessage(err), lang.L("Try again"), s.onSubmit)
	default:
		s.message.show(bannerError, errorMessage(err), "", nil)
	}
}
