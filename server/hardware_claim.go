package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"selfservice/api"
)

const wrongClaimCodes = "wrong codes for this hardware token"

// claimToken is POST /tokens/claim: the caller claims an imported
// hardware token by its serial number and the code it shows. The code
// proves they hold the device, so the token they get is ACTIVE at once: an
// ordinary HOTP or TOTP token with the device's secret. A serial that is
// unknown or assigned gets the same answer, so that nobody learns who
// holds which device. Wrong codes count against the serial (which locks
// like a token). Claiming is an enrollment: approvable (token.enroll, with
// the serial) and it deactivates the caller's emergency access code.
func (s *Server) claimToken(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	if err := c.require(api.PrivTokenEnroll); err != nil {
		return err
	}
	var req api.ClaimTokenRequest
	if err := s.decode(w, r, &req); err != nil {
		return err
	}
	req.Serial, req.OTP = api.NormalizeSerial(req.Serial), api.NormalizeOTP(req.OTP)
	if err := req.Validate(); err != nil {
		return err
	}
	description := strings.TrimSpace(req.Description)
	tpl, err := s.store.Template(ctx, TemplateHardware)
	if errors.Is(err, ErrNotFound) {
		return errTemplateNotAllowed()
	}
	if err != nil {
		return err
	}
	if err := s.claimable(ctx, req.Serial); err != nil {
		return err
	}
	if err := s.checkRoom(ctx, c.user.ID, tpl); err != nil {
		return err
	}
	var g grant // a first token, claimed while partial, needs no approval, as for createToken
	if !c.partial {
		var sent bool
		if g, sent, err = s.authorize(w, r, c, claimAction(tpl, req.Serial, description)); err != nil || sent {
			return err
		}
	}
	var t TokenRecord
	var outcome error
	err = s.store.Atomically(ctx, func(tx Store) error {
		_, err := tx.UpdateHardwareToken(ctx, req.Serial, func(h *HardwareTokenRecord) error {
			if h.Assigned() {
				return errNotClaimable()
			}
			if err := s.checkLock(h.Failures, wrongClaimCodes); err != nil {
				return err
			}
			t = claimedToken(c.user.ID, tpl, *h, description, s.now())
			if outcome = checkCode(&t, req.OTP, s.now()); outcome != nil {
				if s.countFailure(&h.Failures) {
					outcome = s.tooManyAttempts(s.cfg.Lockout, wrongClaimCodes)
				}
				return nil // save the failure count
			}
			h.Failures = Failures{}
			h.TokenID = t.ID
			if err := s.consume(ctx, tx, g); err != nil {
				return err
			}
			if err := tx.CreateToken(ctx, t, tpl.MaxPerUser); err != nil {
				return err
			}
			return s.deactivateEmergency(ctx, tx, c.user.ID, ReasonTokenEnrolled)
		})
		return err
	})
	switch {
	case errors.Is(err, ErrNotFound):
		return errNotClaimable()
	case errors.Is(err, ErrLimitReached):
		return errTemplateLimit(tpl.MaxPerUser)
	case err != nil:
		return err
	case outcome != nil:
		return outcome
	}
	s.log.InfoContext(ctx, "hardware token claimed", "user", c.user.Username, "serial", req.Serial, "token", t.ID)
	writeJSON(w, http.StatusCreated, api.TokenResponse{Token: apiToken(t)})
	return nil
}

// claimable checks, before any approval is asked for, that the serial is
// known, unassigned and not locked.
func (s *Server) claimable(ctx context.Context, serial string) error {
	h, err := s.store.HardwareToken(ctx, serial)
	if errors.Is(err, ErrNotFound) || (err == nil && h.Assigned()) {
		return errNotClaimable()
	}
	if err != nil {
		return err
	}
	return s.checkLock(h.Failures, wrongClaimCodes)
}

// claimAction is the claim of a hardware token: an enrollment of the
// hardware template that names the serial.
func claimAction(tpl TemplateRecord, serial, description string) approvable {
	a := enrollAction(tpl, description)
	a.label = tpl.Name + " " + serial
	a.params["serial"] = serial
	return a
}

// claimedToken is the ACTIVE token a claim of h gives the user: the
// device's type, secret and settings, labelled with its serial number.
func claimedToken(userID string, tpl TemplateRecord, h HardwareTokenRecord, description string, now time.Time) TokenRecord {
	return TokenRecord{
		ID:            uuid.NewString(),
		UserID:        userID,
		TemplateID:    tpl.ID,
		Type:          h.Type,
		Label:         h.Serial,
		Description:   description,
		Status:        api.StatusActive,
		UserCanDelete: tpl.UserCanDelete,
		Secret:        h.Secret,
		Algorithm:     h.Algorithm,
		Digits:        h.Digits,
		Period:        h.Period,
		Counter:       h.Counter,
		CreatedAt:     now,
	}
}

func errNotClaimable() error {
	return apiError(api.CodeNotFound, "There is no hardware token with this serial number that you can add. Check the serial number printed on the token, or ask the helpdesk.")
}

func errClaimHardware() error {
	return api.FieldError(map[string]string{"template_id": "A hardware token is added with its serial number and the code it shows. Choose \"Add hardware token\" instead."})
}
