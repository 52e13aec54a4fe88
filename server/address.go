package server

import (
	"context"
	"errors"
	"net/http"

	"selfservice/api"
	"selfservice/server/notify"
)

// Moving an SMS or email token to a new address: a code goes to the new
// address (the pending address waits with it in sent_codes), and only
// that code moves the token. Until then the token keeps working with its
// old address. A move deactivates the user's emergency access code and
// tells the old address, so that a stolen session cannot quietly take
// the user's codes.

// changeAddress answers PUT /tokens/{id}/address: it sends a code to the
// new address of one of the caller's ACTIVE or DISABLED SMS or email
// tokens. It is approvable (token.address; target: the token).
func (s *Server) changeAddress(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	if err := c.require(api.PrivTokenModify); err != nil {
		return err
	}
	var req api.ChangeAddressRequest
	if err := s.decodeValid(w, r, &req); err != nil {
		return err
	}
	t, err := s.store.Token(ctx, c.user.ID, r.PathValue("id"))
	if errors.Is(err, ErrNotFound) {
		return errTokenNotFound()
	}
	if err != nil {
		return err
	}
	if err := addressChangeable(&t); err != nil {
		return err
	}
	if err := s.checkLock(t.Failures, tokenFailures(&t)); err != nil {
		return err
	}
	address, err := api.NormalizeAddress(t.Type.Channel(), req.Address)
	if err != nil {
		return err
	}
	if err := s.checkTemplateAddress(ctx, c.user.ID, t.TemplateID, address); err != nil {
		return err
	}
	if address == t.Address {
		return api.FieldError(map[string]string{"address": "This is the token's address already. Enter the new one."})
	}
	// Approvable (token.address), so that a stolen session cannot move
	// the user's codes without confirming with another method. Sending
	// the code again to the address of a move already under way needs no
	// new approval.
	underway, err := s.moveUnderway(ctx, t, address)
	if err != nil {
		return err
	}
	var g grant
	if !underway {
		var sent bool
		g, sent, err = s.authorize(w, r, c, approvable{
			op:         api.OpTokenAddress,
			target:     t.ID,
			templateID: t.TemplateID,
			label:      tokenTargetLabel(t),
			params:     map[string]string{"address": address},
		})
		if err != nil || sent {
			return err
		}
	}
	var d api.CodeDelivery
	err = s.store.Atomically(ctx, func(tx Store) error {
		if err := s.consume(ctx, tx, g); err != nil {
			return err
		}
		d, err = s.issueCode(ctx, tx, t, addressScope(t), address)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.ChallengeResponse{Proof: api.ProofOTP, Delivery: &d})
	return nil
}

// confirmAddress answers POST /tokens/{id}/address/confirm: the code sent
// to the new address moves the token there, deactivates the user's
// emergency access code and tells the old address, in one transaction.
// A wrong code counts against the token's lock.
func (s *Server) confirmAddress(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	if err := c.require(api.PrivTokenModify); err != nil {
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
	if req.OTP == "" {
		return api.FieldError(map[string]string{"otp": "Enter the code sent to the new address."})
	}
	t, err := s.tokenForProof(ctx, c.user.ID, r.PathValue("id"), addressChangeable)
	if errors.Is(err, ErrNotFound) {
		return errTokenNotFound()
	}
	if err != nil {
		return err
	}
	code, ok, err := s.takeCode(ctx, t, addressScope(t), req.OTP)
	if err != nil {
		return err
	}
	if !ok {
		_, err := s.useCode(ctx, c.user.ID, t.ID, addressChangeable, func(*TokenRecord) error { return errSentCodeInvalid() })
		return err
	}
	var moved TokenRecord
	err = s.store.Atomically(ctx, func(tx Store) error {
		var old string
		var err error
		moved, err = tx.UpdateToken(ctx, c.user.ID, t.ID, func(t *TokenRecord, _ int) error {
			if err := addressChangeable(t); err != nil {
				return err
			}
			old, t.Address, t.Failures = t.Address, code.Address, Failures{}
			return nil
		})
		if err != nil {
			return err
		}
		if err := s.deactivateEmergency(ctx, tx, c.user.ID, ReasonAddressChanged); err != nil {
			return err
		}
		return s.enqueueNotice(ctx, tx, c.user.ID, s.addressNotice(moved.Type.Channel(), old, moved.Address))
	})
	return s.answerToken(w, moved, err)
}

// moveUnderway reports whether a code that moves t to address is out and
// may still be entered: the user asked for this move (and confirmed it
// when it is approvable), so it may be sent again.
func (s *Server) moveUnderway(ctx context.Context, t TokenRecord, address string) (bool, error) {
	scope := addressScope(t)
	code, err := s.store.UpdateSentCode(ctx, t.ID, scope.purpose, scope.key, func(*SentCodeRecord) error { return nil })
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return code.Address == address && code.UsedAt.IsZero() && s.now().Before(code.ExpiresAt) && code.Failures < s.cfg.MaxFailures, nil
}

// addressScope is the scope of the code that confirms a token's new
// address.
func addressScope(t TokenRecord) proofScope {
	return proofScope{purpose: purposeAddress, key: t.ID, summary: "Change the address of " + t.Label}
}

// addressChangeable says whether a token's address may change: it must
// be an SMS or email token, ACTIVE or DISABLED (a PENDING one is deleted
// and enrolled again instead).
func addressChangeable(t *TokenRecord) error {
	if t.Type.Channel() == "" {
		return apiError(api.CodeNotSupported, "Only text message and email tokens have an address to change.")
	}
	if t.Status != api.StatusActive && t.Status != api.StatusDisabled {
		return apiError(api.CodeInvalidState, "The token is "+string(t.Status)+"; only an active or disabled token's address can change. Delete a token you have not activated and add it again with the right address.")
	}
	return nil
}

// addressNotice tells the old address of a token that its codes now go
// to the new one (masked: the old owner may not be the user any more).
func (s *Server) addressNotice(channel, old, new string) notify.Message {
	text := "Your " + s.cfg.Issuer + " sign-in address was changed to " + api.MaskAddress(channel, new) +
		". If this was not you, call your helpdesk."
	if channel == api.ChannelSMS {
		return notify.Message{Channel: notify.ChannelSMS, To: old, Body: text}
	}
	return notify.Message{
		Channel: notify.ChannelEmail,
		To:      old,
		Subject: "Your " + s.cfg.Issuer + " sign-in address was changed",
		Body: text + "\n\nYour sign-in codes now go to the new address, and no longer to this one. " +
			"Your emergency access code, if you had one, no longer works.\n",
	}
}
