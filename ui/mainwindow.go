package ui

import (
	"context"
	"slices"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
	"selfservice/resources"
)

// mainScreen is the signed-in window: a header with the user and sign
// out, navigation to the areas the user's privileges allow, and the
// chosen area.
type mainScreen struct {
	ui  *UI
	ctx context.Context

	user     *widget.Label
	signOut  *widget.Button
	more     *widget.Button // opens accountMenu (ui/signout.go)
	progress *busyBar

	accountMenu *fyne.Menu
	wipe        *formDialog // Sign out and wipe's confirmation, once asked
	setup       *banner     // shown while the account has no active token yet

	areas        []area
	shown        int // index of the area shown, -1 before the first
	first        int // index of the area to show first
	nav          *widget.List
	area         *fyne.Container     // holds the chosen area
	tokens       *tokensScreen       // nil without the tokens area
	approvals    *approvalsScreen    // nil without the To approve area
	requests     *requestsScreen     // nil without the My requests area
	password     *passwordScreen     // nil without the Password area
	contacts     *contactsScreen     // nil without the Contact details area
	questions    *questionsScreen    // nil without the Verification questions area
	applications *applicationsScreen // nil while the user may only enroll
	profile      *profileScreen      // nil without the Profile area
	documents    *documentsScreen    // nil without documents_view
	privacy      *privacyScreen      // nil without privacy_view
	sessions     *sessionsScreen     // nil without sessions_view
	invitations  *invitationsScreen  // nil without invitation_sponsorship_view
	emergency    *emergencyScreen    // nil without emergency_code_issue
	hardware     *hardwareCard       // nil without hardware_token_unassign
	check        *questionCheckCard  // nil without question_magic_check
	keys         *securityKeysScreen // nil without access to security keys
	pending      *pendingWatch       // nil without To approve and My requests
}

// area is one entry of the navigation. An area with open and close works
// only while it is shown: open starts its work under the window's
// context, close stops it. A badge, when not empty, shows next to the
// name (a count of things waiting).
type area struct {
	name  string
	icon  fyne.Resource
	show  func() fyne.CanvasObject
	open  func(ctx context.Context)
	close func()
	badge string
}

func newMainScreen(u *UI) *mainScreen {
	s := &mainScreen{
		ui:       u,
		user:     widget.NewLabelWithStyle(displayName(u.session.User()), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}),
		progress: newBusyBar(),
		setup:    newBanner(),
		area:     container.NewStack(),
		shown:    -1,
	}
	s.signOut = widget.NewButtonWithIcon(lang.L("Sign out"), theme.LogoutIcon(), s.onSignOut)
	s.newAccountMenu()
	if u.session.Can(api.PrivTokenView) || u.session.EnrollmentRequired() {
		s.tokens = newTokensScreen(u, s.onTokensLoaded)
		s.areas = append(s.areas, area{name: lang.L("Sign-in methods"), icon: resources.AuthenticatorIcon, show: s.tokens.content})
	}
	if u.session.Can(api.PrivInfoView) && !u.session.EnrollmentRequired() {
		s.contacts = newContactsScreen(u)
		s.areas = append(s.areas, area{
			name: lang.L("Contact details"), icon: theme.MailComposeIcon(),
			show: s.contacts.content, open: s.contacts.open, close: s.contacts.close,
		})
		if s.tokens != nil {
			s.tokens.openContacts = func() { s.selectArea(lang.L("Contact details")) }
		}
	}
	s.pending = s.newPendingWatch()
	if u.session.Can(api.PrivMyApprovalsList) {
		s.approvals = newApprovalsScreen(u, s.pending.check)
		s.areas = append(s.areas, area{
			name: lang.L("To approve"), icon: theme.ConfirmIcon(),
			show: s.approvals.content, open: s.approvals.open, close: s.approvals.close,
		})
	}
	if u.session.Can(api.PrivMyRequestsList) {
		s.requests = newRequestsScreen(u)
		s.areas = append(s.areas, area{
			name: lang.L("My requests"), icon: theme.MailSendIcon(),
			show: s.requests.content, open: s.requests.open, close: s.requests.close,
		})
	}
	if u.session.Can(api.PrivInvitationView) {
		s.invitations = newInvitationsScreen(u)
		s.areas = append(s.areas, area{
			name: lang.L("Invitations"), icon: theme.MailComposeIcon(),
			show: s.invitations.content, open: s.invitations.open, close: s.invitations.close,
		})
	}
	if u.session.Can(api.PrivDocumentsView) {
		s.documents = newDocumentsScreen(u)
		s.areas = append(s.areas, area{
			name: lang.L("Documents"), icon: theme.DocumentIcon(),
			show: s.documents.content, open: s.documents.open, close: s.documents.close,
		})
	}
	if !u.session.EnrollmentRequired() {
		s.applications = newApplicationsScreen(u)
		s.areas = append(s.areas, area{
			name: lang.L("Applications"), icon: theme.GridIcon(),
			show: s.applications.content, open: s.applications.open, close: s.applications.close,
		})
	}
	if u.session.Can(api.PrivPasswordUpdate) {
		s.password = newPasswordScreen(u)
		s.areas = append(s.areas, area{
			name: lang.L("Password"), icon: theme.AccountIcon(),
			show: s.password.content, open: s.password.open, close: s.password.close,
		})
	}
	if u.session.Can(api.PrivQuestionView) {
		s.questions = newQuestionsScreen(u)
		s.areas = append(s.areas, area{
			name: lang.L("Verification questions"), icon: theme.QuestionIcon(),
			show: s.questions.content, open: s.questions.open, close: s.questions.close,
		})
	}
	if u.session.Can(api.PrivProfileView) {
		s.profile = newProfileScreen(u)
		s.areas = append(s.areas, area{
			name: lang.L("Profile"), icon: theme.SettingsIcon(),
			show: s.profile.content, open: s.profile.open, close: s.profile.close,
		})
	}
	if u.session.Can(api.PrivPrivacyView) && !u.session.EnrollmentRequired() {
		s.privacy = newPrivacyScreen(u)
		s.areas = append(s.areas, area{
			name: lang.L("Privacy and data"), icon: theme.VisibilityIcon(),
			show: s.privacy.content, open: s.privacy.open, close: s.privacy.close,
		})
	}
	if u.session.Can(api.PrivSessionsView) {
		s.sessions = newSessionsScreen(u)
		s.areas = append(s.areas, area{
			name: lang.L("Sessions and activity"), icon: theme.HistoryIcon(),
			show: s.sessions.content, open: s.sessions.open, close: s.sessions.close,
		})
	}
	if u.session.Can(api.PrivEmergencyIssue) {
		s.emergency = newEmergencyScreen(u)
	}
	if u.session.Can(api.PrivHardwareUnassign) {
		s.hardware = newHardwareCard(u)
	}
	if u.session.Can(api.PrivQuestionCheck) {
		s.check = newQuestionCheckCard(u)
	}
	if s.emergency != nil || s.hardware != nil || s.check != nil {
		s.areas = append(s.areas, area{
			name: lang.L("Helpdesk"), icon: theme.WarningIcon(),
			show: s.helpdeskContent, open: s.openHelpdesk, close: s.closeHelpdesk,
		})
	}
	if u.opts.Keys != nil {
		s.keys = newSecurityKeysScreen(u, nil)
		s.areas = append(s.areas, area{
			name: lang.L("Security keys"), icon: resources.SecurityKeyIcon,
			show: s.keys.content, open: s.keys.open, close: s.keys.close,
		})
	}
	s.updateSetupBanner(nil)
	return s
}

func (s *mainScreen) start() {
	s.ui.keys.use(s.shortcuts())
	if s.tokens != nil {
		s.tokens.ctx = s.ctx
		s.tokens.load()
	}
	if s.shown >= 0 && s.areas[s.shown].open != nil {
		s.areas[s.shown].open(s.ctx)
	}
	if s.pending != nil {
		s.pending.start(s.ctx)
	}
}

// helpdeskContent is the Helpdesk area: one card for each thing the
// helpdesk member may do for another person.
func (s *mainScreen) helpdeskContent() fyne.CanvasObject {
	cards := container.NewVBox()
	if s.emergency != nil {
		cards.Add(s.emergency.card())
	}
	if s.hardware != nil {
		if len(cards.Objects) > 0 {
			cards.Add(widget.NewSeparator())
		}
		cards.Add(s.hardware.card())
	}
	if s.check != nil {
		if len(cards.Objects) > 0 {
			cards.Add(widget.NewSeparator())
		}
		cards.Add(s.check.card())
	}
	return container.NewVScroll(container.NewPadded(withWidth(480, cards)))
}

func (s *mainScreen) openHelpdesk(ctx context.Context) {
	if s.emergency != nil {
		s.emergency.open(ctx)
	}
	if s.hardware != nil {
		s.hardware.open(ctx)
	}
	if s.check != nil {
		s.check.open(ctx)
	}
}

func (s *mainScreen) closeHelpdesk() {
	if s.emergency != nil {
		s.emergency.close()
	}
	if s.hardware != nil {
		s.hardware.close()
	}
	if s.check != nil {
		s.check.close()
	}
}

// displayName is how the user is named in the header.
func displayName(u api.User) string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Username
}

func (s *mainScreen) content() fyne.CanvasObject {
	logo := canvas.NewImageFromResource(resources.Logo)
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSquareSize(32))
	name := widget.NewLabelWithStyle(lang.L("Selfservice"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.SizeName = theme.SizeNameSubHeadingText
	account := container.NewHBox(widget.NewIcon(theme.AccountIcon()), s.user, s.signOut, s.more)
	header := container.NewBorder(nil, nil, container.NewHBox(logo, name), account)
	top := container.NewVBox(container.NewPadded(header), widget.NewSeparator(), s.progress)

	if len(s.areas) == 0 {
		return container.NewBorder(top, nil, nil, nil, s.emptyState())
	}

	s.nav = widget.NewList(
		func() int { return len(s.areas) },
		func() fyne.CanvasObject {
			return newNavItem()
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			o.(*navItem).set(s.areas[id])
		},
	)
	s.nav.OnSelected = func(id widget.ListItemID) { s.showArea(id) }
	s.nav.Select(s.first)
	side := container.NewBorder(nil, nil, nil, widget.NewSeparator(), withWidth(200, s.nav))
	body := container.NewBorder(container.NewPadded(s.setup), nil, nil, nil, s.area)
	return container.NewBorder(top, nil, side, nil, withMaxWidth(contentMaxWidth, body))
}

// showArea shows the area id, stopping the work of the one shown before.
// Before start (while the window is built) an area is only shown; start
// opens it.
func (s *mainScreen) showArea(id int) {
	if s.shown >= 0 && s.shown != id && s.areas[s.shown].close != nil {
		s.areas[s.shown].close()
	}
	s.shown = id
	a := s.areas[id]
	s.area.Objects = []fyne.CanvasObject{a.show()}
	s.area.Refresh()
	if a.open != nil && s.ctx != nil {
		a.open(s.ctx)
	}
}

// areaIndex is the position of the area called name in the navigation,
// or -1.
func (s *mainScreen) areaIndex(name string) int {
	return slices.IndexFunc(s.areas, func(a area) bool { return a.name == name })
}

// selectArea shows the area called name, when the navigation has it.
func (s *mainScreen) selectArea(name string) {
	if i := s.areaIndex(name); i >= 0 && s.nav != nil {
		s.nav.Select(i)
	}
}

// emptyState explains a window without any area.
func (s *mainScreen) emptyState() fyne.CanvasObject {
	icon := widget.NewIcon(theme.NewDisabledResource(theme.InfoIcon()))
	box := container.NewVBox(
		container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(64), icon)),
		widget.NewLabelWithStyle(lang.L("Nothing to manage here yet"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		paragraph(lang.L("Your account does not give you access to any self-service area. If you expected to manage your sign-in methods here, ask your administrator for access.")),
	)
	box.Objects[2].(*widget.Label).Alignment = fyne.TextAlignCenter
	return container.NewCenter(withWidth(420, box))
}

// onTokensLoaded keeps the set-up banner in step with the token list.
func (s *mainScreen) onTokensLoaded(tokens []api.Token) {
	s.updateSetupBanner(tokens)
}

// updateSetupBanner explains that an account without an active token
// must add one first.
func (s *mainScreen) updateSetupBanner(tokens []api.Token) {
	if !s.ui.session.EnrollmentRequired() || hasActive(tokens) {
		s.setup.hide()
		return
	}
	s.setup.show(bannerWarning,
		lang.L("Finish setting up your account: add your first sign-in method. Until you do, adding a sign-in method is all you can do here."),
		"", nil)
}

// onSignOut ends the session and returns to the sign-in screen.
func (s *mainScreen) onSignOut() {
	setEnabled(s.signOut, false)
	s.ui.run(s.ctx, s.progress, func(ctx context.Context) error {
		return s.ui.session.Logout(ctx)
	}, func(err error) {
		// The app is signed out even when the saved session could not be
		// removed from the keyring.
		message := ""
		if err != nil {
			message = lang.L("You are signed out. Your saved session could not be removed from the system keyring; it stops working when it expires.")
		}
		s.ui.showSignIn(message)
	})
}

// hasActive reports whether one of tokens is ACTIVE.
func hasActive(tokens []api.Token) bool {
	return countActive(tokens) > 0
}

// countActive counts the ACTIVE tokens.
func countActive(tokens []api.Token) int {
	n := 0
	for _, t := range tokens {
		if t.Status == api.StatusActive {
			n++
		}
	}
	return n
}

// newPendingWatch watches the requests the user decides on and those
// they made, as far as they may see them; nil when they may see neither.
func (s *mainScreen) newPendingWatch() *pendingWatch {
	var onCount func(int, bool)
	var onDecided func([]api.ApprovalRequest)
	if s.ui.session.Can(api.PrivMyApprovalsList) {
		onCount = s.onPendingCount
	}
	if s.ui.session.Can(api.PrivMyRequestsList) {
		onDecided = s.onDecided
	}
	if onCount == nil && onDecided == nil {
		return nil
	}
	return newPendingWatch(s.ui, onCount, onDecided)
}

// onDecided tells the user in the window that requests of theirs were
// decided, with the way to My requests, which it reloads when shown.
func (s *mainScreen) onDecided(decided []api.ApprovalRequest) {
	s.ui.notice.show(bannerInfo, decidedText(decided), lang.L("Open My requests"), func() {
		s.ui.notice.hide()
		s.selectArea(lang.L("My requests"))
	})
	if s.requests != nil && s.shown == s.areaIndex(lang.L("My requests")) {
		s.requests.list.load()
	}
}

// onPendingCount shows the number of requests waiting for the user's
// decision on the To approve entry and in the tray icon, and reloads that
// area when it is shown and the number changed.
func (s *mainScreen) onPendingCount(count int, changed bool) {
	i := s.areaIndex(lang.L("To approve"))
	if i < 0 {
		return
	}
	s.ui.tray.setPending(count, func() { s.selectArea(lang.L("To approve")) })
	s.areas[i].badge = ""
	if count > 0 {
		s.areas[i].badge = strconv.Itoa(count)
	}
	if s.nav != nil {
		s.nav.RefreshItem(i)
	}
	if changed && s.shown == i {
		s.approvals.list.load()
	}
}
