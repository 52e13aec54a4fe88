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

// sessionsScreen is the Sessions and activity area: where the user is
// signed in (device, address, when), Sign out for each, Sign out all
// other sessions and Sign out everywhere; and their recent sign-in
// attempts with how each ended, and "This wasn't me" for one that was
// not theirs. Without sessions_manage the list is only shown.
type sessionsScreen struct {
	ui     *UI
	ctx    context.Context
	cancel context.CancelFunc

	scroll        *container.Scroll
	listsTop      fyne.CanvasObject // the sessions' title, where the lists begin
	signOutOthers *widget.Button
	signOutAll    *widget.Button
	sessionList   *fyne.Container // a card per session
	activityList  *fyne.Container // a row per sign-in attempt
	sessionRows   []*sessionRow
	attemptRows   []*attemptRow
	progress      *busyBar
	message       *banner
	loads         loadState // of what the area shows
	loaded        bool
	dialogSlot    // the confirmation, while open
}

// sessionRow is one session's card, kept for its button.
type sessionRow struct {
	session api.Session
	signOut *widget.Button
}

// attemptRow is one sign-in attempt, kept for its button.
type attemptRow struct {
	attempt api.SignInAttempt
	report  *widget.Button // nil once reported
}

// sessionsData is what the area shows.
type sessionsData struct {
	sessions []api.Session
	attempts []api.SignInAttempt
}

func newSessionsScreen(u *UI) *sessionsScreen {
	s := &sessionsScreen{
		ui:           u,
		ctx:          context.Background(),
		cancel:       func() {},
		sessionList:  container.NewVBox(),
		activityList: container.NewVBox(),
		progress:     newBusyBar(),
		message:      newBanner(),
	}
	s.signOutOthers = widget.NewButtonWithIcon(lang.L("Sign out all other sessions"), theme.LogoutIcon(), s.onSignOutOthers)
	s.signOutAll = widget.NewButtonWithIcon(lang.L("Sign out everywhere"), theme.LogoutIcon(), s.onSignOutEverywhere)
	s.signOutAll.Importance = widget.DangerImportance
	if !s.canManage() {
		s.signOutOthers.Hide()
		s.signOutAll.Hide()
	}
	return s
}

func (s *sessionsScreen) canManage() bool { return s.ui.session.Can(api.PrivSessionsManage) }

func (s *sessionsScreen) content() fyne.CanvasObject {
	s.listsTop = container.NewBorder(nil, nil, nil, container.NewHBox(s.signOutOthers, s.signOutAll), subheading(lang.L("Signed-in sessions")))
	s.scroll = container.NewVScroll(container.NewPadded(withWidth(680, container.NewVBox(
		heading(lang.L("Sessions and activity")),
		paragraph(lang.L("Where you are signed in, and the recent attempts to sign in as you. If you see something that was not you, sign it out and report it.")),
		s.message,
		s.progress,
		s.listsTop,
		widget.NewCard("", "", s.sessionList),
		subheading(lang.L("Recent sign-in activity")),
		widget.NewCard("", "", s.activityList),
	))))
	return s.scroll
}

// scrollToLists scrolls the area down to where the lists begin.
func (s *sessionsScreen) scrollToLists() {
	s.scroll.ScrollToOffset(fyne.NewPos(0, s.listsTop.Position().Y))
}

func (s *sessionsScreen) open(ctx context.Context) {
	s.ctx, s.cancel = context.WithCancel(ctx)
	s.message.hide()
	s.load()
}

func (s *sessionsScreen) close() { s.cancel() }

// load asks for the sessions and the activity; a failure keeps what is
// shown.
func (s *sessionsScreen) load() {
	loadWithRetry(s.ui, s.ctx, s.progress, s.message, &s.loads, s.load, s.fetch, func(d sessionsData) {
		s.loaded = true
		s.show(d)
	})
}

func (s *sessionsScreen) fetch(ctx context.Context) (sessionsData, error) {
	sessions, err := s.ui.session.Sessions(ctx)
	if err != nil {
		return sessionsData{}, err
	}
	attempts, err := s.ui.session.Activity(ctx)
	return sessionsData{sessions: sessions, attempts: attempts}, err
}

func (s *sessionsScreen) show(d sessionsData) {
	s.sessionRows, s.attemptRows = nil, nil
	s.sessionList.Objects = nil
	others := 0
	for i, sess := range d.sessions {
		if i > 0 {
			s.sessionList.Add(widget.NewSeparator())
		}
		s.sessionList.Add(s.sessionItem(sess))
		if !sess.Current {
			others++
		}
	}
	setEnabled(s.signOutOthers, others > 0)
	s.sessionList.Refresh()

	s.activityList.Objects = nil
	for i, a := range d.attempts {
		if i > 0 {
			s.activityList.Add(widget.NewSeparator())
		}
		s.activityList.Add(s.attemptItem(a))
	}
	if len(d.attempts) == 0 {
		s.activityList.Add(paragraph(lang.L("No sign-in attempts in the last 90 days.")))
	}
	s.activityList.Refresh()
}

// sessionItem is one session: its device with "This device" for this
// one, where it signed in from and when, when it was last used, and Sign
// out.
func (s *sessionsScreen) sessionItem(sess api.Session) fyne.CanvasObject {
	row := &sessionRow{session: sess}
	row.signOut = widget.NewButtonWithIcon(lang.L("Sign out"), theme.LogoutIcon(), func() { s.confirmEnd(row) })
	if !s.canManage() {
		row.signOut.Hide()
	}
	s.sessionRows = append(s.sessionRows, row)
	title := container.NewHBox(widget.NewLabelWithStyle(signInDevice(sess.Device), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	if sess.Current {
		title.Add(newBadge(lang.L("This device"), theme.ColorNamePrimary))
	}
	now := s.ui.now()
	details := widget.NewLabel(lang.L("{{.IP}} · signed in {{.Created}} · last active {{.Seen}}", map[string]any{
		"IP": orUnknownAddress(sess.IP), "Created": s.ui.dates.when(sess.CreatedAt, now), "Seen": s.ui.dates.when(sess.LastSeenAt, now),
	}))
	details.SizeName = theme.SizeNameCaptionText
	details.Wrapping = fyne.TextWrapWord
	return container.NewBorder(nil, nil, widget.NewIcon(theme.ComputerIcon()), container.NewCenter(row.signOut),
		container.NewVBox(title, details))
}

// attemptItem is one sign-in attempt: Success or Failed, the method and
// what happened, when, where from and on what, and "This wasn't me".
func (s *sessionsScreen) attemptItem(a api.SignInAttempt) fyne.CanvasObject {
	row := &attemptRow{attempt: a}
	s.attemptRows = append(s.attemptRows, row)
	result := newBadge(lang.L("Failed"), theme.ColorNameError)
	if a.Succeeded() {
		result = newBadge(lang.L("Success"), theme.ColorNameSuccess)
	}
	title := widget.NewLabelWithStyle(lang.L("{{.Method}}: {{.Result}}", map[string]any{
		"Method": signInMethodName(a.Method), "Result": resultName(a.Result),
	}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	details := widget.NewLabel(lang.L("{{.When}} · {{.IP}} · {{.Device}}", map[string]any{
		"When": s.ui.dates.dateTime(a.At), "IP": orUnknownAddress(a.IP), "Device": signInDevice(a.Device),
	}))
	details.SizeName = theme.SizeNameCaptionText
	details.Wrapping = fyne.TextWrapWord
	var action fyne.CanvasObject
	switch {
	case a.ReportedAt != nil:
		action = newBadge(lang.L("Reported"), theme.ColorNameWarning)
	case s.canManage():
		row.report = widget.NewButton(lang.L("This wasn't me"), func() { s.confirmReport(row) })
		row.report.Importance = widget.LowImportance
		action = row.report
	}
	var trailing fyne.CanvasObject
	if action != nil {
		trailing = container.NewCenter(action)
	}
	return container.NewBorder(nil, nil, container.NewCenter(withWidth(72, container.NewCenter(result))), trailing,
		container.NewVBox(title, details))
}

// confirmEnd asks before signing a session out, saying what follows.
func (s *sessionsScreen) confirmEnd(row *sessionRow) {
	text := lang.L("{{.Device}} will be signed out at once. Whoever uses it must sign in again.", map[string]any{"Device": signInDevice(row.session.Device)})
	if row.session.Current {
		text = lang.L("This is the session of this computer: you will be signed out and back at the sign-in screen.")
	}
	d := s.newDialog(lang.L("Sign out this session?"), lang.L("Sign out"), text)
	signedOut := false
	d.work = func(ctx context.Context) error {
		var err error
		signedOut, err = s.ui.session.EndSession(ctx, row.session)
		return err
	}
	d.done = func() {
		s.closeDialog(d)
		if signedOut {
			s.ui.showSignIn(lang.L("You are signed out."))
			return
		}
		s.message.show(bannerSuccess, lang.L("{{.Device}} is signed out.", map[string]any{"Device": signInDevice(row.session.Device)}), "", nil)
		s.load()
	}
	s.openDialog(d)
}

// onSignOutOthers ends every other session; this one stays.
func (s *sessionsScreen) onSignOutOthers() {
	s.message.hide()
	setEnabled(s.signOutOthers, false)
	var n int
	s.ui.run(s.ctx, s.progress, func(ctx context.Context) error {
		var err error
		n, err = s.ui.session.SignOutOthers(ctx)
		return err
	}, func(err error) {
		if err != nil {
			setEnabled(s.signOutOthers, true)
			s.message.show(bannerError, errorMessage(err), lang.L("Try again"), s.onSignOutOthers)
			return
		}
		s.message.show(bannerSuccess, lang.N("{{.Count}} other sessions are signed out. Only this computer is still signed in.", n, map[string]any{"Count": n}), "", nil)
		s.load()
	})
}

// onSignOutEverywhere asks, then ends every session, this one too.
func (s *sessionsScreen) onSignOutEverywhere() {
	d := s.newDialog(lang.L("Sign out everywhere?"), lang.L("Sign out everywhere"),
		lang.L("Every session of yours ends at once, on this computer too: you will be back at the sign-in screen, and every other device must sign in again."))
	d.work = func(ctx context.Context) error {
		_, err := s.ui.session.SignOutEverywhere(ctx)
		return err
	}
	d.done = func() {
		s.closeDialog(d)
		s.ui.showSignIn(lang.L("You are signed out everywhere, on this computer too."))
	}
	s.openDialog(d)
}

// confirmReport says exactly what reporting an attempt does, then does it.
func (s *sessionsScreen) confirmReport(row *attemptRow) {
	a := row.attempt
	text := lang.L("You are reporting the sign-in attempt of {{.When}} from {{.IP}} ({{.Device}}) as not yours. This will:\n\n• sign you out everywhere, on this computer too: you then sign in again;\n• tell your helpdesk of this attempt, with its time, address and device.\n\nIf you did not change your password since, change it once you are signed in again.", map[string]any{
		"When": s.ui.dates.dateTime(a.At), "IP": orUnknownAddress(a.IP), "Device": signInDevice(a.Device),
	})
	d := s.newDialog(lang.L("This wasn't me"), lang.L("Report and sign out everywhere"), text)
	var out api.ReportResponse
	d.work = func(ctx context.Context) error {
		var err error
		out, err = s.ui.session.ReportSignIn(ctx, a.ID)
		return err
	}
	d.done = func() {
		s.closeDialog(d)
		message := lang.L("You reported a sign-in that was not yours. You are signed out everywhere and your helpdesk is told. Sign in again, then change your password.")
		if !out.HelpdeskTold {
			message = lang.L("You reported a sign-in that was not yours and are signed out everywhere. Your organisation has no helpdesk address set up here, so call your helpdesk. Sign in again, then change your password.")
		}
		s.ui.showSignIn(message)
	}
	s.openDialog(d)
}

// newDialog is a confirmation with text and a dangerous confirm button.
func (s *sessionsScreen) newDialog(title, confirm, text string) *formDialog {
	s.message.hide()
	d := newFormDialog(s.ui, s.ctx, title, confirm, paragraph(text))
	d.confirm.Importance = widget.DangerImportance
	return d
}

// signInDevice is a session's or attempt's device as the user reads it.
func signInDevice(device string) string {
	if device == "" {
		return lang.L("Unknown device")
	}
	return device
}

func orUnknownAddress(ip string) string {
	if ip == "" || ip == "unknown" {
		return lang.L("unknown address")
	}
	return ip
}

// signInMethodName is how a sign-in proved who it was, in the user's
// words: the name of the token type for the methods that are one.
func signInMethodName(m api.SignInMethod) string {
	switch m {
	case api.MethodPassword:
		return lang.L("Password")
	case api.MethodQR:
		return lang.L("QR code")
	case api.MethodPasswordless:
		return lang.L("Passkey")
	}
	return tokenTypeName(api.TokenType(m))
}

// resultName is how a sign-in attempt ended, in the user's words.
func resultName(r api.SignInResult) string {
	switch r {
	case api.ResultSuccess:
		return lang.L("signed in")
	case api.ResultWrongPassword:
		return lang.L("wrong password")
	case api.ResultWrongCode:
		return lang.L("wrong code")
	case api.ResultKeyRefused:
		return lang.L("security key refused")
	case api.ResultDenied:
		return lang.L("refused on the phone")
	case api.ResultLocked:
		return lang.L("locked after too many attempts")
	}
	return string(r)
}
