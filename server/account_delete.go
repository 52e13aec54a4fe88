package server

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"selfservice/api"
)

// Deleting one's own account (api.PrivAccountDelete). GET /account/deletion
// says first what goes: everything of the user (their tokens, contact
// values, profile, answers, documents, requests, consents, sessions and
// the messages sent to them); only the decisions they gave on other
// users' requests stay, without their name. DELETE /account needs the
// username typed as the confirmation and always a step-up, whatever the
// policy of api.OpAccountDelete; a policy in mode approvers also sends
// the deletion to approvers once the step-up is confirmed, and the user
// deletes the account, with a new step-up, once it is approved. The rule
// that a user keeps an ACTIVE token does not apply: the tokens go with
// the account.

// deletionSummary answers GET /account/deletion.
func (s *Server) deletionSummary(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivAccountDelete); err != nil {
		return err
	}
	ctx := r.Context()
	data, err := s.accountExport(ctx, c)
	if err != nil {
		return err
	}
	policy, err := policyFor(ctx, s.store, api.OpAccountDelete, "")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.DeletionSummary{
		Username:            c.user.Username,
		Tokens:              len(data.Tokens),
		ContactValues:       len(data.Contacts),
		ProfileFields:       len(data.Profile.Fields),
		VerificationAnswers: len(data.Questions),
		Documents:           len(data.Documents),
		Requests:            len(data.Requests),
		Consents:            len(data.Consents),
		Sessions:            len(data.Sessions),
		Messages:            len(data.Messages),
		AnonymisedDecisions: len(data.Decisions),
		ApprovalNeeded:      policy.Mode == api.ModeApprovers,
	})
	return nil
}

// deleteAccount answers DELETE /account.
func (s *Server) deleteAccount(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivAccountDelete); err != nil {
		return err
	}
	var req api.DeleteAccountRequest
	if err := s.decodeValid(w, r, &req); err != nil {
		return err
	}
	if strings.TrimSpace(req.Username) != c.user.Username {
		return api.FieldError(map[string]string{"username": "This is not your username. Type " + c.user.Username + " exactly as shown to confirm."})
	}
	ctx := r.Context()
	action := approvable{op: api.OpAccountDelete, target: c.user.ID, label: c.user.Username, params: map[string]string{}}
	approvalID := r.Header.Get(api.ApprovalHeader)
	if approvalID == "" {
		return s.newStepUp(ctx, c, action)
	}
	stepUp := grant{mode: api.ModeSelf, id: approvalID, userID: c.user.ID, action: action}
	policy, err := policyFor(ctx, s.store, api.OpAccountDelete, "")
	if err != nil {
		return err
	}
	if policy.Mode == api.ModeApprovers {
		approved, err := s.approvedDeletion(ctx, c.user.ID)
		if err != nil {
			return err
		}
		if !approved {
			return s.sendDeletionForApproval(w, ctx, c, stepUp, policy)
		}
	}
	var docs []DocumentRecord
	err = s.store.Atomically(ctx, func(tx Store) error {
		if err := s.consume(ctx, tx, stepUp); err != nil {
			return err
		}
		var err error
		docs, err = tx.DeleteUser(ctx, c.user.ID)
		return err
	})
	if err != nil {
		return err
	}
	s.removeContent(ctx, docs)
	s.log.InfoContext(ctx, "Account deleted", "user", c.user.ID, "documents", len(docs))
	writeNoContent(w)
	return nil
}

// approvedDeletion reports whether the user has an approved request to
// delete their account.
func (s *Server) approvedDeletion(ctx context.Context, userID string) (bool, error) {
	mine, err := s.store.RequestsOf(ctx, userID)
	if err != nil {
		return false, err
	}
	for _, r := range mine {
		if r.Operation == api.OpAccountDelete && r.Target == userID && s.requestStatus(r) == api.RequestApproved && r.ExecutedAt.IsZero() {
			return true, nil
		}
	}
	return false, nil
}

// sendDeletionForApproval uses up the confirmed step-up and sends the
// deletion to the policy's approvers (or finds the request sent already),
// answering 202 with the request.
func (s *Server) sendDeletionForApproval(w http.ResponseWriter, ctx context.Context, c *caller, stepUp grant, policy ApprovalPolicyRecord) error {
	err := s.store.Atomically(ctx, func(tx Store) error { return s.consume(ctx, tx, stepUp) })
	if err != nil {
		return err
	}
	req, err := s.openRequest(ctx, c, stepUp.action, policy)
	if err != nil {
		return err
	}
	out, err := s.apiRequest(ctx, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, api.ApprovalRequestResponse{Request: out})
	return nil
}

// removeContent removes the content of deleted documents kept outside
// the database; a failure is logged for someone to remove it by hand.
func (s *Server) removeContent(ctx context.Context, docs []DocumentRecord) {
	for _, d := range docs {
		store, err := s.contentFor(d.Storage)
		if err == nil {
			err = store.remove(ctx, d.ID)
		}
		if err != nil && !errors.Is(err, ErrNotFound) {
			s.log.ErrorContext(ctx, "the account is deleted, but not the content file of one of its documents; remove it by hand", "document", d.ID, "err", err)
		}
	}
}
