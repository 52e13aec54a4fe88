package ui

import (
	"context"
	"errors"
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
)

// privacyScreen is the Privacy and data area: the organisation's
// consents, each a check box with its description, link and state;
// Download my data… (saved where the system's save dialog says, with
// progress); and, for those who may, a danger zone whose Delete my
// account… says what goes, asks for the username typed and a step-up,
// and returns to the sign-in screen once the account is deleted.
type privacyScreen struct {
	ui     *UI
	ctx    context.Context
	cancel context.CancelFunc
	picker filePicker

	progress *busyBar
	message  *banner
	loads    loadState       // of what the area shows
	consents *fyne.Container // a row per consent
	checks   map[string]*widget.Check
	states   map[string]*widget.RichText
	loaded   bool

	download *widget.Button
	transfer *transferBar
	saved    *banner

	remove  *widget.Button // Delete my account…; nil without account_delete
	danger  *banner        // the danger zone's errors
	dialog  *formDialog    // the deletion dialog, while open
	stepUp  *stepUpDialog  // its step-up, while open
	confirm *entry         // its username
}

func newPrivacyScreen(u *UI) *privacyScreen {
	s := &privacyScreen{
		ui:       u,
		ctx:      context.Background(),
		cancel:   func() {},
		picker:   nativePicker{ui: u},
		progress: newBusyBar(),
		message:  newBanner(),
		consents: container.NewVBox(),
		transfer: newTransferBar(),
		saved:    newBanner(),
		danger:   newBanner(),
	}
	s.download = widget.NewButtonWithIcon(lang.L("Download my data…"), theme.DownloadIcon(), s.onDownload)
	if u.session.Can(api.PrivAccountDelete) {
		s.remove = widget.NewButtonWithIcon(lang.L("Delete my account…"), theme.DeleteIcon(), s.onDelete)
		s.remove.Importance = widget.DangerImportance
	}
	return s
}

func (s *privacyScreen) content() fyne.CanvasObject {
	box := container.NewVBox(
		heading(lang.L("Privacy and data")),
		paragraph(lang.L("Choose what your organisation may do with your data, and take a copy of everything it keeps about you.")),
		subheading(lang.L("Consents")),
		s.message,
		s.progress,
		s.consents,
		widget.NewSeparator(),
		subheading(lang.L("A copy of your data")),
		paragraph(lang.L("A file in JSON, a format other programs read, with your account, profile, contact details, sign-in methods, documents (their names: download the files themselves under Documents), requests, consents, the messages sent to you, the invitations you sent, your sessions and your sign-in activity. It holds no password, code or answer to a verification question.")),
		s.saved,
		s.transfer,
		container.NewHBox(s.download),
	)
	if s.remove != nil {
		box.Add(widget.NewSeparator())
		box.Add(subheading(lang.L("Delete my account")))
		box.Add(paragraph(lang.L("Deleting your account removes everything of yours for good: your sign-in methods, contact details, profile, documents, answers, requests and consents. You cannot undo it.")))
		box.Add(s.danger)
		box.Add(container.NewHBox(s.remove))
	}
	return container.NewVScroll(container.NewPadded(withWidth(600, box)))
}

func (s *privacyScreen) open(ctx context.Context) {
	s.ctx, s.cancel = context.WithCancel(ctx)
	s.load()
}

func (s *privacyScreen) close() {
	s.cancel()
	if s.dialog != nil {
		s.dialog.close()
		s.dialog = nil
	}
}

func (s *privacyScreen) load() {
	s.message.hide()
	loadWithRetry(s.ui, s.ctx, s.progress, s.message, &s.loads, s.load, s.ui.session.Consents, func(out api.ConsentsResponse) {
		s.loaded = true
		s.show(out)
	})
}

// show lists the consents of out.
func (s *privacyScreen) show(out api.ConsentsResponse) {
	s.checks = map[string]*widget.Check{}
	s.states = map[string]*widget.RichText{}
	s.consents.RemoveAll()
	if len(out.Consents) == 0 {
		s.consents.Add(paragraph(lang.L("Your organisation asks for no consents.")))
		return
	}
	for i, c := range out.Consents {
		if i > 0 {
			s.consents.Add(widget.NewSeparator())
		}
		s.consents.Add(s.row(c))
	}
}

// row is a consent: a check box with its title, the description, the
// link to the full text and the user's answer.
func (s *privacyScreen) row(c api.Consent) fyne.CanvasObject {
	check := widget.NewCheck(c.Title, nil)
	check.SetChecked(c.Granted())
	check.OnChanged = func(on bool) { s.onConsent(c, on) }
	if !s.ui.session.Can(api.PrivPrivacyUpdate) {
		check.Disable()
	}
	state := hint("")
	s.checks[c.ID], s.states[c.ID] = check, state
	s.setState(c)
	box := container.NewVBox(check, paragraph(c.Description))
	if u, err := url.Parse(c.URL); c.URL != "" && err == nil {
		box.Add(widget.NewHyperlink(lang.L("Read the full text"), u))
	}
	box.Add(state)
	return box
}

// setState says where the user stands on c.
func (s *privacyScreen) setState(c api.Consent) {
	text := lang.L("Not answered yet: off until you turn it on.")
	if c.AnsweredAt != nil {
		when := s.ui.dates.when(*c.AnsweredAt, s.ui.now())
		switch c.State {
		case api.ConsentGranted:
			text = lang.L("Given {{.When}}.", map[string]any{"When": when})
		case api.ConsentDeclined:
			text = lang.L("Declined {{.When}}.", map[string]any{"When": when})
		default:
			text = lang.L("The text has changed since you answered {{.When}}: it is off until you turn it on again.", map[string]any{"When": when})
		}
	}
	setStyledText(s.states[c.ID], text)
}

// onConsent sends the answer; a failure puts the box back as it was.
func (s *privacyScreen) onConsent(c api.Consent, on bool) {
	s.message.hide()
	check := s.checks[c.ID]
	check.Disable()
	var out api.Consent
	s.ui.run(s.ctx, s.progress, func(ctx context.Context) error {
		var err error
		out, err = s.ui.session.SetConsent(ctx, c.ID, on)
		return err
	}, func(err error) {
		check.Enable()
		if err != nil {
			check.OnChanged = nil
			check.SetChecked(!on)
			check.OnChanged = func(on bool) { s.onConsent(c, on) }
			s.message.show(bannerError, errorMessage(err), lang.L("Try again"), func() { check.SetChecked(on) })
			if errors.Is(err, api.ErrNotFound) {
				s.load()
			}
			return
		}
		s.setState(out)
	})
}

func (s *privacyScreen) onDownload() {
	name := s.ui.session.ExportFileName(s.ui.now().Format("2006-01-02"))
	s.picker.pickSave(lang.L("Save a copy of your data"), name, func(path string) {
		if path != "" {
			s.export(path)
		}
	})
}

// export saves the copy of the data at path, showing its progress, with
// a retry when it fails.
func (s *privacyScreen) export(path string) {
	s.saved.hide()
	s.download.Disable()
	ctx, cancel := context.WithCancel(s.ctx)
	s.transfer.start(lang.L("Downloading a copy of your data…"), cancel)
	s.ui.run(ctx, nil, func(ctx context.Context) error {
		return s.ui.session.ExportAccount(ctx, path, s.transfer.progress(s.ui.do))
	}, func(err error) {
		defer cancel()
		s.transfer.stop()
		s.download.Enable()
		if err != nil {
			s.saved.show(bannerError, documentErrorMessage(err), lang.L("Try again"), func() { s.export(path) })
			return
		}
		s.saved.show(bannerSuccess, lang.L("Saved as {{.Path}}.", map[string]any{"Path": path}), "", nil)
	})
	context.AfterFunc(ctx, func() {
		if s.ctx.Err() == nil {
			s.ui.do(func() { s.transfer.stop(); s.download.Enable() })
		}
	})
}

// onDelete asks what deleting would remove, then opens the dialog.
func (s *privacyScreen) onDelete() {
	s.danger.hide()
	s.remove.Disable()
	var summary api.DeletionSummary
	s.ui.run(s.ctx, s.progress, func(ctx context.Context) error {
		var err error
		summary, err = s.ui.session.DeletionSummary(ctx)
		return err
	}, func(err error) {
		s.remove.Enable()
		if err != nil {
			s.danger.show(bannerError, errorMessage(err), lang.L("Try again"), s.onDelete)
			return
		}
		s.openDeletion(summary)
	})
}

// openDeletion shows what goes and asks for the username typed.
func (s *privacyScreen) openDeletion(summary api.DeletionSummary) {
	s.confirm = newEntry()
	s.confirm.SetPlaceHolder(summary.Username)
	confirmErr := newFieldError()
	body := container.NewVBox(
		paragraph(lang.L("This removes, for good:")),
		paragraph(deletionList(summary)),
		paragraph(lang.L("Decisions you gave on other people's requests stay in their history, without your name.")),
	)
	if summary.ApprovalNeeded {
		body.Add(paragraph(lang.L("Your organisation has approvers check this first: once they approve it, come back here and delete your account.")))
	}
	body.Add(field(lang.L("Type your username, {{.Username}}, to confirm", map[string]any{"Username": summary.Username}), s.confirm, confirmErr))
	d := newFormDialog(s.ui, s.ctx, lang.L("Delete your account?"), lang.L("Delete my account"), body)
	d.confirm.Importance = widget.DangerImportance
	d.fields["username"] = confirmErr
	d.inputs = []fyne.Disableable{s.confirm}
	var sent *api.ApprovalRequest
	deleteIt := s.ui.approvable(lang.L("Deleting your account needs your confirmation."), func(d *stepUpDialog) { s.stepUp = d }, func(ctx context.Context) error {
		return s.ui.session.DeleteAccount(ctx, s.confirm.Text)
	})
	d.work = func(ctx context.Context) error {
		err := deleteIt(ctx)
		if req, ok := api.ApprovalPending(err); ok {
			sent, err = req, nil
		}
		return err
	}
	d.done = func() {
		d.close()
		s.dialog = nil
		if sent != nil {
			s.danger.show(bannerInfo, sentText(*sent), "", nil)
			return
		}
		s.ui.showSignIn(lang.L("Your account is deleted. Everything of yours has been removed."))
	}
	s.confirm.OnSubmitted = func(string) { d.onConfirm() }
	s.dialog = d
	d.show()
	s.ui.win.Canvas().Focus(s.confirm)
}

// deletionList names what deleting the account removes, one line each.
func deletionList(d api.DeletionSummary) string {
	lines := []string{
		lang.N("{{.Count}} sign-in method", d.Tokens, map[string]any{"Count": d.Tokens}),
		lang.N("{{.Count}} contact value", d.ContactValues, map[string]any{"Count": d.ContactValues}),
		lang.N("{{.Count}} profile field", d.ProfileFields, map[string]any{"Count": d.ProfileFields}),
		lang.N("{{.Count}} answer to a verification question", d.VerificationAnswers, map[string]any{"Count": d.VerificationAnswers}),
		lang.N("{{.Count}} document", d.Documents, map[string]any{"Count": d.Documents}),
		lang.N("{{.Count}} request for approval", d.Requests, map[string]any{"Count": d.Requests}),
		lang.N("{{.Count}} consent", d.Consents, map[string]any{"Count": d.Consents}),
		lang.N("{{.Count}} message sent to you", d.Messages, map[string]any{"Count": d.Messages}),
		lang.N("{{.Count}} signed-in session, this one too", d.Sessions, map[string]any{"Count": d.Sessions}),
	}
	out := ""
	for _, l := range lines {
		out += "• " + l + "\n"
	}
	return out[:len(out)-1]
}
