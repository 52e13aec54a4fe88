package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"selfservice/api"
)

// Approval requests: the requester's "My requests" (/requests) and the
// approvers' "To approve" (/inbox). Decisions and revocations change a
// request in one transaction; the final approval runs the action in the
// same one, so that it runs exactly once, and only when approved.

func (s *Server) listRequests(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivMyRequestsList); err != nil {
		return err
	}
	return s.answerList(w, r, func(ctx context.Context) ([]RequestRecord, error) {
		return s.store.RequestsOf(ctx, c.user.ID)
	}, s.awaitsSomeone)
}

func (s *Server) listInbox(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivMyApprovalsList); err != nil {
		return err
	}
	return s.answerList(w, r, func(ctx context.Context) ([]RequestRecord, error) {
		return s.store.RequestsFor(ctx, c.user.ID)
	}, func(req RequestRecord) bool {
		return s.requestStatus(req) == api.RequestInApproval
	})
}

// answerList sends the listed requests: all of them with ?status=all, or
// by default (?status=pending) those for which pending is true.
func (s *Server) answerList(w http.ResponseWriter, r *http.Request, list func(ctx context.Context) ([]RequestRecord, error), pending func(RequestRecord) bool) error {
	filter := r.URL.Query().Get("status")
	if filter == "" {
		filter = api.FilterPending
	}
	if filter != api.FilterPending && filter != api.FilterAll {
		return api.FieldError(map[string]string{"status": "Choose the requests to show: pending or all."})
	}
	recs, err := list(r.Context())
	if err != nil {
		return err
	}
	if filter == api.FilterPending {
		recs = slices.DeleteFunc(recs, func(req RequestRecord) bool { return !pending(req) })
	}
	out, err := s.apiRequests(r.Context(), recs)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.ApprovalRequestsResponse{Requests: out})
	return nil
}

// awaitsSomeone reports whether a request still waits for its approvers
// or for its requester to finish it.
func (s *Server) awaitsSomeone(r RequestRecord) bool {
	status := s.requestStatus(r)
	return status == api.RequestInApproval || (status == api.RequestApproved && r.ExecutedAt.IsZero())
}

func (s *Server) getRequest(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivMyRequestsView); err != nil {
		return err
	}
	return s.answerOne(w, r, func(req RequestRecord) bool { return req.RequesterID == c.user.ID })
}

func (s *Server) getInboxRequest(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivMyApprovalsView); err != nil {
		return err
	}
	return s.answerOne(w, r, func(req RequestRecord) bool { return slices.Contains(req.ApproverIDs, c.user.ID) })
}

// answerOne sends the request of the path when the caller may see it;
// anyone else learns nothing, not even that it exists.
func (s *Server) answerOne(w http.ResponseWriter, r *http.Request, mayView func(RequestRecord) bool) error {
	req, err := s.store.Request(r.Context(), r.PathValue("id"))
	if errors.Is(err, ErrNotFound) || (err == nil && !mayView(req)) {
		return errRequestNotFound()
	}
	if err != nil {
		return err
	}
	return s.answerRequest(w, r.Context(), req)
}

func (s *Server) answerRequest(w http.ResponseWriter, ctx context.Context, req RequestRecord) error {
	out, err := s.apiRequest(ctx, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.ApprovalRequestResponse{Request: out})
	return nil
}

// revokeRequest withdraws the caller's request while its action has not
// run. It needs the privilege to view one's requests: whoever may see a
// request may withdraw it.
func (s *Server) revokeRequest(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivMyRequestsView); err != nil {
		return err
	}
	req, err := s.store.UpdateRequest(r.Context(), r.PathValue("id"), func(req *RequestRecord) error {
		if req.RequesterID != c.user.ID {
			return errRequestNotFound()
		}
		if !s.awaitsSomeone(*req) {
			return errRequestClosed(s.requestStatus(*req))
		}
		req.Status = api.RequestRevoked
		req.History = append(req.History, HistoryRecord{At: s.now(), Event: api.EventRevoked, ActorID: c.user.ID})
		return nil
	})
	if errors.Is(err, ErrNotFound) {
		return errRequestNotFound()
	}
	if err != nil {
		return err
	}
	return s.answerRequest(w, r.Context(), req)
}

func (s *Server) approveRequest(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.decide(w, r, c, api.DecisionApproved, api.PrivMyApprovalsApprove)
}

func (s *Server) declineRequest(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.decide(w, r, c, api.DecisionDeclined, api.PrivMyApprovalsDecline)
}

// decide records an approver's decision, with its required comment. The
// approval that completes a request runs the action in the same
// transaction; when the action can no longer run, nothing is saved and
// the approver is told so.
func (s *Server) decide(w http.ResponseWriter, r *http.Request, c *caller, d api.DecisionValue, priv api.Privilege) error {
	ctx := r.Context()
	if err := c.require(priv); err != nil {
		return err
	}
	var body api.DecisionRequest
	if err := s.decodeValid(w, r, &body); err != nil {
		return err
	}
	comment := strings.TrimSpace(body.Comment)
	var req RequestRecord
	err := s.store.Atomically(ctx, func(tx Store) error {
		var err error
		req, err = tx.UpdateRequest(ctx, r.PathValue("id"), func(req *RequestRecord) error {
			if err := s.applyDecision(req, c.user.ID, d, comment); err != nil {
				return err
			}
			if req.Status != api.RequestApproved {
				return nil
			}
			return s.execute(ctx, tx, req)
		})
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return errRequestNotFound()
	}
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "approval request decided", "request_id", req.ID, "decision", d, "status", s.requestStatus(req))
	return s.answerRequest(w, ctx, req)
}

// applyDecision records approverID's decision on r by the rules: only
// its approvers decide, never its requester; only while it is
// IN_APPROVAL; nobody approves twice, but an approver who approved may
// still decline; one decline rejects it; Required approvals approve it.
func (s *Server) applyDecision(r *RequestRecord, approverID string, d api.DecisionValue, comment string) error {
	if approverID == r.RequesterID {
		return errSelfApproval()
	}
	if !slices.Contains(r.ApproverIDs, approverID) {
		return errRequestNotFound()
	}
	if status := s.requestStatus(*r); status != api.RequestInApproval {
		return errRequestClosed(status)
	}
	decisions := decisionsByApprover(r.History)
	if d == api.DecisionApproved && decisions[approverID] == api.DecisionApproved {
		return errAlreadyApproved()
	}
	event := api.EventApproved
	if d == api.DecisionDeclined {
		event = api.EventDeclined
	}
	r.History = append(r.History, HistoryRecord{At: s.now(), Event: event, ActorID: approverID, Comment: comment})
	decisions[approverID] = d

	approvals := 0
	for _, v := range decisions {
		if v == api.DecisionApproved {
			approvals++
		}
	}
	switch {
	case d == api.DecisionDeclined:
		r.Status = api.RequestRejected
	case approvals >= r.Required:
		r.Status = api.RequestApproved
	}
	return nil
}

// execute runs the action of a request just approved, in tx, as its
// requester, with the approved parameters, and records that it ran. The
// actions of token.enroll, token.address, contact.update and
// password.update do not run here: the requester finishes them (only they
// may receive the new token's secret, register their key, get the code
// sent to the new address or know the password, which the server never
// keeps), within a fresh RequestTTL, by repeating the call with the
// request's id as the approval.
func (s *Server) execute(ctx context.Context, tx Store, r *RequestRecord) error {
	now := s.now()
	var err error
	switch r.Operation {
	case api.OpTokenEnroll, api.OpTokenAddress, api.OpContactUpdate, api.OpPasswordUpdate, api.OpAccountDelete:
		// The requester finishes these: only they receive the new
		// token's secret or the code sent to the new address, or know
		// the password; and an account is deleted by its user, with a
		// step-up, once approved.
		r.ExpiresAt = now.Add(s.cfg.RequestTTL)
		return nil
	case api.OpTokenDisable:
		_, err = tx.UpdateToken(ctx, r.RequesterID, r.Target, disable)
	case api.OpTokenDelete:
		err = tx.DeleteToken(ctx, r.RequesterID, r.Target, deletable)
	case api.OpInvitationCreate:
		err = s.executeInvitation(ctx, tx, r)
	default:
		return fmt.Errorf("approval request %s: no action for operation %q", r.ID, r.Operation)
	}
	if errors.Is(err, ErrNotFound) {
		err = errTokenNotFound()
	}
	if err != nil {
		return errActionFailed(err)
	}
	r.ExecutedAt = now
	r.History = append(r.History, HistoryRecord{At: now, Event: api.EventExecuted})
	return nil
}
