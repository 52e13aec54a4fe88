package ui

import (
	"context"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
)

// emergencyScreen is the Emergency access area of helpdesk staff: issue
// an emergency access code to a person who lost their sign-in methods,
// and show it once. Leaving the area forgets the code.
type emergencyScreen struct {
	ui     *UI
	ctx    context.Context
	cancel context.CancelFunc

	username    *entry
	usernameErr fieldError
	hours       *entry
	hoursErr    fieldError
	uses        *entry
	usesErr     fieldError
	message     *banner
	issue       *widget.Button
	progress    *busyBar

	result  *fyne.Container // the issued code, its warning and copy button; hidden until issued
	code    *widget.Label
	details *widget.Label
	copy    *widget.Button
	issued  string // the code shown, until the area closes
}

func newEmergencyScreen(u *UI) *emergencyScreen {
	s := &emergencyScreen{
		ui:          u,
		ctx:         context.Background(),
		cancel:      func() {},
		username:    newEntry(),
		usernameErr: newFieldError(),
		hours:       newEntry(),
		hoursErr:    newFieldError(),
		uses:        newEntry(),
		usesErr:     newFieldError(),
		message:     newBanner(),
		progress:    newBusyBar(),
		code:        widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Monospace: true}),
		details:     widget.NewLabel(""),
	}
	s.username.SetPlaceHolder(lang.L("Username"))
	s.hours.SetText("24")
	s.uses.SetText("1")
	s.details.Wrapping = fyne.TextWrapWord
	s.code.SizeName = theme.SizeNameHeadingText
	s.issue = widget.NewButtonWithIcon(lang.L("Issue code"), theme.ConfirmIcon(), s.onIssue)
	s.issue.Importance = widget.HighImportance
	s.username.OnSubmitted = func(string) { s.onIssue() }
	s.copy = widget.NewButtonWithIcon(lang.L("Copy code"), theme.ContentCopyIcon(), func() { s.ui.copyText(s.issued) })
	warning := widget.NewLabel(lang.L("This code is shown only now. Hand it over securely — in person or by phone after checking who you are talking to — never by email or chat."))
	warning.Wrapping = fyne.TextWrapWord
	warning.Importance = widget.WarningImportance
	s.result = container.NewVBox(widget.NewSeparator(), s.code, s.details, warning, s.copy)
	s.result.Hide()
	return s
}

// card is the screen's content, laid out by the Helpdesk area.
func (s *emergencyScreen) card() fyne.CanvasObject {
	return container.NewVBox(
		heading(lang.L("Emergency access")),
		paragraph(lang.L("Give a person who lost their sign-in methods an emergency access code. It signs them in or confirms an action in place of a sign-in method, and stops working when they add or activate a new one.")),
		s.message,
		field(lang.L("Username"), s.username, s.usernameErr),
		container.NewGridWithColumns(2,
			field(lang.L("Valid for (hours)"), s.hours, s.hoursErr),
			field(lang.L("Number of uses"), s.uses, s.usesErr)),
		s.issue,
		s.progress,
		s.result,
	)
}

func (s *emergencyScreen) open(ctx context.Context) {
	s.ctx, s.cancel = context.WithCancel(ctx)
}

// close stops a call under way and forgets the code shown.
func (s *emergencyScreen) close() {
	s.cancel()
	s.forget()
	s.setBusy(false)
}

func (s *emergencyScreen) forget() {
	s.issued = ""
	s.code.SetText("")
	s.details.SetText("")
	s.result.Hide()
}

func (s *emergencyScreen) onIssue() {
	if s.issue.Disabled() {
		return
	}
	s.message.hide()
	s.forget()
	for _, e := range []fieldError{s.usernameErr, s.hoursErr, s.usesErr} {
		e.set("")
	}
	hours, hoursOK := wholeNumber(s.hours.Text)
	uses, usesOK := wholeNumber(s.uses.Text)
	if !hoursOK {
		s.hoursErr.set(lang.L("Enter a number of hours, like 24."))
	}
	if !usesOK {
		s.usesErr.set(lang.L("Enter a number of uses, like 1."))
	}
	if !hoursOK || !usesOK {
		return
	}
	username := s.username.Text
	var out api.EmergencyCodeResponse
	s.setBusy(true)
	s.ui.run(s.ctx, s.progress, func(ctx context.Context) error {
		var err error
		out, err = s.ui.session.IssueEmergencyCode(ctx, username, hours, uses)
		return err
	}, func(err error) {
		s.setBusy(false)
		if err != nil {
			s.showError(err)
			return
		}
		s.issued = out.Code
		s.code.SetText(out.Code)
		s.details.SetText(lang.N("Valid until {{.Time}} for {{.Count}} use.", out.Uses, map[string]any{
			"Time": s.ui.dates.dateTime(out.ExpiresAt), "Count": out.Uses,
		}))
		s.result.Show()
	})
}

func (s *emergencyScreen) showError(err error) {
	if fields := fieldErrors(err); len(fields) > 0 {
		s.usernameErr.set(fields["username"])
		s.hoursErr.set(fields["valid_for_hours"])
		s.usesErr.set(fields["uses"])
		return
	}
	if msg := errorMessage(err); msg != "" {
		s.message.show(bannerError, msg, "", nil)
	}
}

func (s *emergencyScreen) setBusy(busy bool) {
	for _, w := range []fyne.Disableable{s.username, s.hours, s.uses, s.issue} {
		setEnabled(w, !busy)
	}
}

// wholeNumber reads a positive whole number as people type it.
func wholeNumber(text string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(text))
	return n, err == nil && n > 0
}
