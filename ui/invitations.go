package ui

import (
	"context"
	"net/url"
	"regexp"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
	"selfservice/app"
)

// invitationsScreen is the Invitations area: the people the user invited
// who had no account yet, each with its status, the pending ones first
// (a filter shows the accepted ones, or all); New invitation (a
// template, the person's name, email and the template's fields, saying
// up front when it needs a confirmation or approval); on each row
// Details with the history, and in its More menu Send again, Recall and
// Delete, each confirmed. What the user's privileges or an invitation's
// status do not allow is not offered (app.Session.CanOnInvitation).
type invitationsScreen struct {
	ui            *UI
	ctx           context.Context
	cancel        context.CancelFunc
	loads         loadState // of the list
	templateLoads loadState // of the templates

	create      *widget.Button
	filter      *segmented       // invitationsPending, invitationsAccepted or invitationsAll
	list        *fyne.Container  // a card per invitation the filter shows
	invitations []api.Invitation // all of the user's, as last loaded
	rows        []*invitationRow // of those shown
	progress    *busyBar
	message     *banner
	demoLink    *fyne.Container // the newest invitation link, in demo mode
	templates   *api.InvitationTemplatesResponse
	form        *invitationForm   // the new invitation, while open
	detail      *invitationDetail // the latest Details
	loaded      bool
	dialogSlot
}

// The filter's choices, as a sponsor sorts invitations: those still
// under way (waiting for approval, or sent and waiting for the person),
// the accepted ones, all.
const (
	invitationsPending = iota
	invitationsAccepted
	invitationsAll
)

// invitationRow is one invitation's card: Details as its button, the
// other actions in its More menu (nil when not offered).
type invitationRow struct {
	inv api.Invitation
	*rowActions
	details                *rowAction
	resend, recall, delete *rowAction
}

func newInvitationsScreen(u *UI) *invitationsScreen {
	s := &invitationsScreen{
		ui:       u,
		ctx:      context.Background(),
		cancel:   func() {},
		list:     container.NewVBox(),
		progress: newBusyBar(),
		message:  newBanner(),
		demoLink: container.NewVBox(),
	}
	s.create = widget.NewButtonWithIcon(lang.L("New invitation…"), theme.ContentAddIcon(), s.onCreate)
	s.create.Importance = widget.HighImportance
	s.create.Disable() // until the templates are known
	if !u.session.Can(api.PrivInvitationCreate) {
		s.create.Hide()
	}
	s.filter = newSegmented([]string{lang.L("Pending"), lang.L("Accepted"), lang.L("All")}, func(string) { s.showFiltered() })
	return s
}

func (s *invitationsScreen) content() fyne.CanvasObject {
	return listArea(680, lang.L("Invitations"), s.create,
		lang.L("Invite someone who has no account yet, such as a contractor or a new colleague. They get an email with a link to choose their username and password."),
		s.message, s.demoLink, s.progress, container.NewHBox(s.filter.content()), s.list)
}

func (s *invitationsScreen) open(ctx context.Context) {
	s.ctx, s.cancel = context.WithCancel(ctx)
	s.message.hide()
	s.showDemoLink()
	s.load()
	if s.templates == nil && s.ui.session.Can(api.PrivInvitationCreate) {
		s.loadTemplates()
	}
}

func (s *invitationsScreen) close() { s.cancel() }

// load asks for all the invitations, which the filter sorts without
// asking again; a failure keeps the list shown.
func (s *invitationsScreen) load() {
	loadWithRetry(s.ui, s.ctx, s.progress, s.message, &s.loads, s.load, func(ctx context.Context) ([]api.Invitation, error) {
		return s.ui.session.Invitations(ctx, "")
	}, s.show)
}

func (s *invitationsScreen) loadTemplates() {
	loadWithRetry(s.ui, s.ctx, s.progress, s.message, &s.templateLoads, s.loadTemplates, s.ui.session.InvitationTemplates, func(t api.InvitationTemplatesResponse) {
		s.templates = &t
		setEnabled(s.create, len(t.Templates) > 0)
	})
}

func (s *invitationsScreen) show(list []api.Invitation) {
	s.loaded = true
	s.invitations = list
	s.showFiltered()
}

// showFiltered shows the loaded invitations the filter chooses.
func (s *invitationsScreen) showFiltered() {
	s.rows = nil
	s.list.Objects = nil
	for _, inv := range s.invitations {
		if s.filterShows(inv) {
			s.list.Add(s.item(inv))
		}
	}
	if len(s.rows) == 0 {
		s.list.Add(paragraph(s.emptyText()))
	}
	s.list.Refresh()
}

// filterShows reports whether the chosen filter shows inv.
func (s *invitationsScreen) filterShows(inv api.Invitation) bool {
	switch s.filter.selected {
	case invitationsPending:
		return inv.Status.Open()
	case invitationsAccepted:
		return inv.Status == api.InvitationAccepted
	}
	return true
}

// emptyText says why the filter shows no invitation.
func (s *invitationsScreen) emptyText() string {
	switch {
	case len(s.invitations) == 0:
		return lang.L("You have not invited anyone yet.")
	case s.filter.selected == invitationsPending:
		return lang.L("None of your invitations is waiting for approval or for the person to accept it.")
	}
	return lang.L("None of your invitations has been accepted yet.")
}

// item is one invitation: the person, the status, the address and the
// template, when it was sent and until when it works, and its actions.
func (s *invitationsScreen) item(inv api.Invitation) fyne.CanvasObject {
	row := &invitationRow{inv: inv}
	s.rows = append(s.rows, row)
	row.details = &rowAction{label: lang.L("Details"), icon: theme.InfoIcon(), run: func() { s.onDetails(row) }}
	actions := []*rowAction{row.details}
	offer := func(a app.InvitationAction, label string, icon fyne.Resource, confirm func(*invitationRow)) *rowAction {
		if !s.ui.session.CanOnInvitation(inv, a) {
			return nil
		}
		ra := &rowAction{label: label, icon: icon, run: func() { confirm(row) }, separate: a == app.InvitationDelete}
		actions = append(actions, ra)
		return ra
	}
	row.resend = offer(app.InvitationResend, lang.L("Send again"), theme.MailSendIcon(), s.confirmResend)
	row.recall = offer(app.InvitationRecall, lang.L("Recall"), theme.CancelIcon(), s.confirmRecall)
	row.delete = offer(app.InvitationDelete, lang.L("Delete"), theme.DeleteIcon(), s.confirmDelete)
	row.rowActions = newRowActions(actions)

	name := widget.NewLabelWithStyle(inv.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	title := container.NewBorder(nil, nil, nil, container.NewCenter(invitationBadge(inv.Status)), name)
	details := hint(lang.L("{{.Email}} · {{.Template}} · {{.When}}", map[string]any{
		"Email": inv.Email, "Template": inv.TemplateName, "When": s.invitationWhen(inv),
	}))
	icon := container.NewVBox(container.NewGridWrap(fyne.NewSquareSize(40), widget.NewIcon(theme.MailComposeIcon())))
	return widget.NewCard("", "", container.NewBorder(nil, nil, icon, container.NewVBox(row.content()),
		container.NewVBox(title, details)))
}

// invitationWhen says the step that matters of an invitation now.
func (s *invitationsScreen) invitationWhen(inv api.Invitation) string {
	now := s.ui.now()
	switch {
	case inv.Status == api.InvitationAccepted:
		return lang.L("accepted as {{.Username}}", map[string]any{"Username": inv.Username})
	case inv.Status == api.InvitationSent && inv.ExpiresAt != nil:
		return lang.L("sent {{.Sent}}, works until {{.Until}}", map[string]any{"Sent": s.ui.dates.when(*inv.SentAt, now), "Until": s.ui.dates.date(*inv.ExpiresAt)})
	case inv.Status == api.InvitationExpired && inv.ExpiresAt != nil:
		return lang.L("expired {{.When}}", map[string]any{"When": s.ui.dates.when(*inv.ExpiresAt, now)})
	}
	return lang.L("created {{.When}}", map[string]any{"When": s.ui.dates.when(inv.CreatedAt, now)})
}

// onDetails loads the invitation afresh and shows it with its history.
func (s *invitationsScreen) onDetails(row *invitationRow) {
	s.message.hide()
	row.setBusy(true)
	var inv api.Invitation
	s.ui.run(s.ctx, s.progress, func(ctx context.Context) error {
		var err error
		inv, err = s.ui.session.Invitation(ctx, row.inv.ID)
		return err
	}, func(err error) {
		row.setBusy(false)
		if err != nil {
			s.message.show(bannerError, errorMessage(err), lang.L("Try again"), func() { s.onDetails(row) })
			return
		}
		s.detail = newInvitationDetail(s, inv)
		s.ui.keys.showDialog(s.detail.dlg, s.detail.close)
	})
}

// confirmResend asks before sending the invitation again.
func (s *invitationsScreen) confirmResend(row *invitationRow) {
	s.confirm(row, lang.L("Send the invitation again?"), lang.L("Send again"), false,
		lang.L("{{.Name}} gets a new email at {{.Email}}. The link of the earlier email stops working.", map[string]any{"Name": row.inv.Name, "Email": row.inv.Email}),
		s.ui.session.ResendInvitation, lang.L("The invitation is sent again to {{.Email}}."))
}

// confirmRecall asks before recalling the invitation.
func (s *invitationsScreen) confirmRecall(row *invitationRow) {
	s.confirm(row, lang.L("Recall the invitation?"), lang.L("Recall"), true,
		lang.L("The link sent to {{.Email}} stops working, and {{.Name}} can no longer create the account. The invitation stays in your list as recalled.", map[string]any{"Name": row.inv.Name, "Email": row.inv.Email}),
		s.ui.session.RecallInvitation, lang.L("The invitation of {{.Name}} is recalled.", map[string]any{"Name": row.inv.Name}))
}

// confirmDelete asks before deleting the invitation, saying what goes.
func (s *invitationsScreen) confirmDelete(row *invitationRow) {
	text := lang.L("The invitation is removed from your list and the link sent to {{.Email}} stops working.", map[string]any{"Email": row.inv.Email})
	if row.inv.Status == api.InvitationInApproval {
		text = lang.L("The invitation is removed from your list, and its request for approval is withdrawn: {{.Name}} gets no email.", map[string]any{"Name": row.inv.Name})
	}
	s.confirm(row, lang.L("Delete the invitation?"), lang.L("Delete"), true, text, func(ctx context.Context, id string) (api.Invitation, error) {
		return api.Invitation{}, s.ui.session.DeleteInvitation(ctx, id)
	}, lang.L("The invitation of {{.Name}} is deleted.", map[string]any{"Name": row.inv.Name}))
}

// confirm opens a confirmation that runs action on the invitation, then
// says done and reloads the list; danger marks an action that cannot be
// undone.
func (s *invitationsScreen) confirm(row *invitationRow, title, button string, danger bool, text string, action func(context.Context, string) (api.Invitation, error), done string) {
	s.message.hide()
	d := newFormDialog(s.ui, s.ctx, title, button, paragraph(text))
	if danger {
		d.confirm.Importance = widget.DangerImportance
	}
	d.work = func(ctx context.Context) error {
		_, err := action(ctx, row.inv.ID)
		return err
	}
	d.done = func() {
		s.closeDialog(d)
		s.message.show(bannerSuccess, done, "", nil)
		s.load()
	}
	s.openDialog(d)
}

// onCreate opens the new invitation's form.
func (s *invitationsScreen) onCreate() {
	if s.templates == nil || len(s.templates.Templates) == 0 {
		return
	}
	s.message.hide()
	s.form = newInvitationForm(s, *s.templates)
	s.openDialog(s.form.d)
}

// created tells how the new invitation went, and shows it in the list.
func (s *invitationsScreen) created(inv api.Invitation, pending *api.ApprovalRequest, name string) {
	s.form = nil
	switch {
	case pending != nil:
		s.message.show(bannerInfo, lang.L("The invitation of {{.Name}} waits for approval. It is sent as soon as it is approved; follow it here or in My requests.", map[string]any{"Name": name}), "", nil)
	case inv.ExpiresAt != nil:
		s.message.show(bannerSuccess, lang.L("The invitation is sent to {{.Email}}. Its link works until {{.Until}}.", map[string]any{
			"Email": inv.Email, "Until": s.ui.dates.dateTime(*inv.ExpiresAt)}), "", nil)
	default:
		s.message.show(bannerSuccess, lang.L("The invitation is sent to {{.Email}}.", map[string]any{"Email": inv.Email}), "", nil)
	}
	s.load()
}

// inviteLinkPattern finds an invitation link in an email.
var inviteLinkPattern = regexp.MustCompile(`https?://\S+/invite/[A-Za-z0-9_-]+`)

// showDemoLink shows, in demo mode, the link of the newest invitation
// email, which opens in the browser as it would from the invitee's mail.
func (s *invitationsScreen) showDemoLink() {
	s.demoLink.Objects = nil
	hint := s.ui.demoHint(s.ctx, api.ChannelEmail, inviteLinkPattern.FindString, lang.L("Open in the browser"), theme.ComputerIcon(), func(_ *widget.Button, link string) {
		if u, err := url.Parse(link); err == nil {
			s.ui.app.OpenURL(u)
		}
	})
	if hint != nil {
		hint.found.Truncation = fyne.TextTruncateEllipsis
		s.demoLink.Add(hint)
	}
	s.demoLink.Refresh()
}

// invitationBadge is an invitation's status as a coloured word.
func invitationBadge(st api.InvitationStatus) *badge {
	c := theme.ColorNameDisabled
	switch st {
	case api.InvitationInApproval:
		c = theme.ColorNameWarning
	case api.InvitationSent:
		c = theme.ColorNamePrimary
	case api.InvitationAccepted:
		c = theme.ColorNameSuccess
	case api.InvitationRecalled, api.InvitationDeclined:
		c = theme.ColorNameError
	}
	return newBadge(invitationStatusName(st), c)
}

// invitationStatusName is how a status is called on screen.
func invitationStatusName(st api.InvitationStatus) string {
	switch st {
	case api.InvitationInApproval:
		return lang.L("Waiting for approval")
	case api.InvitationSent:
		return lang.L("Sent")
	case api.InvitationAccepted:
		return lang.L("Accepted")
	case api.InvitationExpired:
		return lang.L("Expired")
	case api.InvitationRecalled:
		return lang.L("Recalled")
	case api.InvitationDeclined:
		return lang.L("Declined")
	}
	return string(st)
}

// invitationEventName is how a step of the history is called.
func invitationEventName(event string) string {
	switch event {
	case api.InvitationEventCreated:
		return lang.L("Created")
	case api.InvitationEventApproved:
		return lang.L("Approved")
	case api.InvitationEventSent:
		return lang.L("Sent")
	case api.InvitationEventResent:
		return lang.L("Sent again")
	case api.InvitationEventAccepted:
		return lang.L("Accepted")
	case api.InvitationEventExpired:
		return lang.L("Expired")
	case api.InvitationEventRecalled:
		return lang.L("Recalled")
	case api.InvitationEventDeclined:
		return lang.L("Approval declined")
	}
	return event
}
