package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
)

// invitationDetail is the Details dialog of an invitation: the person,
// the template and its fields, the account made, and every step of its
// history.
type invitationDetail struct {
	inv     api.Invitation
	history *fyne.Container // a row per step
	dlg     *dialog.CustomDialog
	close   *widget.Button
}

func newInvitationDetail(s *invitationsScreen, inv api.Invitation) *invitationDetail {
	d := &invitationDetail{inv: inv, history: container.NewVBox()}
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Name"), widget.NewLabel(inv.Name)),
		widget.NewFormItem(lang.L("Email address"), widget.NewLabel(inv.Email)),
		widget.NewFormItem(lang.L("Template"), widget.NewLabel(inv.TemplateName)),
		widget.NewFormItem(lang.L("Status"), container.NewHBox(invitationBadge(inv.Status))),
	)
	if s.templates != nil {
		for _, t := range s.templates.Templates {
			if t.ID != inv.TemplateID {
				continue
			}
			for _, f := range t.Fields {
				if v := inv.Fields[f.ID]; v != "" {
					form.Append(f.Label, widget.NewLabel(v))
				}
			}
		}
	}
	if inv.Username != "" {
		form.Append(lang.L("Account"), widget.NewLabel(inv.Username))
	}
	if inv.Status == api.InvitationSent && inv.ExpiresAt != nil {
		form.Append(lang.L("Link works until"), widget.NewLabel(s.ui.dates.dateTime(*inv.ExpiresAt)))
	}
	for _, ev := range inv.History {
		when := widget.NewLabel(s.ui.dates.dateTime(ev.At))
		when.SizeName = theme.SizeNameCaptionText
		d.history.Add(container.NewBorder(nil, nil, nil, when, widget.NewLabel(invitationEventName(ev.Event))))
	}
	content := container.NewVBox(form, subheading(lang.L("History")), d.history)
	d.close = widget.NewButton(lang.L("Close"), nil)
	d.dlg = dialog.NewCustomWithoutButtons(lang.L("Invitation of {{.Name}}", map[string]any{"Name": inv.Name}), withWidth(420, content), s.ui.win)
	d.close.OnTapped = d.dlg.Hide
	d.dlg.SetButtons([]fyne.CanvasObject{d.close})
	stop := context.AfterFunc(s.ctx, func() { s.ui.do(d.dlg.Hide) })
	d.dlg.SetOnClosed(func() { stop() })
	return d
}
