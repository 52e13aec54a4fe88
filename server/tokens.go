package server

import (
	"context"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"selfservice/api"
)

func (s *Server) listTemplates(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivTokenTemplateView); err != nil {
		return err
	}
	templates, err := s.store.Templates(r.Context())
	if err != nil {
		return err
	}
	tokens, err := s.store.Tokens(r.Context(), c.user.ID)
	if err != nil {
		return err
	}
	inUse := map[string]int{}
	for _, t := range tokens {
		if t.Status != api.StatusObsolete {
			inUse[t.TemplateID]++
		}
	}
	out := api.TemplatesResponse{Templates: []api.TokenTemplate{}}
	for _, t := range templates {
		if ch := t.Type.Channel(); ch != "" && !s.canSend(ch) {
			continue // the server cannot send this template's codes
		}
		if t.Type == api.TypePush && s.cfg.PublicURL == "" {
			continue // phones could not be told where to reach the server
		}
		var settings *api.WebAuthnSettings
		if t.Type == api.TypeFIDO2 {
			settings = &api.WebAuthnSettings{
				UserVerification: t.UserVerification,
				ResidentKey:      t.ResidentKey,
				Passwordless:     t.Passwordless,
			}
		}
		out.Templates = append(out.Templates, api.TokenTemplate{
			ID:            t.ID,
			Name:          t.Name,
			Type:          t.Type,
			Description:   t.Description,
			MaxPerUser:    t.MaxPerUser,
			InUse:         inUse[t.ID],
			UserCanDelete: t.UserCanDelete,
			Order:         t.Order,
			Algorithm:     t.Algorithm,
			Digits:        t.Digits,
			Period:        t.Period,
			WebAuthn:      settings,
			Hardware:      t.Hardware,
			ContactFields: s.cfg.Tenant.TemplateContacts[t.ID],
		})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivTokenView); err != nil {
		return err
	}
	tokens, err := s.store.Tokens(r.Context(), c.user.ID)
	if err != nil {
		return err
	}
	preferred, err := s.store.DefaultMethod(r.Context(), c.user.ID)
	if err != nil {
		return err
	}
	out := api.TokensResponse{Tokens: []api.Token{}}
	for _, t := range tokens {
		tok := apiToken(t)
		tok.Default = t.ID == preferred && t.Status == api.StatusActive
		out.Tokens = append(out.Tokens, tok)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) getToken(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivTokenView); err != nil {
		return err
	}
	t, err := s.store.Token(r.Context(), c.user.ID, r.PathValue("id"))
	return s.answerToken(w, t, err)
}

// createToken enrolls a PENDING token from a template and returns, this
// once, what the authenticator app needs, or for a FIDO2 template the
// options to register a security key with. It is approvable
// (token.enroll, target: the template); with approvers, it is repeated by
// the requester with the approved request's id once approved.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivTokenEnroll); err != nil {
		return err
	}
	var req api.CreateTokenRequest
	if err := s.decodeValid(w, r, &req); err != nil {
		return err
	}
	tpl, err := s.store.Template(r.Context(), req.TemplateID)
	if errors.Is(err, ErrNotFound) {
		return errTemplateNotAllowed()
	}
	if err != nil {
		return err
	}
	if tpl.Hardware {
		return errClaimHardware()
	}
	description := strings.TrimSpace(req.Description)
	if err := s.checkRoom(r.Context(), c.user.ID, tpl); err != nil {
		return err
	}
	t := newToken(c.user.ID, tpl, description, api.StatusPending, s.now())
	// The rules of the token's type, checked before any approval is asked
	// for; they may complete t (an SMS or email token's address).
	switch t.Type {
	case api.TypeSMS, api.TypeEmail:
		err = s.checkCodeEnrollment(r.Context(), c, &t, req.Address)
	case api.TypePush:
		err = s.checkPushEnrollment(r.Context(), c)
	}
	if err != nil {
		return err
	}
	action := enrollAction(tpl, description)
	if t.Address != "" {
		action.params["address"] = t.Address
	}
	var g grant // a first token, enrolled while partial, needs no approval: there is nothing to confirm it with
	if !c.partial {
		var sent bool
		if g, sent, err = s.authorizeEnrollment(w, r, c, t, action); err != nil || sent {
			return err
		}
	}
	out := api.CreateTokenResponse{}
	err = s.store.Atomically(r.Context(), func(tx Store) error {
		if err := s.consume(r.Context(), tx, g); err != nil {
			return err
		}
		if err := tx.CreateToken(r.Context(), t, tpl.MaxPerUser); err != nil {
			return err
		}
		if err := s.deactivateEmergency(r.Context(), tx, c.user.ID, ReasonTokenEnrolled); err != nil {
			return err
		}
		// What the type sends or hands out, in the same transaction: the
		// first code of an SMS or email token (through the outbox), the
		// provisioning payload of a push token.
		var err error
		switch t.Type {
		case api.TypeSMS, api.TypeEmail:
			out.Delivery, err = s.sendFirstCode(r.Context(), tx, c.user, t)
		case api.TypePush:
			out.Push, err = s.newProvisioning(r.Context(), tx, c.user, t)
		}
		return err
	})
	if errors.Is(err, ErrLimitReached) {
		return errTemplateLimit(tpl.MaxPerUser)
	}
	if err != nil {
		return err
	}
	if out.Delivery != nil || out.Push != nil {
		out.Token = apiToken(t)
		writeJSON(w, http.StatusCreated, out)
		return nil
	}
	if t.Type == api.TypeFIDO2 {
		opts, err := s.beginRegistration(r.Context(), c.user, t, tpl)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusCreated, api.CreateTokenResponse{Token: apiToken(t), WebAuthn: &opts})
		return nil
	}
	writeJSON(w, http.StatusCreated, api.CreateTokenResponse{
		Token: apiToken(t),
		Provisioning: &api.Provisioning{
			OTPAuthURI: otpauthURI(s.cfg.Issuer, c.user.Username, &t),
			Secret:     secretBase32(t.Secret),
			Algorithm:  t.Algorithm,
			Digits:     t.Digits,
			Period:     t.Period,
		},
	})
	return nil
}

// checkRoom fails with template_limit when the user has the template's
// maximum of tokens already. CreateToken checks again in its
// transaction; this check comes before any approval is asked for.
func (s *Server) checkRoom(ctx context.Context, userID string, tpl TemplateRecord) error {
	if tpl.MaxPerUser == 0 {
		return nil
	}
	tokens, err := s.store.Tokens(ctx, userID)
	if err != nil {
		return err
	}
	n := 0
	for _, t := range tokens {
		if t.TemplateID == tpl.ID && t.Status != api.StatusObsolete {
			n++
		}
	}
	if n >= tpl.MaxPerUser {
		return errTemplateLimit(tpl.MaxPerUser)
	}
	return nil
}

// newToken makes a token of a template with a fresh secret and a label
// such as "TOTP-7F3A21C4". A FIDO2 token has no secret: the key keeps its
// private key, and the server gets the public one at activation.
func newToken(userID string, tpl TemplateRecord, description string, status api.TokenStatus, now time.Time) TokenRecord {
	secret := randomBytes(secretLen)
	if tpl.Type == api.TypeFIDO2 {
		secret = []byte{}
	}
	return TokenRecord{
		ID:            uuid.NewString(),
		UserID:        userID,
		TemplateID:    tpl.ID,
		Type:          tpl.Type,
		Label:         strings.ToUpper(string(tpl.Type)) + "-" + strings.ToUpper(hex.EncodeToString(randomBytes(4))),
		Description:   description,
		Status:        status,
		UserCanDelete: tpl.UserCanDelete,
		Secret:        secret,
		Algorithm:     tpl.Algorithm,
		Digits:        tpl.Digits,
		Period:        tpl.Period,
		CreatedAt:     now,
	}
}

// answerToken sends a token, or the error that came instead.
func (s *Server) answerToken(w http.ResponseWriter, t TokenRecord, err error) error {
	if errors.Is(err, ErrNotFound) {
		return errTokenNotFound()
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.TokenResponse{Token: apiToken(t)})
	return nil
}

// apiToken is what the user may see of a token: never its secret.
func apiToken(t TokenRecord) api.Token {
	out := api.Token{
		ID:          t.ID,
		TemplateID:  t.TemplateID,
		Type:        t.Type,
		Label:       t.Label,
		Description: t.Description,
		Status:      t.Status,
		Deletable:   t.UserCanDelete || t.Status == api.StatusPending,
		CreatedAt:   t.CreatedAt,
		Address:     t.Address,
		Credential:  apiCredential(t.Credential),
	}
	if !t.LastUsedAt.IsZero() {
		used := t.LastUsedAt
		out.LastUsedAt = &used
	}
	return out
}
