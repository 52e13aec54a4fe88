package app

import (
	"context"
	"errors"
	"maps"
	"strings"

	"selfservice/api"
)

// Approval requests: the user's own ("My requests") and those they are an
// approver of ("To approve"). The calls check their input first (an
// invalid_request *api.Error naming the field: id, status, comment), then
// call the server. A filter is api.FilterPending or api.FilterAll; ""
// means pending.

// Requests lists the user's own approval requests, newest first: those
// still waiting for the approvers or for the user to finish them
// (pending), or all.
func (s *Session) Requests(ctx context.Context, filter string) ([]api.ApprovalRequest, error) {
	filter, err := checkFilter(filter)
	if err != nil {
		return nil, err
	}
	return call(s, func(b Backend) ([]api.ApprovalRequest, error) { return b.Requests(ctx, filter) })
}

// Request returns one of the user's own requests with its history.
func (s *Session) Request(ctx context.Context, id string) (api.ApprovalRequest, error) {
	if err := checkRequestID(id); err != nil {
		return api.ApprovalRequest{}, err
	}
	return call(s, func(b Backend) (api.ApprovalRequest, error) { return b.Request(ctx, id) })
}

// RevokeRequest withdraws one of the user's own requests whose action has
// not run yet. A revoked request changes nothing.
func (s *Session) RevokeRequest(ctx context.Context, id string) (api.ApprovalRequest, error) {
	if err := checkRequestID(id); err != nil {
		return api.ApprovalRequest{}, err
	}
	return call(s, func(b Backend) (api.ApprovalRequest, error) { return b.RevokeRequest(ctx, id) })
}

// Inbox lists the requests the user is an approver of, newest first:
// those still IN_APPROVAL (pending), or all.
func (s *Session) Inbox(ctx context.Context, filter string) ([]api.ApprovalRequest, error) {
	filter, err := checkFilter(filter)
	if err != nil {
		return nil, err
	}
	return call(s, func(b Backend) ([]api.ApprovalRequest, error) { return b.Inbox(ctx, filter) })
}

// InboxRequest returns a request the user is an approver of.
func (s *Session) InboxRequest(ctx context.Context, id string) (api.ApprovalRequest, error) {
	if err := checkRequestID(id); err != nil {
		return api.ApprovalRequest{}, err
	}
	return call(s, func(b Backend) (api.ApprovalRequest, error) { return b.InboxRequest(ctx, id) })
}

// ApproveRequest approves a request with a comment, which is required.
// The approval that completes a request runs its action.
func (s *Session) ApproveRequest(ctx context.Context, id, comment string) (api.ApprovalRequest, error) {
	req, err := decision(id, comment)
	if err != nil {
		return api.ApprovalRequest{}, err
	}
	return call(s, func(b Backend) (api.ApprovalRequest, error) { return b.ApproveRequest(ctx, id, req) })
}

// DeclineRequest declines a request with a comment, which is required.
// One decline rejects the request: its action never runs.
func (s *Session) DeclineRequest(ctx context.Context, id, comment string) (api.ApprovalRequest, error) {
	req, err := decision(id, comment)
	if err != nil {
		return api.ApprovalRequest{}, err
	}
	return call(s, func(b Backend) (api.ApprovalRequest, error) { return b.DeclineRequest(ctx, id, req) })
}

// AwaitingDecision counts the requests that wait for the user's decision:
// IN_APPROVAL and not yet decided by them. It is the number the "To
// approve" badge shows.
func (s *Session) AwaitingDecision(ctx context.Context) (int, error) {
	list, err := s.Inbox(ctx, api.FilterPending)
	if err != nil {
		return 0, err
	}
	me := s.User().ID
	n := 0
	for _, r := range list {
		if r.Status == api.RequestInApproval && DecisionOf(r, me) == "" {
			n++
		}
	}
	return n, nil
}

// DecisionOf returns the current decision of the approver userID on r,
// or "" when they have not decided.
func DecisionOf(r api.ApprovalRequest, userID string) api.DecisionValue {
	for _, d := range r.Decisions {
		if d.Approver.ID == userID {
			return d.Decision
		}
	}
	return ""
}

// decision builds and checks an approver's decision on request id.
func decision(id, comment string) (api.DecisionRequest, error) {
	req := api.DecisionRequest{Comment: strings.TrimSpace(comment)}
	if err := validateRequest(id, req.Validate()); err != nil {
		return api.DecisionRequest{}, err
	}
	return req, nil
}

func checkRequestID(id string) error {
	return validateRequest(id, nil)
}

// validateRequest adds a check of the request id to the body's own
// validation.
func validateRequest(id string, bodyErr error) error {
	if id != "" {
		return bodyErr
	}
	fields := map[string]string{"id": "Choose a request."}
	var apiErr *api.Error
	if errors.As(bodyErr, &apiErr) {
		maps.Copy(fields, apiErr.FieldErrors())
	}
	return api.FieldError(fields)
}

// checkFilter returns the filter to send: "" becomes pending; anything
// but pending or all is refused.
func checkFilter(filter string) (string, error) {
	switch filter {
	case "":
		return api.FilterPending, nil
	case api.FilterPending, api.FilterAll:
		return filter, nil
	}
	return "", api.FieldError(map[string]string{"status": "Choose the requests to show: pending or all."})
}
