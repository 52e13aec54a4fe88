package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"selfservice/api"
)

// The actions on one token. Each checks, in this order: the privilege,
// then (in the store's transaction) that the token is the caller's, that
// its type and status allow the action, and the action's own rules.

func (s *Server) activateToken(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.proofAction(w, r, c, api.ActionActivate, func(t *TokenRecord) { t.Status = api.StatusActive })
}

func (s *Server) testToken(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.proofAction(w, r, c, api.ActionTest, func(t *TokenRecord) { t.LastUsedAt = s.now() })
}

// proofAction runs an action that proves possession of a token (activate,
// test) and then changes it with then: the proof is a code (shown by the
// token or sent to it), the answer to a push request, or for a FIDO2
// token the key's answer to the challenge of POST /tokens/{id}/challenge,
// which it uses up (registration to activate, assertion to test).
func (s *Server) proofAction(w http.ResponseWriter, r *http.Request, c *caller, action api.TokenAction, then func(t *TokenRecord)) error {
	ctx := r.Context()
	if err := c.require(api.ActionPrivilege(action)); err != nil {
		return err
	}
	var req api.OTPRequest
	if err := s.decode(w, r, &req); err != nil {
		return err
	}
	req.OTP = api.NormalizeOTP(req.OTP)
	if err := req.Validate(); err != nil {
		return err
	}
	tokenID := r.PathValue("id")
	usable := func(t *TokenRecord) error {
		if err := apiToken(*t).Check(action); err != nil {
			return err
		}
		return wrongProof(t.Type, req.WebAuthn, req.PushID)
	}
	var check func(t *TokenRecord) error
	if api.HasWebAuthn(req.WebAuthn) {
		var err error
		if check, err = s.keyCheck(ctx, c, tokenID, action, usable, req.WebAuthn); err != nil {
			return err
		}
	} else {
		t, err := s.tokenForProof(ctx, c.user.ID, tokenID, usable)
		if errors.Is(err, ErrNotFound) {
			return errTokenNotFound()
		}
		if err != nil {
			return err
		}
		scope := proofScope{purpose: purposeTest, key: tokenID}
		if action == api.ActionActivate {
			scope.purpose = purposeRegister
		}
		if check, err = s.proofCheck(ctx, t, scope, req.OTP, req.PushID); err != nil {
			return err
		}
	}
	t, err := s.useCode(ctx, c.user.ID, tokenID, usable, func(t *TokenRecord) error {
		if err := check(t); err != nil {
			return err
		}
		then(t)
		return nil
	})
	if errors.Is(err, ErrConflict) {
		return errCredentialExists()
	}
	if err == nil && action == api.ActionActivate {
		err = s.deactivateEmergency(ctx, s.store, c.user.ID, ReasonTokenActivated)
	}
	return s.answerToken(w, t, err)
}

// keyCheck takes the challenge of a FIDO2 token's action and returns the
// check of the key's answer to it. The token must be the caller's and
// usable first, so that the error says what is wrong with it.
func (s *Server) keyCheck(ctx context.Context, c *caller, tokenID string, action api.TokenAction, usable func(t *TokenRecord) error, answer json.RawMessage) (func(t *TokenRecord) error, error) {
	t, err := s.store.Token(ctx, c.user.ID, tokenID)
	if errors.Is(err, ErrNotFound) {
		return nil, errTokenNotFound()
	}
	if err != nil {
		return nil, err
	}
	if err := usable(&t); err != nil {
		return nil, err
	}
	purpose := purposeTest
	if action == api.ActionActivate {
		purpose = purposeRegister
	}
	session, err := s.takeChallenge(ctx, challengeKey(purpose, tokenID), c.user.ID, tokenID)
	if err != nil {
		return nil, err
	}
	if action == api.ActionActivate {
		return s.checkRegistration(ctx, session, answer), nil
	}
	return s.checkAssertion(ctx, purposeTest, session.UserID, session, answer), nil
}

func (s *Server) resyncToken(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.ActionPrivilege(api.ActionResync)); err != nil {
		return err
	}
	var req api.ResyncRequest
	if err := s.decode(w, r, &req); err != nil {
		return err
	}
	req.OTP1, req.OTP2 = api.NormalizeOTP(req.OTP1), api.NormalizeOTP(req.OTP2)
	if err := req.Validate(); err != nil {
		return err
	}
	t, err := s.useCode(r.Context(), c.user.ID, r.PathValue("id"), allowed(api.ActionResync), func(t *TokenRecord) error {
		if err := resync(t, req.OTP1, req.OTP2, s.now()); err != nil {
			return err
		}
		t.LastUsedAt = s.now()
		return nil
	})
	return s.answerToken(w, t, err)
}

// allowed checks that the token's type and status allow the action.
func allowed(action api.TokenAction) func(t *TokenRecord) error {
	return func(t *TokenRecord) error {
		return apiToken(*t).Check(action)
	}
}

// useCode checks a code against a user's token in one transaction: usable
// says whether the token may be used at all; check verifies the code and
// records its use. A locked token is refused; a failure is counted (and
// may lock the token), a success clears the count.
func (s *Server) useCode(ctx context.Context, userID, tokenID string, usable, check func(t *TokenRecord) error) (TokenRecord, error) {
	var outcome error
	t, err := s.store.UpdateToken(ctx, userID, tokenID, func(t *TokenRecord, _ int) error {
		if err := usable(t); err != nil {
			return err
		}
		if err := s.checkLock(t.Failures, tokenFailures(t)); err != nil {
			return err
		}
		outcome = check(t)
		if outcome == nil {
			t.Failures = Failures{}
		} else if s.countFailure(&t.Failures) {
			outcome = s.tooManyAttempts(s.cfg.Lockout, tokenFailures(t))
		}
		return nil // save the failure count as well as a success
	})
	if err != nil {
		return t, err
	}
	return t, outcome
}

// useKeyUncounted is useCode for a ceremony anyone may start without a
// password (passwordless sign-in): a failure is not counted, so that
// nobody can lock a user's key by sending bad answers that name it; the
// rate limits of anonymous calls bound such tries instead. A lock the key
// got elsewhere still holds; a success records the key's use.
func (s *Server) useKeyUncounted(ctx context.Context, userID, tokenID string, usable, check func(t *TokenRecord) error) (TokenRecord, error) {
	return s.store.UpdateToken(ctx, userID, tokenID, func(t *TokenRecord, _ int) error {
		if err := usable(t); err != nil {
			return err
		}
		if err := s.checkLock(t.Failures, tokenFailures(t)); err != nil {
			return err
		}
		return check(t) // on failure nothing is saved
	})
}

func (s *Server) enableToken(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.statusAction(w, r, c, api.ActionEnable, func(t *TokenRecord, _ int) error {
		t.Status = api.StatusActive
		return nil
	})
}

// disableToken disables an ACTIVE token that is not the last one. It is
// approvable (token.disable).
func (s *Server) disableToken(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	if err := c.require(api.ActionPrivilege(api.ActionDisable)); err != nil {
		return err
	}
	t, active, err := s.tokenAndActive(ctx, c.user.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	probe := t // disable changes it: this only checks
	if err := disable(&probe, active); err != nil {
		return err
	}
	g, sent, err := s.authorize(w, r, c, tokenAction(api.OpTokenDisable, t))
	if err != nil || sent {
		return err
	}
	var disabled TokenRecord
	err = s.store.Atomically(ctx, func(tx Store) error {
		if err := s.consume(ctx, tx, g); err != nil {
			return err
		}
		var err error
		disabled, err = tx.UpdateToken(ctx, c.user.ID, t.ID, disable)
		return err
	})
	return s.answerToken(w, disabled, err)
}

// disable is the rule and the change of disabling a token.
func disable(t *TokenRecord, active int) error {
	if err := apiToken(*t).Check(api.ActionDisable); err != nil {
		return err
	}
	if active <= 1 {
		return errLastActiveToken()
	}
	t.Status = api.StatusDisabled
	return nil
}

// tokenAndActive loads a user's token and counts their ACTIVE tokens, for
// the checks an approvable action makes before it asks for approval.
func (s *Server) tokenAndActive(ctx context.Context, userID, tokenID string) (TokenRecord, int, error) {
	t, err := s.store.Token(ctx, userID, tokenID)
	if errors.Is(err, ErrNotFound) {
		return t, 0, errTokenNotFound()
	}
	if err != nil {
		return t, 0, err
	}
	active, err := s.store.CountActiveTokens(ctx, userID)
	return t, active, err
}

func (s *Server) renameToken(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.ActionPrivilege(api.ActionRename)); err != nil {
		return err
	}
	var req api.UpdateTokenRequest
	if err := s.decodeValid(w, r, &req); err != nil {
		return err
	}
	return s.statusAction(w, r, c, api.ActionRename, func(t *TokenRecord, _ int) error {
		t.Description = strings.TrimSpace(req.Description)
		return nil
	})
}

// statusAction runs an action without a code: privilege, then type and
// status, then change, all in one transaction.
func (s *Server) statusAction(w http.ResponseWriter, r *http.Request, c *caller, action api.TokenAction, change func(t *TokenRecord, active int) error) error {
	if err := c.require(api.ActionPrivilege(action)); err != nil {
		return err
	}
	t, err := s.store.UpdateToken(r.Context(), c.user.ID, r.PathValue("id"), func(t *TokenRecord, active int) error {
		if err := apiToken(*t).Check(action); err != nil {
			return err
		}
		return change(t, active)
	})
	return s.answerToken(w, t, err)
}

// deleteToken deletes a token. A PENDING token (an enrollment not
// finished) can always be deleted, without approval; any other needs the
// privilege, a template that allows it, must not be the last ACTIVE one,
// and is approvable (token.delete).
func (s *Server) deleteToken(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	t, active, err := s.tokenAndActive(ctx, c.user.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	var g grant
	if t.Status != api.StatusPending {
		if c.partial {
			return errEnrollmentRequired()
		}
		if err := c.require(api.PrivTokenDelete); err != nil {
			return err
		}
		if err := deletable(t, active); err != nil {
			return err
		}
		var sent bool
		if g, sent, err = s.authorize(w, r, c, tokenAction(api.OpTokenDelete, t)); err != nil || sent {
			return err
		}
	}
	wasPending := t.Status == api.StatusPending
	err = s.store.Atomically(ctx, func(tx Store) error {
		if err := s.consume(ctx, tx, g); err != nil {
			return err
		}
		return tx.DeleteToken(ctx, c.user.ID, t.ID, func(t TokenRecord, active int) error {
			if (t.Status == api.StatusPending) != wasPending {
				return errTokenChanged()
			}
			if wasPending {
				return nil
			}
			return deletable(t, active)
		})
	})
	if errors.Is(err, ErrNotFound) {
		return errTokenNotFound()
	}
	if err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}

// deletable is the rule of deleting a token that is not PENDING.
func deletable(t TokenRecord, active int) error {
	if err := apiToken(t).Check(api.ActionDelete); err != nil {
		return err
	}
	if t.Status == api.StatusActive && active <= 1 {
		return errLastActiveToken()
	}
	return nil
}

func errTokenChanged() error {
	return apiError(api.CodeInvalidState, "The token changed while you were deleting it. Reload the list of tokens and try again.")
}
