package server

import (
	"errors"

	"selfservice/api"
)

// The errors of the approval process, with the message the user reads.

func errApprovalRequired(step api.StepUp) error {
	return &api.Error{
		Code:    api.CodeApprovalRequired,
		Message: "Confirm this action with one of your sign-in methods, then try it again.",
		Details: map[string]any{
			"approval_id": step.ApprovalID,
			"methods":     step.Methods,
			"expires_at":  step.ExpiresAt,
		},
	}
}

func errApprovalNotFound() error {
	return apiError(api.CodeNotFound, "This confirmation does not exist. Start the action again.")
}

func errApprovalInvalid(why string) error {
	return apiError(api.CodeApprovalInvalid, why)
}

func errApprovalExpired() error {
	return apiError(api.CodeApprovalExpired, "The confirmation of this action has expired or failed too often. Start the action again.")
}

func errApprovalUsed() error {
	return apiError(api.CodeApprovalUsed, "This confirmation was already used. Start the action again to confirm it anew.")
}

func errApprovalConfirmed() error {
	return apiError(api.CodeInvalidState, "This action is already confirmed. Go on with it.")
}

func errRequestNotFound() error {
	return apiError(api.CodeNotFound, "This request does not exist. Reload the list of requests.")
}

func errSelfApproval() error {
	return apiError(api.CodeSelfApproval, "You cannot decide on your own request; your approvers do.")
}

func errAlreadyApproved() error {
	return apiError(api.CodeAlreadyDecided, "You have already approved this request. You can still decline it.")
}

func errRequestClosed(status api.RequestStatus) error {
	return apiError(api.CodeInvalidState, "This request is "+string(status)+", so it can no longer be changed. Reload it to see what happened.")
}

func errNoApprovers() error {
	return apiError(api.CodeNoApprovers, "There are not enough approvers for this action. Ask your helpdesk to check the approval settings.")
}

// errActionFailed tells an approver that the approved action can no
// longer run, and why (the error the action gave).
func errActionFailed(cause error) error {
	var e *api.Error
	if !errors.As(cause, &e) {
		return cause // a server fault, logged as such
	}
	return &api.Error{
		Code:    api.CodeActionFailed,
		Message: "The requested action can no longer be carried out, for example because the token has changed since. Decline the request with a comment so that the requester knows.",
		Details: map[string]any{"reason": e.Code},
	}
}
