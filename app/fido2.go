package app

import (
	"context"
	"encoding/json"
	"errors"
	"sync"

	"selfservice/api"
	"selfservice/hw"
)

// The ceremonies with a security key (FIDO2): enroll a key, sign in with
// it as the second step or without a password (a passkey), and test it.
//
// Each call is one attempt with the key a. It asks the server for fresh
// options (challenges are single-use and expire), lets the key answer
// them, and sends the answer to the server. The key's errors come back as
// hw's typed errors: with an empty pin a key that needs one reports
// hw.PINNeeded through events and the call returns hw.ErrPINRequired;
// call again with the PIN. A wrong PIN is an *hw.WrongPINError. Cancelling
// ctx stops the key (hw.ErrCancelled).
//
// The key answers as a native app does: for the origin "https://<rpId>",
// the relying party ID taken from the server's options.

// KeyEnrollment is a security key being registered: its FIDO2 token is
// PENDING until RegisterKey succeeds. If the user gives up, delete it with
// CancelKeyEnrollment. It is safe for concurrent use.
type KeyEnrollment struct {
	// Token is the PENDING token as it was created.
	Token api.Token

	mu      sync.Mutex
	options json.RawMessage // creation options not used yet; nil once used
}

// takeOptions returns the creation options that came with the token, once.
func (e *KeyEnrollment) takeOptions() json.RawMessage {
	e.mu.Lock()
	defer e.mu.Unlock()
	options := e.options
	e.options = nil
	return options
}

// EnrollKey starts enrolling a security key on a FIDO2 template: it
// creates the PENDING token. Finish with RegisterKey.
func (s *Session) EnrollKey(ctx context.Context, templateID, description string) (*KeyEnrollment, error) {
	created, err := s.EnrollToken(ctx, templateID, description)
	if err != nil {
		return nil, err
	}
	if created.WebAuthn == nil || len(created.WebAuthn.PublicKey) == 0 {
		// Not a FIDO2 template: do not leave the token behind.
		_ = s.DeleteToken(ctx, created.Token.ID)
		return nil, &api.Error{
			Code:    api.CodeBadResponse,
			Message: "The server did not send what is needed to register a security key. Choose a security key template, or contact your helpdesk.",
		}
	}
	return &KeyEnrollment{Token: created.Token, options: created.WebAuthn.PublicKey}, nil
}

// RegisterKey registers the key a for the enrollment and returns its
// token, now ACTIVE. It may be called again after a failure, for example
// with the PIN after hw.ErrPINRequired.
func (s *Session) RegisterKey(ctx context.Context, e *KeyEnrollment, a hw.Authenticator, pin string, events func(hw.Event)) (api.Token, error) {
	if e == nil || e.Token.ID == "" {
		return api.Token{}, errors.New("register a key: no enrollment")
	}
	options := e.takeOptions()
	if options == nil {
		ch, err := call(s, func(b Backend) (api.ChallengeResponse, error) { return b.TokenChallenge(ctx, e.Token.ID) })
		if err != nil {
			return api.Token{}, err
		}
		if options, err = keyOptions(ch); err != nil {
			return api.Token{}, err
		}
	}
	answer, err := hw.Register(ctx, a, options, "", pin, events)
	if err != nil {
		return api.Token{}, err
	}
	return s.changeToken(ctx, func(b Backend) (api.Token, error) {
		return b.ActivateToken(ctx, e.Token.ID, api.OTPRequest{WebAuthn: answer})
	})
}

// CancelKeyEnrollment deletes the enrollment's token if it is still
// PENDING: a key registered meanwhile stays.
func (s *Session) CancelKeyEnrollment(ctx context.Context, e *KeyEnrollment) error {
	if e == nil || e.Token.ID == "" {
		return nil
	}
	tok, err := call(s, func(b Backend) (api.Token, error) { return b.Token(ctx, e.Token.ID) })
	switch {
	case errors.Is(err, api.ErrNotFound):
		return nil
	case err != nil:
		return err
	case tok.Status != api.StatusPending:
		return nil
	}
	return s.DeleteToken(ctx, e.Token.ID)
}

// VerifyWithKey is the second sign-in step with the security key of the
// FIDO2 token tokenID, one of ch.Methods.
func (s *Session) VerifyWithKey(ctx context.Context, ch *Challenge, tokenID string, a hw.Authenticator, pin string, events func(hw.Event)) error {
	if ch == nil || ch.backend == nil {
		return errors.New("verify needs the challenge returned by login")
	}
	req := api.LoginChallengeRequest{TokenID: tokenID}
	if err := req.Validate(); err != nil {
		return err
	}
	challenge, err := ch.backend.LoginChallenge(ctx, ch.LoginID, req)
	if err != nil {
		return err
	}
	options, err := keyOptions(challenge)
	if err != nil {
		return err
	}
	answer, err := hw.Authenticate(ctx, a, options, "", pin, events)
	if err != nil {
		return err
	}
	resp, err := ch.backend.VerifyLogin(ctx, ch.LoginID, api.VerifyLoginRequest{TokenID: tokenID, WebAuthn: answer})
	if err != nil {
		return err
	}
	if resp.SessionToken == "" {
		return errIncompleteLogin()
	}
	return s.start(ctx, ch.backend, ch.serverURL, ch.username, resp.SessionToken)
}

// SignInWithPasskey signs in to the server at serverURL with a passkey on
// the key a, without username or password. The key needs a passkey of a
// template that allows it (hw.ErrNoCredentials when it has none for this
// server). On success the session starts as after Verify.
func (s *Session) SignInWithPasskey(ctx context.Context, serverURL string, a hw.Authenticator, pin string, events func(hw.Event)) error {
	serverURL = normalizeURL(serverURL)
	if serverURL == "" {
		return api.FieldError(map[string]string{"server_url": "Enter the server address."})
	}
	backend, err := s.connect(serverURL)
	if err != nil {
		return err
	}
	start, err := backend.Passwordless(ctx)
	if err != nil {
		return err
	}
	answer, err := hw.Authenticate(ctx, a, start.WebAuthn.PublicKey, "", pin, events)
	if err != nil {
		return err
	}
	resp, err := backend.VerifyPasswordless(ctx, start.LoginID, api.PasswordlessVerifyRequest{WebAuthn: answer})
	if err != nil {
		return err
	}
	if resp.SessionToken == "" {
		return errIncompleteLogin()
	}
	// The server tells who signed in; start finds the username.
	if err := s.start(ctx, backend, serverURL, "", resp.SessionToken); err != nil {
		return err
	}
	s.savePrefs(serverURL, s.User().Username)
	return nil
}

// TestKey checks that the security key of the ACTIVE FIDO2 token id still
// signs in; nothing changes but the token's last use.
func (s *Session) TestKey(ctx context.Context, id string, a hw.Authenticator, pin string, events func(hw.Event)) (api.Token, error) {
	if err := validate(id, nil); err != nil {
		return api.Token{}, err
	}
	challenge, err := call(s, func(b Backend) (api.ChallengeResponse, error) { return b.TokenChallenge(ctx, id) })
	if err != nil {
		return api.Token{}, err
	}
	options, err := keyOptions(challenge)
	if err != nil {
		return api.Token{}, err
	}
	answer, err := hw.Authenticate(ctx, a, options, "", pin, events)
	if err != nil {
		return api.Token{}, err
	}
	return call(s, func(b Backend) (api.Token, error) {
		return b.TestToken(ctx, id, api.OTPRequest{WebAuthn: answer})
	})
}

// keyOptions returns the security key options of a challenge, or
// bad_response when the server sent none (the token is not a key).
func keyOptions(ch api.ChallengeResponse) (json.RawMessage, error) {
	if ch.Proof != api.ProofWebAuthn || ch.WebAuthn == nil || len(ch.WebAuthn.PublicKey) == 0 {
		return nil, &api.Error{
			Code:    api.CodeBadResponse,
			Message: "The server did not send what is needed to use a security key. Choose another sign-in method.",
		}
	}
	return ch.WebAuthn.PublicKey, nil
}
