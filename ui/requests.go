package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
)

// requestsScreen is the My requests area: the user's own approval
// requests, and a dialog to follow one, revoke it, or finish an approved
// enrollment. Its work runs between open and close.
type requestsScreen struct {
	ui   *UI
	list *requestList

	dialog *myRequestDialog // the open request, if any
}

// myRequestDialog is one of the user's requests.
type myRequestDialog struct {
	*requestDialog
	revoke *widget.Button
	finish *widget.Button
	// finishPassword opens the Password area for an approved password
	// change.
	finishPassword *widget.Button
}

func newRequestsScreen(u *UI) *requestsScreen {
	s := &requestsScreen{ui: u}
	s.list = newRequestList(u)
	s.list.fetch = u.session.Requests
	s.list.who = approversLine
	s.list.onOpen = s.openRequest
	s.list.empty = func(filter string) string {
		if filter == api.FilterAll {
			return lang.L("You have not made any request that needs approval.")
		}
		return lang.L("None of your requests is waiting for approval.")
	}
	return s
}

func (s *requestsScreen) content() fyne.CanvasObject {
	return s.list.content(lang.L("My requests"), lang.L("Changes you asked for that need someone's approval. Follow them here, or revoke those not yet done."))
}

func (s *requestsScreen) open(ctx context.Context) { s.list.start(ctx) }

func (s *requestsScreen) close() {
	s.list.stop()
	s.dialog = nil
}

// approversLine names the approvers of r, for the list.
func approversLine(r api.ApprovalRequest) string {
	names := make([]string, 0, len(r.Approvers))
	for _, p := range r.Approvers {
		names = append(names, personName(p))
	}
	if len(names) == 0 {
		return ""
	}
	return lang.L("Approvers: {{.Names}}", map[string]any{"Names": strings.Join(names, ", ")})
}

// openRequest shows r with its history, and Revoke while it can still be
// revoked; an approved enrollment also offers to finish it.
func (s *requestsScreen) openRequest(r api.ApprovalRequest) {
	d := &myRequestDialog{}
	d.requestDialog = newRequestDialog(s.ui, s.list.ctx, lang.L("My request"), r, nil)
	d.revoke = widget.NewButtonWithIcon(lang.L("Revoke"), theme.DeleteIcon(), func() { s.confirmRevoke(d) })
	d.revoke.Importance = widget.DangerImportance
	d.addButton(d.revoke)
	d.finish = widget.NewButtonWithIcon(lang.L("Finish enrollment"), theme.ConfirmIcon(), func() { s.finishEnrollment(d) })
	d.finish.Importance = widget.HighImportance
	d.addButton(d.finish)
	d.finishPassword = widget.NewButtonWithIcon(lang.L("Finish password change"), theme.ConfirmIcon(), func() {
		d.close()
		s.ui.finishApprovedPassword()
	})
	d.finishPassword.Importance = widget.HighImportance
	d.addButton(d.finishPassword)
	s.updateActions(d)
	s.dialog = d
	d.dlg.SetOnClosed(func() {
		if s.dialog == d {
			s.dialog = nil
		}
	})
	d.show()
	if s.ui.session.Can(api.PrivMyRequestsView) {
		d.refresh(s.ui.session.Request, func() { s.updateActions(d) })
	}
}

// updateActions shows Revoke while the request waits for someone, and
// Finish enrollment or Finish password change while an approved
// enrollment or password change waits for the user.
func (s *requestsScreen) updateActions(d *myRequestDialog) {
	r := d.req
	mayRevoke := (r.Status == api.RequestInApproval || r.AwaitsRequester()) && s.ui.session.Can(api.PrivMyRequestsView)
	showIf(d.revoke, mayRevoke)
	showIf(d.finish, r.AwaitsRequester() && r.Operation == api.OpTokenEnroll && s.ui.session.Can(api.PrivTokenEnroll))
	showIf(d.finishPassword, r.AwaitsRequester() && r.Operation == api.OpPasswordUpdate && s.ui.session.Can(api.PrivPasswordUpdate))
	deadline := map[string]any{"Deadline": s.ui.dates.dateTime(r.ExpiresAt)}
	switch {
	case r.AwaitsRequester() && r.Operation == api.OpTokenEnroll:
		d.message.show(bannerInfo, lang.L("Your request was approved. Finish adding the sign-in method before {{.Deadline}}.", deadline), "", nil)
	case r.AwaitsRequester() && r.Operation == api.OpPasswordUpdate:
		d.message.show(bannerInfo, lang.L("Your request was approved. Finish changing your password before {{.Deadline}}: you enter your current and your new password again.", deadline), "", nil)
	}
}

// confirmRevoke asks before revoking: the message above the request
// carries the confirming button.
func (s *requestsScreen) confirmRevoke(d *myRequestDialog) {
	d.message.show(bannerWarning,
		lang.L("Revoke this request? Your approvers can no longer decide on it, and nothing changes. To do it later, you must ask again."),
		lang.L("Revoke request"), func() { s.revokeRequest(d) })
}

func (s *requestsScreen) revokeRequest(d *myRequestDialog) {
	d.message.hide()
	setEnabled(d.revoke, false)
	var updated api.ApprovalRequest
	s.ui.run(d.ctx, d.progress, func(ctx context.Context) error {
		var err error
		updated, err = s.ui.session.RevokeRequest(ctx, d.req.ID)
		return err
	}, func(err error) {
		setEnabled(d.revoke, true)
		if err != nil {
			d.message.show(bannerError, requestErrorMessage(err), "", nil)
			if errors.Is(err, api.ErrInvalidState) || errors.Is(err, api.ErrNotFound) {
				d.refresh(s.ui.session.Request, func() { s.updateActions(d) })
				s.list.load()
			}
			return
		}
		d.setRequest(updated)
		s.updateActions(d)
		d.message.show(bannerSuccess, lang.L("The request is revoked. Nothing was changed."), "", nil)
		s.list.load()
	})
}

// finishEnrollment closes the request and opens the enrollment it
// approved.
func (s *requestsScreen) finishEnrollment(d *myRequestDialog) {
	req := d.req
	d.close()
	s.ui.finishApprovedEnrollment(req)
}
