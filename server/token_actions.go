package server

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"selfservice/api"
)

// The actions on one token. Each checks, in this order: the privilege,
// then (in the store's transaction) that the token is the caller's, that
// its type and status allow the action, and the action's own rules.

func (s *Server) activateToken(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.codeAction(w, r, c, api.ActionActivate, func(t *TokenRecord, code string) error {
		if err := checkCode(t, code, s.now()); err != nil {
			return err
		}
		t.Status = api.StatusActive
		return nil
	})
}

func (s *Server) testToken(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.codeAction(w, r, c, api.ActionTest, func(t *TokenRecord, code string) error {
		if err := checkCode(t, code, s.now()); err != nil {
			return err
		}
		t.LastUsedAt = s.now()
		return nil
	})
}

// codeAction runs an action that takes one code (activate, test).
func (s *Server) codeAction(w http.ResponseWriter, r *http.Request, c *caller, action api.TokenAction, check func(t *TokenRecord, code string) error) error {
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
	t, err := s.useCode(r.Context(), c.user.ID, r.PathValue("id"), allowed(action), func(t *TokenRecord) error {
		return check(t, req.OTP)
	})
	return s.answerToken(w, t, err)
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
		if err := s.checkLock(t.Failures, wrongCodes); err != nil {
			return err
		}
		outcome = check(t)
		if outcome == nil {
			t.Failures = Failures{}
		} else if s.countFailure(&t.Failures) {
			outcome = errTooManyAttempts(s.cfg.Lockout, wrongCodes)
		}
		return nil // save the failure count as well as a success
	})
	if err != nil {
		return t, err
	}
	return t, outcome
}

func (s *Server) enableToken(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.statusAction(w, r, c, api.ActionEnable, func(t *TokenRecord, _ int) error {
		t.Status = api.StatusActive
		return nil
	})
}

func (s *Server) disableToken(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.statusAction(w, r, c, api.ActionDisable, func(t *TokenRecord, active int) error {
		if active <= 1 {
			return errLastActiveToken()
		}
		t.Status = api.StatusDisabled
		return nil
	})
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
// finished) can always be deleted; any other needs the privilege, a
// template that allows it, and must not be the last ACTIVE one.
func (s *Server) deleteToken(w http.ResponseWriter, r *http.Request, c *caller) error {
	err := s.store.DeleteToken(r.Context(), c.user.ID, r.PathValue("id"), func(t TokenRecord, active int) error {
		if t.Status == api.StatusPending {
			return nil
		}
		if c.partial {
			return errEnrollmentRequired()
		}
		if err := c.require(api.PrivTokenDelete); err != nil {
			return err
		}
		if err := apiToken(t).Check(api.ActionDelete); err != nil {
			return err
		}
		if t.Status == api.StatusActive && active <= 1 {
			return errLastActiveToken()
		}
		return nil
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
