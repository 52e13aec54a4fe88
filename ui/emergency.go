package ui

import (
	"context"
	"errors"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
)

// emergencyScreen is the Emergency access area of helpdesk staff: look
// up the person who lost their sign-in methods, confirm it is them, and
// issue them an emergency access code, shown once. Leaving the area
// forgets the code.
type emergencyScreen struct {
	ui     *UI
	ctx    context.Context
	cancel context.CancelFunc
	dialogSlot

	username    *entry
	usernameErr fieldError
	find        *widget.Button
	person      *widget.Label // who was looked up, and the code they hold
	hours       *widget.Select
	uses        *widget.Select
	message     *banner
	issue       *widget.Button // enabled once someone is looked up
	progress    *busyBar

	holder *api.EmergencyHolderResponse // who was looked up; nil before

	result  *fyne.Container // the issued code, its warning and copy button; hidden until issued
	code    *widget.Label
	details *widget.Label
	copy    *widget.Button
	issued  string // the code shown, until the area closes
}

// emergencyValidities are the validities helpdesk staff choose from, in
// hours, up to api.MaxEmergencyValidHours.
var emergencyValidities = []int{1, 4, 8, 24, 72, 168, 720}

func newEmergencyScreen(u *UI) *emergencyScreen {
	s := &emergencyScreen{
		ui:          u,
		ctx:         context.Background(),
		cancel:      func() {},
		usernameErr: newFieldError(),
		person:      widget.NewLabel(""),
		message:     newBanner(),
		progress:    newBusyBar(),
		code:        widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Monospace: true}),
		details:     widget.NewLabel(""),
	}
	s.username = newUsernameEntry(s.onFind)
	s.username.OnChanged = func(string) { s.setHolder(nil) }
	s.find = widget.NewButtonWithIcon(lang.L("Look up"), theme.SearchIcon(), s.onFind)
	s.person.Wrapping = fyne.TextWrapWord
	s.person.Hide()

	hours := make([]string, len(emergencyValidities))
	for i, h := range emergencyValidities {
		hours[i] = validityName(h)
	}
	s.hours = widget.NewSelect(hours, nil)
	s.hours.SetSelectedIndex(3) // 24 hours
	uses := make([]string, api.MaxEmergencyUses)
	for i := range uses {
		uses[i] = strconv.Itoa(i + 1)
	}
	s.uses = widget.NewSelect(uses, nil)
	s.uses.SetSelectedIndex(0)

	s.details.Wrapping = fyne.TextWrapWord
	s.code.SizeName = theme.SizeNameHeadingText
	s.issue = widget.NewButtonWithIcon(lang.L("Issue code…"), theme.ConfirmIcon(), s.onIssue)
	s.issue.Importance = widget.HighImportance
	s.issue.Disable()
	s.copy = widget.NewButtonWithIcon(lang.L("Copy code"), theme.ContentCopyIcon(), func() { s.ui.copyText(s.copy, s.issued) })
	warning := widget.NewLabel(lang.L("This code is shown only now. Hand it over securely — in person or by phone after checking who you are talking to — never by email or chat."))
	warning.Wrapping = fyne.TextWrapWord
	warning.Importance = widget.WarningImportance
	s.result = container.NewVBox(widget.NewSeparator(), s.code, s.details, warning, s.copy)
	s.result.Hide()
	return s
}

// validityName says how long a code is valid: "8 hours", "3 days".
func validityName(hours int) string {
	if hours >= 48 && hours%24 == 0 {
		return lang.N("{{.Count}} days", hours/24, map[string]any{"Count": hours / 24})
	}
	return lang.N("{{.Count}} hours", hours, map[string]any{"Count": hours})
}

// card is the screen's content, laid out by the Helpdesk area.
func (s *emergencyScreen) card() fyne.CanvasObject {
	return container.NewVBox(
		heading(lang.L("Emergency access")),
		paragraph(lang.L("Give a person who lost their sign-in methods an emergency access code. It signs them in or confirms an action in place of a sign-in method, and stops working when they add or activate a new one.")),
		s.message,
		field(lang.L("Username"), container.NewBorder(nil, nil, nil, s.find, s.username), s.usernameErr),
		s.person,
		container.NewGridWithColumns(2,
			field(lang.L("Valid for"), s.hours, newFieldError()),
			field(lang.L("Number of uses"), s.uses, newFieldError())),
		s.issue,
		s.progress,
		s.result,
	)
}

func (s *emergencyScreen) open(ctx context.Context) {
	s.ctx, s.cancel = context.WithCancel(ctx)
}

// close stops a call under way, closes the confirmation and forgets the
// code shown.
func (s *emergencyScreen) close() {
	s.cancel()
	if s.dialog != nil {
		s.closeDialog(s.dialog)
	}
	s.forget()
	s.setBusy(false)
}

func (s *emergencyScreen) forget() {
	s.issued = ""
	s.code.SetText("")
	s.details.SetText("")
	s.result.Hide()
}

// setHolder shows who was looked up, or nobody; Issue code waits for
// someone.
func (s *emergencyScreen) setHolder(h *api.EmergencyHolderResponse) {
	s.holder = h
	if h == nil {
		s.person.Hide()
		setEnabled(s.issue, false)
		return
	}
	text := displayAndUsername(h.DisplayName, h.Username)
	if c := h.Current; c != nil {
		text = lang.N("{{.Person}} holds a code valid until {{.Time}} for {{.Count}} more use; a new code replaces it.", c.UsesLeft, map[string]any{
			"Person": text, "Time": s.ui.dates.dateTime(c.ExpiresAt), "Count": c.UsesLeft,
		})
	} else {
		text = lang.L("{{.Person}} holds no emergency access code.", map[string]any{"Person": text})
	}
	s.person.SetText(text)
	s.person.Show()
	setEnabled(s.issue, true)
}

// onFind looks the person up by the username typed.
func (s *emergencyScreen) onFind() {
	if s.find.Disabled() {
		return
	}
	s.message.hide()
	s.usernameErr.set("")
	s.forget()
	s.setHolder(nil)
	if !checkUsername(s.username, s.usernameErr) {
		return
	}
	username := s.username.Text
	var out api.EmergencyHolderResponse
	s.setBusy(true)
	s.ui.run(s.ctx, s.progress, func(ctx context.Context) error {
		var err error
		out, err = s.ui.session.EmergencyHolder(ctx, username)
		return err
	}, func(err error) {
		s.setBusy(false)
		if err != nil {
			s.showFindError(err)
			return
		}
		s.setHolder(&out)
	})
}

// showFindError puts what concerns the username next to it; anything
// else goes in the message, with a retry when trying again may help.
func (s *emergencyScreen) showFindError(err error) {
	switch {
	case fieldErrors(err)["username"] != "":
		s.usernameErr.set(fieldErrors(err)["username"])
	case errors.Is(err, api.ErrNotFound):
		s.usernameErr.set(lang.L("There is no user with this username. Check the spelling and try again."))
	case errors.Is(err, api.ErrEmergencyForSelf):
		s.usernameErr.set(errorMessage(err))
	case retryable(err):
		s.message.show(bannerError, errorMessage(err), lang.L("Try again"), s.onFind)
	default:
		s.message.show(bannerError, errorMessage(err), "", nil)
	}
}

// onIssue asks to confirm the person and the code's validity, then
// issues it.
func (s *emergencyScreen) onIssue() {
	if s.holder == nil || s.issue.Disabled() {
		return
	}
	s.message.hide()
	s.forget()
	holder := *s.holder
	hours := emergencyValidities[s.hours.SelectedIndex()]
	uses := s.uses.SelectedIndex() + 1
	who := displayAndUsername(holder.DisplayName, holder.Username)
	body := paragraph(lang.N("The code is valid for {{.Validity}} and {{.Count}} sign-in or confirmation. Check that you are talking to {{.Person}} before you hand it over.", uses, map[string]any{
		"Validity": validityName(hours), "Count": uses, "Person": who,
	}))
	d := newFormDialog(s.ui, s.ctx, lang.L("Issue a code to {{.Person}}?", map[string]any{"Person": who}), lang.L("Issue code"), body)
	var out api.EmergencyCodeResponse
	d.work = func(ctx context.Context) error {
		var err error
		out, err = s.ui.session.IssueEmergencyCode(ctx, holder.Username, hours, uses)
		return err
	}
	d.done = func() {
		s.closeDialog(d)
		s.showCode(out)
	}
	s.openDialog(d)
}

// showCode shows the issued code, once.
func (s *emergencyScreen) showCode(out api.EmergencyCodeResponse) {
	s.issued = out.Code
	s.code.SetText(out.Code)
	s.details.SetText(lang.N("Valid until {{.Time}} for {{.Count}} use.", out.Uses, map[string]any{
		"Time": s.ui.dates.dateTime(out.ExpiresAt), "Count": out.Uses,
	}))
	s.result.Show()
}

func (s *emergencyScreen) setBusy(busy bool) {
	for _, w := range []fyne.Disableable{s.username, s.find, s.hours, s.uses} {
		setEnabled(w, !busy)
	}
	setEnabled(s.issue, !busy && s.holder != nil)
}
