package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
)

// invitationForm is the New invitation dialog: the template, what it is
// for and what sending takes (at once, a confirmation, approvers), the
// person's name and email address, and the template's fields; each
// error shows next to its field, and what was typed stays. A step-up
// opens over it when the organisation asks for one.
type invitationForm struct {
	s         *invitationsScreen
	d         *formDialog
	templates api.InvitationTemplatesResponse
	chosen    api.InvitationTemplate

	template    *widget.Select
	description *widget.Label
	approval    *banner
	name        *entry
	email       *entry
	extra       *fyne.Container       // the template's fields
	values      map[string]*entry     // by field id
	errs        map[string]fieldError // by the server's field name
	ready       bool                  // shown: a new template resizes it
}

func newInvitationForm(s *invitationsScreen, templates api.InvitationTemplatesResponse) *invitationForm {
	f := &invitationForm{
		s:           s,
		templates:   templates,
		description: paragraph(""),
		approval:    newBanner(),
		name:        newEntry(),
		email:       newEntry(),
		extra:       container.NewVBox(),
		values:      map[string]*entry{},
		errs:        map[string]fieldError{"template_id": newFieldError(), "name": newFieldError(), "email": newFieldError()},
	}
	f.name.SetPlaceHolder(lang.L("First and last name"))
	f.email.SetPlaceHolder("name@example.com")
	var names []string
	for _, t := range templates.Templates {
		names = append(names, t.Name)
	}
	f.template = widget.NewSelect(names, func(string) { f.choose() })
	f.d = newFormDialog(s.ui, s.ctx, lang.L("New invitation"), lang.L("Send invitation"), container.NewVBox(
		f.approval,
		field(lang.L("Template"), f.template, f.errs["template_id"]),
		f.description,
		field(lang.L("Name"), f.name, f.errs["name"]),
		field(lang.L("Email address"), f.email, f.errs["email"]),
		f.extra,
	))
	f.d.fields = f.errs
	f.d.work = f.work
	f.d.done = func() {} // set by work's outcome
	f.showApproval()
	f.template.SetSelectedIndex(0)
	f.ready = true
	return f
}

// showApproval says up front what sending the invitation takes.
func (f *invitationForm) showApproval() {
	switch f.templates.Approval {
	case api.ModeSelf:
		f.approval.show(bannerInfo, lang.L("Your organisation asks you to confirm it's you with one of your sign-in methods before the invitation is sent."), "", nil)
	case api.ModeApprovers:
		f.approval.show(bannerWarning, lang.L("Invitations need approval: your request goes to the approvers first, and the invitation is sent once they approve it."), "", nil)
	default:
		f.approval.hide()
	}
}

// choose shows the chosen template's description and fields. Values
// typed into a field that the new template asks too are kept.
func (f *invitationForm) choose() {
	i := f.template.SelectedIndex()
	if i < 0 {
		return
	}
	f.chosen = f.templates.Templates[i]
	f.description.SetText(f.chosen.Description + " " + lang.N("The link works for {{.Count}} days.", f.chosen.LinkDays, map[string]any{"Count": f.chosen.LinkDays}))
	old := f.values
	f.values = map[string]*entry{}
	for name := range f.errs {
		if name != "template_id" && name != "name" && name != "email" {
			delete(f.errs, name)
		}
	}
	f.extra.Objects = nil
	inputs := []fyne.Disableable{f.template, f.name, f.email}
	for _, fld := range f.chosen.Fields {
		e := newEntry()
		if prev, ok := old[fld.ID]; ok {
			e.SetText(prev.Text)
		}
		label := fld.Label
		if !fld.Required {
			label = lang.L("{{.Label}} (optional)", map[string]any{"Label": fld.Label})
		}
		errLabel := newFieldError()
		f.errs["fields."+fld.ID] = errLabel
		f.values[fld.ID] = e
		inputs = append(inputs, e)
		f.extra.Add(field(label, e, errLabel))
	}
	f.d.inputs = inputs
	f.extra.Refresh()
	if f.ready {
		f.d.show() // the dialog takes the new fields' height
	}
}

// request is the invitation the form asks for.
func (f *invitationForm) request() api.CreateInvitationRequest {
	req := api.CreateInvitationRequest{TemplateID: f.chosen.ID, Name: f.name.Text, Email: f.email.Text, Fields: map[string]string{}}
	for id, e := range f.values {
		if e.Text != "" {
			req.Fields[id] = e.Text
		}
	}
	return req
}

// work sends the invitation, through a step-up when one is asked for;
// sent to approvers, it is done too: the list shows it waiting.
func (f *invitationForm) work(ctx context.Context) error {
	req := f.request()
	var inv api.Invitation
	send := f.s.ui.approvable(lang.L("Sending an invitation needs your confirmation."), nil, func(ctx context.Context) error {
		var err error
		inv, err = f.s.ui.session.CreateInvitation(ctx, req)
		return err
	})
	err := send(ctx)
	pending, sentForApproval := api.ApprovalPending(err)
	if err != nil && !sentForApproval {
		return err
	}
	f.d.done = func() {
		f.s.closeDialog(f.d)
		f.s.created(inv, pending, req.Name)
	}
	return nil
}
