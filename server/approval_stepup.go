package server

import (
	"context"
	"errors"
	"net/http"

	"selfservice/api"
)

// Step-up: the user confirms an approval with one of their ACTIVE
// tokens, as at sign-in. Failed attempts count against the token (which
// locks after MaxFailures) and against the approval (which then fails).

func (s *Server) getApproval(w http.ResponseWriter, r *http.Request, c *caller) error {
	id := r.PathValue("id")
	a, err := s.ownApproval(r.Context(), c, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.ApprovalResponse{Approval: s.apiApproval(id, a)})
	return nil
}

// approvalChallenge prepares a token to confirm an approval with: for a
// security key, the request options, allowing only its credential; for
// a token that shows codes, nothing to prepare.
func (s *Server) approvalChallenge(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	var req api.ApprovalChallengeRequest
	if err := s.decodeValid(w, r, &req); err != nil {
		return err
	}
	a, err := s.openApproval(ctx, c, r.PathValue("id"))
	if err != nil {
		return err
	}
	t, err := s.store.Token(ctx, c.user.ID, req.TokenID)
	if errors.Is(err, ErrNotFound) {
		return errNotAMethod()
	}
	if err != nil {
		return err
	}
	if t.Status != api.StatusActive {
		return errNotAMethod()
	}
	if err := s.checkLock(t.Failures, tokenFailures(&t)); err != nil {
		return err
	}
	if t.Type != api.TypeFIDO2 {
		from := signInSource{IP: s.clientSource(r), Device: c.session.Device}
		ch, err := s.prepareProof(ctx, c.user, t, proofScope{purpose: purposeApproval, key: a.IDHash, summary: approvalSummary(a), from: from})
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, ch)
		return nil
	}
	opts, err := s.beginAssertion(ctx, challengeKey(purposeApproval, a.IDHash), c.user, t)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.ChallengeResponse{Proof: api.ProofWebAuthn, WebAuthn: &opts})
	return nil
}

// verifyApproval confirms an approval with a code of one of the user's
// ACTIVE tokens, or a security key's answer to approvalChallenge.
func (s *Server) verifyApproval(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	var req api.VerifyApprovalRequest
	if err := s.decode(w, r, &req); err != nil {
		return err
	}
	req.OTP = api.NormalizeOTP(req.OTP)
	req.EmergencyCode = api.NormalizeEmergencyCode(req.EmergencyCode)
	if err := req.Validate(); err != nil {
		return err
	}
	id := r.PathValue("id")
	a, err := s.openApproval(ctx, c, id)
	if err != nil {
		return err
	}
	if req.EmergencyCode != "" {
		req.TokenID = api.EmergencyTokenID
		err := s.useEmergencyCode(ctx, c.user.ID, req.EmergencyCode)
		return s.finishApproval(w, r, id, a, req.TokenID, err)
	}

	usable := func(t *TokenRecord) error {
		if t.Status != api.StatusActive {
			return errNotAMethod()
		}
		return wrongProof(t.Type, req.WebAuthn, req.PushID)
	}
	var check func(t *TokenRecord) error
	if api.HasWebAuthn(req.WebAuthn) {
		session, err := s.takeChallenge(ctx, challengeKey(purposeApproval, a.IDHash), c.user.ID, req.TokenID)
		if err != nil {
			return err
		}
		check = s.checkAssertion(ctx, purposeApproval, session.UserID, session, req.WebAuthn)
	} else {
		t, err := s.tokenForProof(ctx, c.user.ID, req.TokenID, usable)
		if errors.Is(err, ErrNotFound) {
			return errNotAMethod()
		}
		if err != nil {
			return err
		}
		check, err = s.proofCheck(ctx, t, proofScope{purpose: purposeApproval, key: a.IDHash}, req.OTP, req.PushID)
		if err != nil {
			return s.finishApproval(w, r, id, a, req.TokenID, err)
		}
	}
	_, err = s.useCode(ctx, c.user.ID, req.TokenID, usable, usedNow(check, s.now()))
	if errors.Is(err, ErrNotFound) {
		return errNotAMethod()
	}
	return s.finishApproval(w, r, id, a, req.TokenID, err)
}

// finishApproval ends the confirmation of approval a with the token
// tokenID whose proof gave err: a failure counts against the approval; a
// success confirms it.
func (s *Server) finishApproval(w http.ResponseWriter, r *http.Request, id string, a ApprovalRecord, tokenID string, err error) error {
	ctx := r.Context()
	if isCodeFailure(err) {
		_, ferr := s.store.UpdateApproval(ctx, a.IDHash, func(rec *ApprovalRecord) error {
			rec.Failures++
			return nil
		})
		if ferr != nil {
			return ferr
		}
	}
	if err != nil {
		return err
	}

	a, err = s.store.UpdateApproval(ctx, a.IDHash, func(rec *ApprovalRecord) error {
		switch s.approvalStatus(*rec) {
		case api.ApprovalOpen:
			rec.Status = api.ApprovalVerified
			rec.TokenID = tokenID
			return nil
		case api.ApprovalVerified:
			return nil // a parallel request confirmed it first
		case api.ApprovalUsed:
			return errApprovalUsed()
		}
		return errApprovalExpired()
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.ApprovalResponse{Approval: s.apiApproval(id, a)})
	return nil
}

// ownApproval returns the caller's approval with this id; anyone else's
// answers not_found.
func (s *Server) ownApproval(ctx context.Context, c *caller, id string) (ApprovalRecord, error) {
	a, err := s.store.Approval(ctx, hashToken(id))
	if errors.Is(err, ErrNotFound) || (err == nil && a.UserID != c.user.ID) {
		return ApprovalRecord{}, errApprovalNotFound()
	}
	return a, err
}

// openApproval returns the caller's approval while it waits to be
// confirmed.
func (s *Server) openApproval(ctx context.Context, c *caller, id string) (ApprovalRecord, error) {
	a, err := s.ownApproval(ctx, c, id)
	if err != nil {
		return a, err
	}
	switch s.approvalStatus(a) {
	case api.ApprovalOpen:
		return a, nil
	case api.ApprovalVerified:
		return a, errApprovalConfirmed()
	case api.ApprovalUsed:
		return a, errApprovalUsed()
	}
	return a, errApprovalExpired()
}
