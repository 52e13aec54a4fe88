package ui

import (
	"errors"

	"fyne.io/fyne/v2/lang"

	"selfservice/api"
)

// The Password area's approval request: where a change sent to
// approvers stands, and finishing an approved one. The server keeps no
// password while the approvers decide, so the user enters both again to
// finish; the approval is bound to the new password asked for.

// loadRequest fetches the latest password request and shows where it
// stands.
func (s *passwordScreen) loadRequest() {
	loadWithRetry(s.ui, s.ctx, nil, s.status, &s.requestLoad, s.loadRequest, s.ui.session.PasswordRequest, s.showRequest)
}

// finishing is the approved request the next change finishes, or nil.
func (s *passwordScreen) finishing() *api.ApprovalRequest {
	if s.request != nil && s.request.AwaitsRequester() {
		return s.request
	}
	return nil
}

// showRequest says where the latest password request stands: waiting
// for the approvers; approved, waiting for the user (the button then
// finishes it); or closed without a change. Nothing once carried out.
func (s *passwordScreen) showRequest(req *api.ApprovalRequest) {
	s.request = req
	s.submit.SetText(lang.L("Change password"))
	if req == nil || req.ExecutedAt != nil {
		s.status.hide()
		return
	}
	asked := map[string]any{"Date": s.ui.dates.dateTime(req.CreatedAt)}
	switch {
	case req.AwaitsRequester():
		s.submit.SetText(lang.L("Finish password change"))
		s.status.show(bannerInfo, lang.L("Your password change was approved. To finish it, enter your current password and the new password you asked for again, before {{.Deadline}}.",
			map[string]any{"Deadline": s.ui.dates.dateTime(req.ExpiresAt)}), "", nil)
	case req.Status == api.RequestInApproval:
		s.status.show(bannerInfo, lang.L("Your password change was sent for approval — see My requests. Once it is approved, finish it here: you enter both passwords again, as they are not kept."), "", nil)
	case req.Status == api.RequestRejected:
		s.status.show(bannerWarning, lang.L("Your approvers declined your password change of {{.Date}}, so your password was not changed. My requests says why; you can ask again.", asked), "", nil)
	case req.Status == api.RequestRevoked:
		s.status.show(bannerInfo, lang.L("You revoked your password change of {{.Date}}, so your password was not changed.", asked), "", nil)
	case req.Status == api.RequestExpired:
		s.status.show(bannerWarning, lang.L("Your password change of {{.Date}} expired before it was finished, so your password was not changed. You can ask again.", asked), "", nil)
	default:
		s.status.hide()
	}
}

// showChangeError shows why a change failed. Finishing an approved
// change whose request can no longer be used, the request is fetched
// again, so that the area says what became of it.
func (s *passwordScreen) showChangeError(err error, finishing bool) {
	switch {
	case finishing && (errors.Is(err, api.ErrApprovalInvalid) || errors.Is(err, api.ErrApprovalUsed) || errors.Is(err, api.ErrApprovalExpired)):
		s.message.show(bannerError, errorMessage(err), "", nil)
		s.loadRequest()
	default:
		s.showError(err)
	}
}

// finishApprovedPassword shows the Password area, which offers to finish
// the approved password change.
func (u *UI) finishApprovedPassword() {
	main, ok := u.current.(*mainScreen)
	if !ok || main.password == nil || main.nav == nil {
		return
	}
	if i := main.areaIndex(lang.L("Password")); i >= 0 {
		main.nav.Select(i)
	}
}
