package server

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"selfservice/api"
)

// The two WebAuthn ceremonies, each in two halves: begin makes the
// options for the key and stores the challenge; check verifies the key's
// answer inside the token's transaction (see useCode), so that failures
// are counted and lock the token like wrong codes.

// Purposes of a challenge: the first part of its key.
const (
	purposeRegister     = "register"     // bound to a PENDING token
	purposeTest         = "test"         // bound to an ACTIVE token
	purposeLogin        = "login"        // bound to a first sign-in step and one of its tokens
	purposePasswordless = "passwordless" // bound to a passwordless sign-in
)

// challengeKey names a challenge by its purpose and what it is bound to.
func challengeKey(purpose, binding string) string {
	return purpose + ":" + binding
}

// saveChallenge stores the ceremony state of an open challenge.
func (s *Server) saveChallenge(ctx context.Context, key, userID, tokenID string, session *webauthn.SessionData) error {
	raw, err := json.Marshal(session)
	if err != nil {
		return err
	}
	return s.store.SaveChallenge(ctx, ChallengeRecord{
		Key:       key,
		UserID:    userID,
		TokenID:   tokenID,
		Session:   raw,
		ExpiresAt: s.now().Add(s.cfg.ChallengeTTL),
	})
}

// takeChallenge uses up the challenge with this key and returns its
// ceremony state. It fails with challenge_expired when there is none,
// when it has expired, or when it was made for another user or token.
func (s *Server) takeChallenge(ctx context.Context, key, userID, tokenID string) (webauthn.SessionData, error) {
	c, err := s.store.TakeChallenge(ctx, key)
	if errors.Is(err, ErrNotFound) {
		return webauthn.SessionData{}, errChallengeExpired()
	}
	if err != nil {
		return webauthn.SessionData{}, err
	}
	if !s.now().Before(c.ExpiresAt) || c.UserID != userID || c.TokenID != tokenID {
		return webauthn.SessionData{}, errChallengeExpired()
	}
	var session webauthn.SessionData
	if err := json.Unmarshal(c.Session, &session); err != nil {
		return webauthn.SessionData{}, err
	}
	return session, nil
}

// beginRegistration makes the creation options for a PENDING FIDO2 token
// as its template says, excluding the keys the user registered already,
// and stores the challenge.
func (s *Server) beginRegistration(ctx context.Context, u UserRecord, t TokenRecord, tpl TemplateRecord) (api.WebAuthnOptions, error) {
	tokens, err := s.store.Tokens(ctx, u.ID)
	if err != nil {
		return api.WebAuthnOptions{}, err
	}
	user, err := s.newWebAuthnUser(ctx, u, tokens...)
	if err != nil {
		return api.WebAuthnOptions{}, err
	}
	exclude := make([]protocol.CredentialDescriptor, 0, len(user.credentials))
	for _, c := range user.credentials {
		exclude = append(exclude, c.Descriptor())
	}
	creation, session, err := s.rp.BeginRegistration(user,
		webauthn.WithExclusions(exclude),
		webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{
			UserVerification: requirement(tpl.UserVerification),
		}),
		webauthn.WithResidentKeyRequirement(protocol.ResidentKeyRequirement(tpl.ResidentKey)),
	)
	if err != nil {
		return api.WebAuthnOptions{}, err
	}
	if err := s.saveChallenge(ctx, challengeKey(purposeRegister, t.ID), u.ID, t.ID, session); err != nil {
		return api.WebAuthnOptions{}, err
	}
	return options(creation.Response)
}

// checkRegistration verifies the key's attestation and its public key
// (see validateCredentialKey) for a PENDING token and activates the token
// with the new credential. The user handle is the one the challenge was
// made for.
func (s *Server) checkRegistration(ctx context.Context, session webauthn.SessionData, raw json.RawMessage) func(t *TokenRecord) error {
	return func(t *TokenRecord) error {
		parsed, err := protocol.ParseCredentialCreationResponseBytes(raw)
		if err != nil {
			return s.webauthnFailed(ctx, purposeRegister, err)
		}
		cred, err := s.rp.CreateCredential(&webauthnUser{handle: session.UserID}, session, parsed)
		if err != nil {
			return s.webauthnFailed(ctx, purposeRegister, err)
		}
		if err := validateCredentialKey(session.CredParams, cred.PublicKey); err != nil {
			s.log.WarnContext(ctx, "security key response refused", "ceremony", purposeRegister, "reason", "public_key_invalid", "detail", err.Error())
			return errPublicKeyInvalid()
		}
		t.Credential = storedCredential(cred)
		t.Label = credentialLabel(cred.ID)
		t.Status = api.StatusActive
		return nil
	}
}

// beginAssertion makes the request options for one FIDO2 token, allowing
// only its credential, with the user verification its template asks for,
// and stores the challenge under key.
func (s *Server) beginAssertion(ctx context.Context, key string, u UserRecord, t TokenRecord) (api.WebAuthnOptions, error) {
	tpl, err := s.store.Template(ctx, t.TemplateID)
	if err != nil {
		return api.WebAuthnOptions{}, err
	}
	user, err := s.newWebAuthnUser(ctx, u, t)
	if err != nil {
		return api.WebAuthnOptions{}, err
	}
	if len(user.credentials) == 0 {
		return api.WebAuthnOptions{}, errors.New("begin assertion: the token has no credential")
	}
	assertion, session, err := s.rp.BeginLogin(user, webauthn.WithUserVerification(requirement(tpl.UserVerification)))
	if err != nil {
		return api.WebAuthnOptions{}, err
	}
	if err := s.saveChallenge(ctx, key, u.ID, t.ID, session); err != nil {
		return api.WebAuthnOptions{}, err
	}
	return options(assertion.Response)
}

// checkAssertion verifies a FIDO2 token's assertion and records the key's
// new signature counter and flags. handle is the user's WebAuthn handle;
// a session without a user is a passwordless (discoverable) one. A
// counter that did not move forward refuses the key as possibly cloned.
func (s *Server) checkAssertion(ctx context.Context, ceremony string, handle []byte, session webauthn.SessionData, raw json.RawMessage) func(t *TokenRecord) error {
	return func(t *TokenRecord) error {
		if t.Credential == nil {
			return errWebAuthnInvalid()
		}
		parsed, err := protocol.ParseCredentialRequestResponseBytes(raw)
		if err != nil {
			return s.webauthnFailed(ctx, ceremony, err)
		}
		user := &webauthnUser{handle: handle, credentials: []webauthn.Credential{libCredential(t.Credential)}}
		var cred *webauthn.Credential
		if len(session.UserID) == 0 {
			owner := func(_, _ []byte) (webauthn.User, error) { return user, nil }
			_, cred, err = s.rp.ValidatePasskeyLogin(owner, session, parsed)
		} else {
			cred, err = s.rp.ValidateLogin(user, session, parsed)
		}
		if err != nil {
			return s.webauthnFailed(ctx, ceremony, err)
		}
		if cred.Authenticator.CloneWarning {
			s.log.WarnContext(ctx, "security key refused: its signature counter did not increase, so it may be cloned",
				"ceremony", ceremony, "user_id", t.UserID, "token", t.Label,
				"stored_count", t.Credential.SignCount, "received_count", parsed.Response.AuthenticatorData.Counter)
			return errCredentialCloned()
		}
		t.Credential = storedCredential(cred)
		t.LastUsedAt = s.now()
		return nil
	}
}
