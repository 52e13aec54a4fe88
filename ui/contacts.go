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

// contactsScreen is the Contact details area: a card per field the
// organisation configures, with the user's value, whether it is
// confirmed, which is the preferred channel, and Change and Remove.
// A field with verify changes only once the code sent to the new value
// is entered; a locked one is removed only with the code sent to it.
type contactsScreen struct {
	ui     *UI
	ctx    context.Context
	cancel context.CancelFunc

	data     api.ContactsResponse
	loaded   bool
	list     *fyne.Container // a card per field
	edit     map[string]*widget.Button
	progress *busyBar
	message  *banner
	loads    loadState // of what the area shows
	notice   *banner
	dialog   *formDialog   // the open change or code dialog, if any
	stepUp   *stepUpDialog // the last step-up dialog opened
}

func newContactsScreen(u *UI) *contactsScreen {
	return &contactsScreen{
		ui:       u,
		ctx:      context.Background(),
		cancel:   func() {},
		list:     container.NewVBox(),
		edit:     map[string]*widget.Button{},
		progress: newBusyBar(),
		message:  newBanner(),
		notice:   newBanner(),
	}
}

func (s *contactsScreen) content() fyne.CanvasObject {
	return container.NewVScroll(container.NewPadded(withWidth(560, container.NewVBox(
		heading(lang.L("Contact details")),
		paragraph(lang.L("How your organisation reaches you. You are told about changes to your account at the value marked Preferred.")),
		s.message,
		s.notice,
		s.progress,
		s.list,
	))))
}

func (s *contactsScreen) open(ctx context.Context) {
	s.ctx, s.cancel = context.WithCancel(ctx)
	s.load()
}

func (s *contactsScreen) close() { s.cancel() }

// load asks for the contact details; a failure keeps the cards shown.
func (s *contactsScreen) load() {
	s.message.hide()
	loadWithRetry(s.ui, s.ctx, s.progress, s.message, &s.loads, s.load, s.ui.session.Contacts, func(out api.ContactsResponse) {
		s.data, s.loaded = out, true
		s.show()
	})
}

func (s *contactsScreen) show() {
	s.list.Objects = nil
	s.edit = map[string]*widget.Button{}
	for _, f := range s.data.Fields {
		s.list.Add(s.card(f))
	}
	if len(s.data.Fields) == 0 {
		s.list.Add(paragraph(lang.L("Your organisation keeps no contact details here.")))
	}
	s.list.Refresh()
}

// value is the user's value of field, if any.
func (s *contactsScreen) value(field string) (api.ContactValue, bool) {
	for _, v := range s.data.Values {
		if v.Field == field {
			return v, true
		}
	}
	return api.ContactValue{}, false
}

// pending is the field's change waiting for its code, if any.
func (s *contactsScreen) pending(field string) (api.ContactChange, bool) {
	for _, c := range s.data.Change {
		if c.Field == field {
			return c, true
		}
	}
	return api.ContactChange{}, false
}

// card is one field: label and badges, the value, what uses it, and the
// actions.
func (s *contactsScreen) card(f api.ContactField) fyne.CanvasObject {
	v, has := s.value(f.ID)
	title := container.NewHBox(widget.NewLabelWithStyle(f.Label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	if f.Mandatory {
		title.Add(newBadge(lang.L("Required"), theme.ColorNameWarning))
	}
	if has && v.Preferred {
		title.Add(newBadge(lang.L("Preferred"), theme.ColorNamePrimary))
	}
	if has && f.Verify {
		if v.Verified {
			title.Add(newBadge(lang.L("Confirmed"), theme.ColorNameSuccess))
		} else {
			title.Add(newBadge(lang.L("Not confirmed"), theme.ColorNameWarning))
		}
	}
	text := container.NewVBox(title)
	if has {
		text.Add(widget.NewLabel(v.Value))
	} else {
		text.Add(styledText(lang.L("Not given"), theme.ColorNamePlaceHolder, theme.SizeNameText))
	}
	for _, name := range v.UsedBy {
		text.Add(styledText(lang.L("The codes of “{{.Name}}” go here.", map[string]any{"Name": name}), theme.ColorNameForeground, theme.SizeNameCaptionText))
	}
	if ch, ok := s.pending(f.ID); ok {
		what := lang.L("Waiting for the code sent to {{.Address}} to confirm the new value.", map[string]any{"Address": ch.Delivery.SentTo})
		if ch.Remove {
			what = lang.L("Waiting for the code sent to {{.Address}} to confirm the removal.", map[string]any{"Address": ch.Delivery.SentTo})
		}
		text.Add(styledText(what, theme.ColorNameWarning, theme.SizeNameCaptionText))
		text.Add(container.NewHBox(widget.NewButton(lang.L("Enter code"), func() { s.onEnterCode(f, ch) })))
	}

	actions := container.NewHBox()
	if has && f.Type != api.ContactText && !v.Preferred && (v.Verified || !f.Verify) {
		actions.Add(widget.NewButtonWithIcon(lang.L("Make preferred"), theme.ConfirmIcon(), func() { s.onPrefer(f) }))
	}
	label := lang.L("Change")
	if !has {
		label = lang.L("Add")
	}
	edit := widget.NewButtonWithIcon(label, theme.DocumentCreateIcon(), func() { s.onEdit(f) })
	s.edit[f.ID] = edit
	actions.Add(edit)
	if has {
		remove := widget.NewButtonWithIcon(lang.L("Remove"), theme.DeleteIcon(), func() { s.onRemove(f, v) })
		if f.Mandatory || len(v.UsedBy) > 0 {
			remove.Disable()
			why := lang.L("Your organisation requires it: change it instead.")
			if !f.Mandatory {
				why = lang.L("A sign-in method sends its codes here: move or delete that method first.")
			}
			text.Add(styledText(why, theme.ColorNamePlaceHolder, theme.SizeNameCaptionText))
		}
		actions.Add(remove)
	}
	return widget.NewCard("", "", container.NewBorder(nil, nil, nil, container.NewCenter(actions), text))
}

// purpose says what a step-up confirms.
func contactPurpose(f api.ContactField) string {
	return lang.L("Changing your {{.Label}} needs your confirmation.", map[string]any{"Label": f.Label})
}

// onEdit asks for a new value; a field with verify then asks for the
// code sent to it.
func (s *contactsScreen) onEdit(f api.ContactField) {
	s.notice.hide()
	input := newEntry()
	if v, ok := s.value(f.ID); ok {
		input.SetText(v.Value)
	}
	switch f.Type {
	case api.ContactEmail:
		input.SetPlaceHolder("name@example.com")
	case api.ContactPhone:
		input.SetPlaceHolder("+49 151 12345678")
	}
	valueErr := newFieldError()
	input.OnChanged = func(string) { valueErr.set("") }
	intro := lang.L("Enter your new {{.Label}}.", map[string]any{"Label": f.Label})
	confirm := lang.L("Save")
	if f.Verify {
		intro = lang.L("Enter your new {{.Label}}. We send a code there to confirm it; until then, the old one stays.", map[string]any{"Label": f.Label})
		confirm = lang.L("Send code")
	}
	place := container.NewStack(container.NewVBox(paragraph(intro), field(f.Label, input, valueErr)))
	d := newFormDialog(s.ui, s.ctx, f.Label, confirm, s.ui.withApprovalNotice(place, api.OpContactUpdate, ""))
	d.fields["value"] = valueErr
	d.inputs = []fyne.Disableable{input}
	var res api.ContactResponse
	send := func(ctx context.Context) error {
		return s.ui.approvable(contactPurpose(f), func(d *stepUpDialog) { s.stepUp = d }, func(ctx context.Context) error {
			var err error
			res, err = s.ui.session.SetContact(ctx, f, input.Text)
			return err
		})(ctx)
	}
	var sentTo *api.ApprovalRequest // set when the change went to approvers
	d.work = func(ctx context.Context) error {
		err := send(ctx)
		if req, ok := api.ApprovalPending(err); ok {
			sentTo, err = req, nil
		}
		return err
	}
	d.done = func() {
		if sentTo != nil {
			d.close()
			s.dialog = nil
			s.notice.show(bannerInfo, sentText(*sentTo), "", nil)
			return
		}
		if res.Pending == nil {
			d.close()
			s.saved(lang.L("Your {{.Label}} is saved.", map[string]any{"Label": f.Label}))
			return
		}
		s.codeStep(d, place, f, *res.Pending)
	}
	input.OnSubmitted = func(string) { d.onConfirm() }
	s.dialog = d
	d.show()
	s.ui.win.Canvas().Focus(input)
}

// onRemove asks before removing a value; a locked one then asks for the
// code sent to it.
func (s *contactsScreen) onRemove(f api.ContactField, v api.ContactValue) {
	s.notice.hide()
	text := lang.L("Remove your {{.Label}} {{.Value}}?", map[string]any{"Label": f.Label, "Value": v.Value})
	if f.Locked {
		text += " " + lang.L("We send a code to it to confirm.")
	}
	place := container.NewStack(paragraph(text))
	d := newFormDialog(s.ui, s.ctx, lang.L("Remove"), lang.L("Remove"), s.ui.withApprovalNotice(place, api.OpContactUpdate, ""))
	var res api.ContactResponse
	send := func(ctx context.Context) error {
		return s.ui.approvable(contactPurpose(f), func(d *stepUpDialog) { s.stepUp = d }, func(ctx context.Context) error {
			var err error
			res, err = s.ui.session.DeleteContact(ctx, f.ID)
			return err
		})(ctx)
	}
	var sentTo *api.ApprovalRequest // set when the change went to approvers
	d.work = func(ctx context.Context) error {
		err := send(ctx)
		if req, ok := api.ApprovalPending(err); ok {
			sentTo, err = req, nil
		}
		return err
	}
	d.done = func() {
		if sentTo != nil {
			d.close()
			s.dialog = nil
			s.notice.show(bannerInfo, sentText(*sentTo), "", nil)
			return
		}
		if res.Pending == nil {
			d.close()
			s.saved(lang.L("Your {{.Label}} is removed.", map[string]any{"Label": f.Label}))
			return
		}
		s.codeStep(d, place, f, *res.Pending)
	}
	s.dialog = d
	d.show()
}

// onEnterCode opens the code step of a change waiting for its code.
func (s *contactsScreen) onEnterCode(f api.ContactField, ch api.ContactChange) {
	place := container.NewStack()
	d := newFormDialog(s.ui, s.ctx, f.Label, lang.L("Confirm"), place)
	s.dialog = d
	s.codeStep(d, place, f, ch)
}

// resend sends the code of change ch again; the server asks no new
// approval for the same change.
func (s *contactsScreen) resend(f api.ContactField, ch api.ContactChange) func(ctx context.Context) (api.CodeDelivery, error) {
	return func(ctx context.Context) (api.CodeDelivery, error) {
		var res api.ContactResponse
		var err error
		if ch.Remove {
			res, err = s.ui.session.DeleteContact(ctx, f.ID)
		} else {
			res, err = s.ui.session.SetContact(ctx, f, ch.Value)
		}
		if err == nil && res.Pending == nil {
			err = errNoDelivery()
		}
		if err != nil {
			return api.CodeDelivery{}, err
		}
		return res.Pending.Delivery, nil
	}
}

// codeStep turns d into the entry of the code sent for change ch.
func (s *contactsScreen) codeStep(d *formDialog, place *fyne.Container, f api.ContactField, ch api.ContactChange) {
	sent := newSentCode(s.ui, d.ctx, d.progress, ch.Delivery, s.resend(f, ch), func(err error) {
		d.message.show(bannerError, errorMessage(err), "", nil)
	})
	sent.code.OnSubmitted = func(string) { d.onConfirm() }
	place.Objects = []fyne.CanvasObject{container.NewVBox(paragraph(lang.L("Enter the code we sent to confirm the change.")), sent.content())}
	place.Refresh()
	d.confirm.SetText(lang.L("Confirm"))
	d.fields = map[string]fieldError{"otp": sent.codeErr}
	d.inputs = []fyne.Disableable{sent.code}
	var res api.ContactResponse
	d.work = func(ctx context.Context) error {
		var err error
		res, err = s.ui.session.ConfirmContact(ctx, f.ID, sent.code.Text)
		return sentCodeError(err)
	}
	d.done = func() {
		d.close()
		msg := lang.L("Your {{.Label}} is confirmed and saved.", map[string]any{"Label": f.Label})
		if res.Removed {
			msg = lang.L("Your {{.Label}} is removed.", map[string]any{"Label": f.Label})
		}
		s.saved(msg)
	}
	d.show()
	s.ui.win.Canvas().Focus(sent.code)
}

// onPrefer makes a value the preferred channel.
func (s *contactsScreen) onPrefer(f api.ContactField) {
	s.notice.hide()
	s.ui.run(s.ctx, s.progress, func(ctx context.Context) error {
		_, err := s.ui.session.PreferContact(ctx, f.ID)
		return err
	}, func(err error) {
		if err != nil {
			s.message.show(bannerError, errorMessage(err), "", nil)
			return
		}
		s.saved(lang.L("You are now told about changes at your {{.Label}}.", map[string]any{"Label": f.Label}))
	})
}

// saved reports a change (or that it went to approvers) and reloads.
func (s *contactsScreen) saved(msg string) {
	s.dialog = nil
	s.notice.show(bannerSuccess, msg, "", nil)
	s.load()
}
