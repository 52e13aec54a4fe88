package server

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"selfservice/api"
)

// Emergency access codes: issued by helpdesk staff (or the admin command
// line) to a user who lost their tokens, usable at sign-in and in
// step-up like a token, with a validity and a number of uses. Wrong codes
// count against the code (which locks like a token) and against the
// sign-in or approval.

const wrongEmergencyCodes = "wrong emergency access codes"

// IssuedByAdmin is the issuer recorded for codes issued on the command line.
const IssuedByAdmin = "admin"

// IssueEmergencyCode gives the user username a new emergency access code,
// valid for validFor from now and usable uses times, replacing the one
// they had. The answer carries the code, which is never shown again.
func IssueEmergencyCode(ctx context.Context, store Store, username, issuedBy string, validFor time.Duration, uses int, now time.Time) (api.EmergencyCodeResponse, error) {
	user, err := store.UserByUsername(ctx, strings.ToLower(strings.TrimSpace(username)))
	if err != nil {
		return api.EmergencyCodeResponse{}, err
	}
	code := newEmergencyCode()
	rec := EmergencyCodeRecord{
		ID:        uuid.NewString(),
		UserID:    user.ID,
		CodeHash:  hashToken(code),
		CreatedAt: now,
		ExpiresAt: now.Add(validFor),
		UsesLeft:  uses,
		IssuedBy:  issuedBy,
	}
	if err := store.IssueEmergencyCode(ctx, rec); err != nil {
		return api.EmergencyCodeResponse{}, err
	}
	return api.EmergencyCodeResponse{Code: api.FormatEmergencyCode(code), ExpiresAt: rec.ExpiresAt, Uses: uses}, nil
}

// newEmergencyCode returns a random code of api.EmergencyCodeLen
// characters of api.EmergencyAlphabet (32 characters: 5 bits each).
func newEmergencyCode() string {
	b := make([]byte, api.EmergencyCodeLen)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error()) // never happens on supported systems
	}
	for i := range b {
		b[i] = api.EmergencyAlphabet[int(b[i])%len(api.EmergencyAlphabet)]
	}
	return string(b)
}

// issueEmergencyCode is POST /users/{username}/emergency-code: helpdesk
// staff issue a code to another user.
func (s *Server) issueEmergencyCode(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	if err := c.require(api.PrivEmergencyIssue); err != nil {
		return err
	}
	var req api.IssueEmergencyCodeRequest
	if err := s.decodeValid(w, r, &req); err != nil {
		return err
	}
	username := strings.ToLower(strings.TrimSpace(r.PathValue("username")))
	if username == c.user.Username {
		return errEmergencyForSelf()
	}
	validFor := time.Duration(req.ValidForHours) * time.Hour
	out, err := IssueEmergencyCode(ctx, s.store, username, c.user.Username, validFor, req.Uses, s.now())
	if errors.Is(err, ErrNotFound) {
		return errUserNotFound()
	}
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "emergency access code issued", "user", username, "issued_by", c.user.Username,
		"expires_at", out.ExpiresAt, "uses", out.Uses)
	writeJSON(w, http.StatusCreated, out)
	return nil
}

// emergencyHolder is GET /users/{username}/emergency-code: who the user
// is and the code they hold now (its validity, never the code), so that
// helpdesk staff confirm the person before issuing one.
func (s *Server) emergencyHolder(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	if err := c.require(api.PrivEmergencyIssue); err != nil {
		return err
	}
	username := strings.ToLower(strings.TrimSpace(r.PathValue("username")))
	if username == c.user.Username {
		return errEmergencyForSelf()
	}
	user, err := s.store.UserByUsername(ctx, username)
	if errors.Is(err, ErrNotFound) {
		return errUserNotFound()
	}
	if err != nil {
		return err
	}
	out := api.EmergencyHolderResponse{Username: user.Username, DisplayName: user.DisplayName}
	e, err := s.store.EmergencyCode(ctx, user.ID)
	switch {
	case err == nil && e.usable(s.now()):
		out.Current = &api.EmergencyCodeState{ExpiresAt: e.ExpiresAt, UsesLeft: e.UsesLeft}
	case err != nil && !errors.Is(err, ErrNotFound):
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// emergencyMethod is the sign-in method of the user's emergency access
// code, when they have a usable one.
func (s *Server) emergencyMethod(ctx context.Context, userID string) ([]api.LoginMethod, error) {
	e, err := s.store.EmergencyCode(ctx, userID)
	if errors.Is(err, ErrNotFound) || (err == nil && !e.usable(s.now())) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []api.LoginMethod{{TokenID: api.EmergencyTokenID, Type: api.TypeEmergency, Label: "Emergency access code"}}, nil
}

// useEmergencyCode checks code (normalised) against the user's emergency
// access code and uses it once. A locked code is refused; a wrong code is
// counted (and may lock it), a right one clears the count.
func (s *Server) useEmergencyCode(ctx context.Context, userID, code string) error {
	var outcome error
	_, err := s.store.UpdateEmergencyCode(ctx, userID, func(e *EmergencyCodeRecord) error {
		if !e.usable(s.now()) {
			return errNoEmergencyCode()
		}
		if err := s.checkLock(e.Failures, wrongEmergencyCodes); err != nil {
			return err
		}
		if subtle.ConstantTimeCompare([]byte(hashToken(code)), []byte(e.CodeHash)) == 1 {
			e.UsesLeft--
			e.Failures = Failures{}
			return nil
		}
		outcome = errEmergencyCodeInvalid()
		if s.countFailure(&e.Failures) {
			outcome = s.tooManyAttempts(s.cfg.Lockout, wrongEmergencyCodes)
		}
		return nil // save the failure count
	})
	if errors.Is(err, ErrNotFound) {
		return errNoEmergencyCode()
	}
	if err != nil {
		return err
	}
	return outcome
}

// deactivateEmergency deactivates the user's emergency access code after
// they enrolled or activated a token (domain rule).
func (s *Server) deactivateEmergency(ctx context.Context, store Store, userID, reason string) error {
	return store.DeactivateEmergencyCode(ctx, userID, reason, s.now())
}

func errEmergencyForSelf() error {
	return apiError(api.CodeEmergencyForSelf, "You cannot issue an emergency access code to yourself. Ask another helpdesk member.")
}

func errUserNotFound() error {
	return apiError(api.CodeNotFound, "There is no user with this username. Check the spelling and try again.")
}

func errNoEmergencyCode() error {
	return api.FieldError(map[string]string{"token_id": "You have no usable emergency access code: it expired, was used up or was replaced. Choose another method or ask the helpdesk for a new code."})
}

func errEmergencyCodeInvalid() error {
	return apiError(api.CodeOTPInvalid, "The emergency access code is not correct. Check it and type it again.")
}
