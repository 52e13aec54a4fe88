package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"maps"
	"net/http"

	"github.com/google/uuid"

	"selfservice/api"
)

// The gate every approvable call passes. A handler first checks that the
// action is possible (so that nobody confirms or approves what cannot
// run), then asks authorize for a grant, then runs the action and
// grant.consume in one transaction, so that an approval is used up
// exactly when its action runs.

// approvable is an approvable action as the caller asks for it.
type approvable struct {
	op         api.Operation
	target     string            // a token id; the template id for token.enroll
	templateID string            // chooses the policy
	label      string            // the target as the user knows it
	params     map[string]string // exactly what the action runs with; never secrets
	// bound is a keyed hash (SecretBox.CodeMAC) of a secret the action
	// runs with, such as a new password: a step-up covers it as it covers
	// params, but it is never stored, shown or logged. An approvers'
	// request does not cover it (requestHash).
	bound string
}

// boundKey is the key under which hash covers an action's bound secret;
// no parameter has this name.
const boundKey = "\x00bound"

// requestHash is what an approvers' request for a is bound to: the
// SHA-256 of its parameters, without a bound secret. Approvers never see
// the secret, so binding their approval to it would only make the
// requester type the same new password again, perhaps days later.
func (a approvable) requestHash() string {
	return paramsHash(a.params)
}

// hash is what a step-up approval of a is bound to: the SHA-256 of its
// parameters and, when there is one, its bound secret's keyed hash.
func (a approvable) hash() string {
	if a.bound == "" {
		return paramsHash(a.params)
	}
	params := maps.Clone(a.params)
	if params == nil {
		params = map[string]string{}
	}
	params[boundKey] = a.bound
	return paramsHash(params)
}

// tokenAction is an action on one token, without parameters.
func tokenAction(op api.Operation, t TokenRecord) approvable {
	return approvable{op: op, target: t.ID, templateID: t.TemplateID, label: tokenTargetLabel(t), params: map[string]string{}}
}

// tokenTargetLabel is a token as its owner and their approvers know it:
// the name the owner gave it, then its serial ("Work phone (TOTP-1A2B)"),
// or the serial alone.
func tokenTargetLabel(t TokenRecord) string {
	if t.Description == "" || t.Description == t.Label {
		return t.Label
	}
	return t.Description + " (" + t.Label + ")"
}

// enrollAction is the enrollment of a token of tpl.
func enrollAction(tpl TemplateRecord, description string) approvable {
	return approvable{
		op:         api.OpTokenEnroll,
		target:     tpl.ID,
		templateID: tpl.ID,
		label:      tpl.Name,
		params:     map[string]string{"template_id": tpl.ID, "description": description},
	}
}

// paramsHash is the hex SHA-256 of the parameters' canonical JSON (an
// object with sorted keys, which encoding/json writes for a map).
func paramsHash(params map[string]string) string {
	if params == nil {
		params = map[string]string{}
	}
	raw, _ := json.Marshal(params) // a map of strings always encodes
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// grant lets an approvable action run. The zero grant needs no approval.
type grant struct {
	mode   api.ApprovalMode
	id     string // the approval id the request carried
	userID string
	action approvable
}

// authorize decides what the caller's approvable action needs under its
// policy. With no approval needed, or a carried approval to check, it
// returns the grant to consume with the action. Otherwise it asks for
// one: a step-up fails with approval_required; for approvers it makes an
// approval request (or finds the caller's open one for the same action),
// answers 202 with it and reports sent.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, c *caller, a approvable) (g grant, sent bool, err error) {
	ctx := r.Context()
	policy, err := policyFor(ctx, s.store, a.op, a.templateID)
	if err != nil {
		return grant{}, false, err
	}
	if policy.Mode == api.ModeNone {
		return grant{}, false, nil
	}
	if id := r.Header.Get(api.ApprovalHeader); id != "" {
		return grant{mode: policy.Mode, id: id, userID: c.user.ID, action: a}, false, nil
	}
	if policy.Mode == api.ModeSelf {
		if s.inGrace(c, a.op) {
			s.log.InfoContext(ctx, "step-up confirmed by a recent sign-in", "operation", a.op)
			return grant{}, false, nil
		}
		return grant{}, false, s.newStepUp(ctx, c, a)
	}
	req, err := s.openRequest(ctx, c, a, policy)
	if err != nil {
		return grant{}, false, err
	}
	out, err := s.apiRequest(ctx, req)
	if err != nil {
		return grant{}, false, err
	}
	writeJSON(w, http.StatusAccepted, api.ApprovalRequestResponse{Request: out})
	return grant{}, true, nil
}

// newStepUp stores an OPEN approval of the action and returns the
// approval_required error that offers it.
func (s *Server) newStepUp(ctx context.Context, c *caller, a approvable) error {
	methods, err := s.activeMethods(ctx, c.user.ID)
	if err != nil {
		return err
	}
	emergency, err := s.emergencyMethod(ctx, c.user.ID)
	if err != nil {
		return err
	}
	methods = append(methods, emergency...)
	id := randomToken(16)
	now := s.now()
	rec := ApprovalRecord{
		IDHash:     hashToken(id),
		UserID:     c.user.ID,
		Operation:  a.op,
		Target:     a.target,
		ParamsHash: a.hash(),
		Status:     api.ApprovalOpen,
		CreatedAt:  now,
		ExpiresAt:  now.Add(s.cfg.ApprovalTTL),
	}
	if err := s.store.CreateApproval(ctx, rec); err != nil {
		return err
	}
	return errApprovalRequired(api.StepUp{ApprovalID: id, Methods: methods, ExpiresAt: rec.ExpiresAt})
}

// openRequest returns the caller's open request for the same action, or
// makes one with the policy's approvers (without the caller), in one
// transaction so that parallel calls make one request.
func (s *Server) openRequest(ctx context.Context, c *caller, a approvable, policy ApprovalPolicyRecord) (RequestRecord, error) {
	var req RequestRecord
	err := s.store.Atomically(ctx, func(tx Store) error {
		hash := a.requestHash()
		mine, err := tx.RequestsOf(ctx, c.user.ID)
		if err != nil {
			return err
		}
		for _, r := range mine {
			if r.Operation == a.op && r.Target == a.target && r.ParamsHash == hash && s.requestStatus(r) == api.RequestInApproval {
				req = r
				return nil
			}
		}
		approvers, err := approverIDs(ctx, tx, policy, c.user.ID)
		if err != nil {
			return err
		}
		if len(approvers) < policy.Required {
			return errNoApprovers()
		}
		now := s.now()
		req = RequestRecord{
			ID:          uuid.NewString(),
			RequesterID: c.user.ID,
			Operation:   a.op,
			Target:      a.target,
			TargetLabel: a.label,
			Parameters:  a.params,
			ParamsHash:  hash,
			Status:      api.RequestInApproval,
			ApproverIDs: approvers,
			Required:    policy.Required,
			History:     []HistoryRecord{{At: now, Event: api.EventCreated, ActorID: c.user.ID}},
			CreatedAt:   now,
			ExpiresAt:   now.Add(s.cfg.RequestTTL),
		}
		if err := tx.CreateRequest(ctx, req); err != nil {
			return err
		}
		s.log.InfoContext(ctx, "approval request made", "request_id", req.ID, "operation", req.Operation, "approvers", len(approvers))
		return nil
	})
	return req, err
}

// consume uses g up in tx, the transaction of its action: a confirmed
// step-up becomes USED, an approved request whose requester finishes it
// is marked executed. It fails, and so stops the action, when the
// approval does not match the action exactly.
func (s *Server) consume(ctx context.Context, tx Store, g grant) error {
	switch g.mode {
	case api.ModeSelf:
		_, err := tx.UpdateApproval(ctx, hashToken(g.id), func(a *ApprovalRecord) error {
			if err := s.matchStepUp(*a, g); err != nil {
				return err
			}
			a.Status = api.ApprovalUsed
			return nil
		})
		if errors.Is(err, ErrNotFound) {
			return errApprovalInvalid("This confirmation is not valid. Start the action again.")
		}
		return err
	case api.ModeApprovers:
		_, err := tx.UpdateRequest(ctx, g.id, func(r *RequestRecord) error {
			if err := s.matchRequest(*r, g); err != nil {
				return err
			}
			now := s.now()
			r.ExecutedAt = now
			r.History = append(r.History, HistoryRecord{At: now, Event: api.EventExecuted, ActorID: g.userID})
			return nil
		})
		if errors.Is(err, ErrNotFound) {
			return errApprovalInvalid("There is no approved request for this action. Send the request for approval first.")
		}
		return err
	}
	return nil
}

// matchStepUp checks that a step-up approval is the caller's, confirmed,
// unused, in time, and for exactly this action.
func (s *Server) matchStepUp(a ApprovalRecord, g grant) error {
	if a.UserID != g.userID {
		return errApprovalInvalid("This confirmation is not valid. Start the action again.")
	}
	switch s.approvalStatus(a) {
	case api.ApprovalUsed:
		return errApprovalUsed()
	case api.ApprovalExpired, api.ApprovalFailed:
		return errApprovalExpired()
	case api.ApprovalOpen:
		return errApprovalInvalid("Confirm the action with one of your sign-in methods first.")
	}
	if a.Operation != g.action.op || a.Target != g.action.target || a.ParamsHash != g.action.hash() {
		return errApprovalInvalid("This confirmation was given for a different action. Start the action again to confirm this one.")
	}
	return nil
}

// matchRequest checks that an approval request is the caller's, approved,
// not yet carried out, in time, and for exactly this action.
func (s *Server) matchRequest(r RequestRecord, g grant) error {
	if r.RequesterID != g.userID {
		return errApprovalInvalid("There is no approved request for this action. Send the request for approval first.")
	}
	if r.Operation != g.action.op || r.Target != g.action.target || r.ParamsHash != g.action.requestHash() {
		return errApprovalInvalid("This approval was given for a different action. Do exactly what was approved, or send a new request.")
	}
	switch s.requestStatus(r) {
	case api.RequestExpired:
		return errApprovalExpired()
	case api.RequestInApproval:
		return errApprovalInvalid("This request is not approved yet. Wait for your approvers.")
	case api.RequestRejected:
		return errApprovalInvalid("An approver declined this request; see its history for why.")
	case api.RequestRevoked:
		return errApprovalInvalid("You revoked this request. Send a new one if you still need it.")
	}
	if !r.ExecutedAt.IsZero() {
		return errApprovalUsed()
	}
	return nil
}

// approvalStatus is a step-up approval's status now: its stored one, or
// EXPIRED past its time, or FAILED after too many failed attempts.
func (s *Server) approvalStatus(a ApprovalRecord) api.ApprovalStatus {
	switch {
	case a.Status == api.ApprovalUsed:
		return api.ApprovalUsed
	case !s.now().Before(a.ExpiresAt):
		return api.ApprovalExpired
	case a.Status == api.ApprovalOpen && a.Failures >= s.cfg.MaxFailures:
		return api.ApprovalFailed
	}
	return a.Status
}

// requestStatus is a request's status now: its stored one, or EXPIRED
// when it is still open (undecided, or approved but not carried out) past
// its time.
func (s *Server) requestStatus(r RequestRecord) api.RequestStatus {
	open := r.Status == api.RequestInApproval || (r.Status == api.RequestApproved && r.ExecutedAt.IsZero())
	if open && !s.now().Before(r.ExpiresAt) {
		return api.RequestExpired
	}
	return r.Status
}
