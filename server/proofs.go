package server

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"selfservice/api"
)

// Proofs of possession by tokens that are not security keys. An
// authenticator-app or hardware token shows its codes itself; an SMS or
// email token is sent a code (codes.go); a push token's phone is asked
// (push_requests.go). A sent code or a push request is bound to the
// scope it was made for: one sent to finish a sign-in finishes no other
// sign-in, no step-up and no test.

// purposeApproval is the purpose of a proof bound to a step-up approval.
const purposeApproval = "approval"

// proofScope says what a proof is for.
type proofScope struct {
	purpose string       // purposeLogin, purposeApproval, purposeTest, purposeRegister (activation) or purposeAddress (an SMS or email token moving)
	key     string       // the login's or approval's id hash; the token id for a test or an activation
	summary string       // what the user confirms, in words, as the phone shows it
	from    signInSource // where the request comes from, as the phone shows it
}

// prepareProof readies token t of user for a proof in scope: an SMS or
// email token is sent a code, a push token's phone gets a push request;
// an authenticator-app token needs nothing. The caller has checked that
// t may be used (status, lock, privilege).
func (s *Server) prepareProof(ctx context.Context, user UserRecord, t TokenRecord, scope proofScope) (api.ChallengeResponse, error) {
	switch t.Type {
	case api.TypeSMS, api.TypeEmail:
		return s.sendCode(ctx, user, t, scope)
	case api.TypePush:
		return s.askPhone(ctx, user, t, scope)
	}
	return api.ChallengeResponse{Proof: api.ProofOTP}, nil
}

// proofCheck returns the check useCode runs on token t for a code (otp)
// or the answer to a push request (pushID), bound to scope. What needs
// its own transaction happens here, before useCode: using up a sent code,
// reading the phone's answer. An error returned here ends the attempt
// before useCode: push_pending (poll again), push_denied, push_expired,
// code_expired.
func (s *Server) proofCheck(ctx context.Context, t TokenRecord, scope proofScope, otp, pushID string) (func(t *TokenRecord) error, error) {
	switch t.Type {
	case api.TypeSMS, api.TypeEmail:
		return s.sentCodeCheck(ctx, t, scope, otp)
	case api.TypePush:
		return s.pushCheck(ctx, t, scope, pushID)
	}
	now := s.now()
	return func(t *TokenRecord) error { return checkCode(t, otp, now) }, nil
}

// wrongProof refuses a proof of the wrong kind for a token's type.
func wrongProof(typ api.TokenType, webauthnAnswer json.RawMessage, pushID string) error {
	hasKey, hasPush := api.HasWebAuthn(webauthnAnswer), pushID != ""
	switch {
	case typ == api.TypeFIDO2 && !hasKey:
		return api.FieldError(map[string]string{"webauthn": "This token is a security key: use the key instead of entering a code."})
	case typ == api.TypePush && !hasPush:
		return api.FieldError(map[string]string{"push_id": "This token is the authenticator app: confirm on your phone instead of entering a code."})
	case typ != api.TypeFIDO2 && hasKey, typ != api.TypePush && hasPush:
		return api.FieldError(map[string]string{"otp": "This token uses codes: enter the code."})
	}
	return nil
}

// tokenForProof loads the user's token for a proof and checks that it may
// be used: usable says so for the call. ErrNotFound passes through.
func (s *Server) tokenForProof(ctx context.Context, userID, tokenID string, usable func(t *TokenRecord) error) (TokenRecord, error) {
	t, err := s.store.Token(ctx, userID, tokenID)
	if err != nil {
		return t, err
	}
	if err := usable(&t); err != nil {
		return t, err
	}
	return t, nil
}

// prepareTokenProof answers POST /tokens/{id}/challenge for a token that
// is not a security key: a PENDING SMS or email token is sent a new code
// to activate it with; an ACTIVE token is prepared for a test. An
// authenticator-app token needs no challenge.
func (s *Server) prepareTokenProof(w http.ResponseWriter, r *http.Request, c *caller, t TokenRecord) error {
	if t.Type == api.TypeTOTP || t.Type == api.TypeHOTP {
		return errNotAKey()
	}
	scope := proofScope{purpose: purposeTest, key: t.ID, summary: "Test " + t.Label}
	if t.Status == api.StatusPending {
		if err := c.require(api.PrivTokenEnroll); err != nil {
			return err
		}
		scope = proofScope{purpose: purposeRegister, key: t.ID, summary: "Activate " + t.Label}
	} else {
		if c.partial {
			return errEnrollmentRequired()
		}
		if err := c.require(api.PrivTokenTest); err != nil {
			return err
		}
		if err := apiToken(t).Check(api.ActionTest); err != nil {
			return err
		}
		if err := s.checkLock(t.Failures, tokenFailures(&t)); err != nil {
			return err
		}
	}
	ch, err := s.prepareProof(r.Context(), c.user, t, scope)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ch)
	return nil
}

// usedNow wraps a proof's check so that a success records the token's
// use at now.
func usedNow(check func(t *TokenRecord) error, now time.Time) func(t *TokenRecord) error {
	return func(t *TokenRecord) error {
		if err := check(t); err != nil {
			return err
		}
		t.LastUsedAt = now
		return nil
	}
}

// approvalSummary says in words what confirming approval a does.
func approvalSummary(a ApprovalRecord) string {
	switch a.Operation {
	case api.OpTokenEnroll:
		return "Confirm adding a sign-in method"
	case api.OpTokenDisable:
		return "Confirm disabling a sign-in method"
	case api.OpTokenDelete:
		return "Confirm deleting a sign-in method"
	case api.OpTokenAddress:
		return "Confirm moving a sign-in method to a new address"
	case api.OpContactUpdate:
		return "Confirm changing your contact details"
	case api.OpPasswordUpdate:
		return "Confirm changing your password"
	case api.OpQuestionReveal:
		return "Confirm showing an answer to a verification question"
	case api.OpAccountDelete:
		return "Confirm deleting your account"
	case api.OpInvitationCreate:
		return "Confirm sending an invitation"
	}
	return "Confirm a change to your account"
}

// activeMethods offers the user's ACTIVE tokens at sign-in (to a caller
// who proved the password) or step-up, with their names and the user's
// preferred one marked; never an empty list's nil.
func (s *Server) activeMethods(ctx context.Context, userID string) ([]api.LoginMethod, error) {
	tokens, err := s.store.Tokens(ctx, userID)
	if err != nil {
		return nil, err
	}
	preferred, err := s.store.DefaultMethod(ctx, userID)
	if err != nil {
		return nil, err
	}
	methods := []api.LoginMethod{}
	for _, t := range tokens {
		if t.Status == api.StatusActive {
			m := loginMethod(t)
			m.Default = t.ID == preferred
			methods = append(methods, m)
		}
	}
	return methods, nil
}

// loginMethod offers an ACTIVE token at sign-in or step-up.
func loginMethod(t TokenRecord) api.LoginMethod {
	m := api.LoginMethod{TokenID: t.ID, Type: t.Type, Label: t.Label, Name: t.Description}
	if channel := t.Type.Channel(); channel != "" {
		m.Hint = api.MaskAddress(channel, t.Address)
	}
	return m
}
