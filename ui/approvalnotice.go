package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"

	"selfservice/api"
)

// approvalNeedText tells the user, before they submit, what a change
// needs before it runs; "" when it runs at once.
func approvalNeedText(n api.ApprovalNeed) string {
	switch n.Mode {
	case api.ModeSelf:
		return lang.L("Before this change runs, you confirm it's you with one of your sign-in methods.")
	case api.ModeApprovers:
		return lang.N("This change runs only once {{.Count}} approvers agree. Follow it under My requests.", n.Required, map[string]any{"Count": n.Required})
	}
	return ""
}

// approvalNotice is the notice the form of an approvable action shows
// above its button: what op on a token of templateID ("" without one)
// needs before it runs, as the server's policy says. It is hidden when
// the change runs at once.
func (u *UI) approvalNotice(op api.Operation, templateID string) *banner {
	b := newBanner()
	if text := approvalNeedText(u.session.ApprovalNeed(op, templateID)); text != "" {
		b.show(bannerInfo, text, "", nil)
	}
	return b
}

// withApprovalNotice is body with the approval notice of op under it,
// for the dialogs of approvable actions.
func (u *UI) withApprovalNotice(body fyne.CanvasObject, op api.Operation, templateID string) fyne.CanvasObject {
	return container.NewVBox(body, u.approvalNotice(op, templateID))
}
