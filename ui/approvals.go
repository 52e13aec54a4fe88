package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
	"selfservice/app"
)

// approvalsScreen is the To approve area: the requests the user is an
// approver of, and a dialog to read one and approve or decline it with a
// comment. Its work runs between open and close.
type approvalsScreen struct {
	ui        *UI
	list      *requestList
	onDecided func() // told after every decision, to refresh the badge

	dialog *approvalDialog // the open request, if any
}

// approvalDialog is a request the user may decide on.
type approvalDialog struct {
	*requestDialog
	comment    *entry
	commentErr fieldError
	decideBox  *fyne.Container // the comment field; hidden once there is nothing to decide
	approve    *widget.Button  // nil without the privilege
	decline    *widget.Button  // nil without the privilege
}

func newApprovalsScreen(u *UI, onDecided func()) *approvalsScreen {
	s := &approvalsScreen{ui: u, onDecided: onDecided}
	s.list = newRequestList(u)
	s.list.fetch = u.session.Inbox
	s.list.who = func(r api.ApprovalRequest) string {
		return lang.L("From {{.Name}}", map[string]any{"Name": personFullName(r.Requester)})
	}
	s.list.onOpen = s.openRequest
	s.list.empty = func(filter string) string {
		if filter == api.FilterAll {
			return lang.L("Nobody has asked you to approve anything yet.")
		}
		return lang.L("Nothing is waiting for your decision.")
	}
	return s
}

func (s *approvalsScreen) content() fyne.CanvasObject {
	return s.list.content(lang.L("To approve"), lang.L("Requests other people made that need your approval before they run."))
}

func (s *approvalsScreen) open(ctx context.Context) { s.list.start(ctx) }

func (s *approvalsScreen) close() {
	s.list.stop()
	s.dialog = nil
}

// openRequest shows r with the comment field and the decisions the user
// may still make.
func (s *approvalsScreen) openRequest(r api.ApprovalRequest) {
	d := &approvalDialog{comment: newMultiLineEntry(), commentErr: newFieldError()}
	d.comment.SetPlaceHolder(lang.L("Why you approve or decline; the requester reads it."))
	d.comment.SetMinRowsVisible(2)
	d.comment.Wrapping = fyne.TextWrapWord
	d.decideBox = field(lang.L("Comment"), d.comment, d.commentErr)
	d.requestDialog = newRequestDialog(s.ui, s.list.ctx, lang.L("Request to approve"), r, d.decideBox)
	if s.ui.session.Can(api.PrivMyApprovalsDecline) {
		d.decline = widget.NewButtonWithIcon(lang.L("Decline"), theme.CancelIcon(), func() { s.decide(d, api.DecisionDeclined) })
		d.decline.Importance = widget.DangerImportance
		d.addButton(d.decline)
	}
	if s.ui.session.Can(api.PrivMyApprovalsApprove) {
		d.approve = widget.NewButtonWithIcon(lang.L("Approve"), theme.ConfirmIcon(), func() { s.decide(d, api.DecisionApproved) })
		d.approve.Importance = widget.HighImportance
		d.addButton(d.approve)
	}
	s.updateDecisions(d)
	s.dialog = d
	d.dlg.SetOnClosed(func() {
		if s.dialog == d {
			s.dialog = nil
		}
	})
	d.show()
	if s.ui.session.Can(api.PrivMyApprovalsView) {
		d.refresh(s.ui.session.InboxRequest, func() { s.updateDecisions(d) })
	}
}

// updateDecisions shows the buttons of the decisions the user may still
// make on the dialog's request: while it is IN_APPROVAL, approve unless
// they approved already, and decline (an approval may still be
// withdrawn by declining).
func (s *approvalsScreen) updateDecisions(d *approvalDialog) {
	r := d.req
	open := r.Status == api.RequestInApproval
	mine := app.DecisionOf(r, s.ui.session.User().ID)
	canApprove := open && mine != api.DecisionApproved && d.approve != nil
	canDecline := open && d.decline != nil
	showIf(d.approve, canApprove)
	showIf(d.decline, canDecline)
	if canApprove || canDecline {
		d.decideBox.Show()
	} else {
		d.decideBox.Hide()
	}
}

// decide sends the user's decision with the comment. A missing comment
// shows under the field; the request shown is then the server's answer.
func (s *approvalsScreen) decide(d *approvalDialog, decision api.DecisionValue) {
	d.message.hide()
	d.commentErr.set("")
	d.setBusy(true)
	var updated api.ApprovalRequest
	comment := d.comment.Text
	s.ui.run(d.ctx, d.progress, func(ctx context.Context) error {
		var err error
		if decision == api.DecisionApproved {
			updated, err = s.ui.session.ApproveRequest(ctx, d.req.ID, comment)
		} else {
			updated, err = s.ui.session.DeclineRequest(ctx, d.req.ID, comment)
		}
		return err
	}, func(err error) {
		d.setBusy(false)
		if err != nil {
			s.showDecisionError(d, err)
			return
		}
		d.comment.SetText("")
		d.setRequest(updated)
		s.updateDecisions(d)
		d.message.show(bannerSuccess, decisionOutcome(updated, decision), "", nil)
		s.list.load()
		if s.onDecided != nil {
			s.onDecided()
		}
	})
}

func (s *approvalsScreen) showDecisionError(d *approvalDialog, err error) {
	if msg := fieldErrors(err)["comment"]; msg != "" {
		d.commentErr.set(msg)
		return
	}
	d.message.show(bannerError, requestErrorMessage(err), "", nil)
	if errors.Is(err, api.ErrInvalidState) || errors.Is(err, api.ErrNotFound) || errors.Is(err, api.ErrAlreadyDecided) {
		// The request changed meanwhile: show it as it is now.
		d.refresh(s.ui.session.InboxRequest, func() { s.updateDecisions(d) })
		s.list.load()
	}
}

func (d *approvalDialog) setBusy(busy bool) {
	setEnabled(d.comment, !busy)
	for _, b := range []*widget.Button{d.approve, d.decline} {
		if b != nil {
			setEnabled(b, !busy)
		}
	}
}

// decisionOutcome tells the approver what their decision did.
func decisionOutcome(r api.ApprovalRequest, decision api.DecisionValue) string {
	name := personName(r.Requester)
	switch {
	case decision == api.DecisionDeclined:
		return lang.L("You declined the request. Nothing changes; {{.Name}} is told why.", map[string]any{"Name": name})
	case r.AwaitsRequester():
		return lang.L("You approved the request. {{.Name}} can now finish it.", map[string]any{"Name": name})
	case r.Status == api.RequestApproved:
		return lang.L("You approved the request, and it has been carried out.")
	}
	return lang.L("You approved the request. It still needs the approval of others.")
}

// showIf shows b when show is true and hides it otherwise; a nil b stays
// nil.
func showIf(b *widget.Button, show bool) {
	if b == nil {
		return
	}
	if show {
		b.Show()
	} else {
		b.Hide()
	}
}
