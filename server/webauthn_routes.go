package server

import (
	"errors"
	"net/http"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"selfservice/api"
)

// The calls that start a ceremony with a security key, and passwordless
// sign-in. Answers to the other challenges go to the calls that take
// codes too: verifyLogin, activateToken and testToken.

// tokenChallenge starts a ceremony with one of the caller's FIDO2 tokens:
// for a PENDING token, new creation options (to retry a registration);
// for an ACTIVE one, request options to test it. Other tokens are
// prepared by prepareTokenProof.
func (s *Server) tokenChallenge(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	t, err := s.store.Token(ctx, c.user.ID, r.PathValue("id"))
	if errors.Is(err, ErrNotFound) {
		return errTokenNotFound()
	}
	if err != nil {
		return err
	}
	if t.Type != api.TypeFIDO2 {
		return s.prepareTokenProof(w, r, c, t)
	}
	var opts api.WebAuthnOptions
	if t.Status == api.StatusPending {
		if err := c.require(api.PrivTokenEnroll); err != nil {
			return err
		}
		tpl, err := s.store.Template(ctx, t.TemplateID)
		if err != nil {
			return err
		}
		opts, err = s.beginRegistration(ctx, c.user, t, tpl)
		if err != nil {
			return err
		}
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
		if err := s.checkLock(t.Failures, failedKeyUses); err != nil {
			return err
		}
		opts, err = s.beginAssertion(ctx, challengeKey(purposeTest, t.ID), c.user, t)
		if err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, api.ChallengeResponse{Proof: api.ProofWebAuthn, WebAuthn: &opts})
	return nil
}

// loginChallenge prepares one of the login's ACTIVE tokens for the second
// sign-in step: request options for a FIDO2 key, a code sent to an SMS
// or email token, a push request to the phone. The answer goes to
// verifyLogin.
func (s *Server) loginChallenge(w http.ResponseWriter, r *http.Request, _ *caller) error {
	ctx := r.Context()
	var req api.LoginChallengeRequest
	if err := s.decodeValid(w, r, &req); err != nil {
		return err
	}
	idHash := hashToken(r.PathValue("login_id"))
	login, err := s.openLogin(ctx, idHash)
	if err != nil {
		return err
	}
	t, err := s.store.Token(ctx, login.UserID, req.TokenID)
	if errors.Is(err, ErrNotFound) {
		return errNotAMethod()
	}
	if err != nil {
		return err
	}
	if t.Status != api.StatusActive {
		return errNotAMethod()
	}
	if err := s.checkLock(t.Failures, tokenFailures(&t)); err != nil {
		return err
	}
	user, err := s.store.UserByID(ctx, login.UserID)
	if err != nil {
		return err
	}
	if t.Type != api.TypeFIDO2 {
		from, err := s.signInFrom(r)
		if err != nil {
			return err
		}
		ch, err := s.prepareProof(ctx, user, t, proofScope{purpose: purposeLogin, key: idHash, summary: "Sign in as " + user.Username, from: from})
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, ch)
		return nil
	}
	opts, err := s.beginAssertion(ctx, challengeKey(purposeLogin, idHash), user, t)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.ChallengeResponse{Proof: api.ProofWebAuthn, WebAuthn: &opts})
	return nil
}

// beginPasswordless starts a sign-in without username or password: the
// options list no credentials, so the key offers its passkeys for this
// relying party, and ask for user verification (the key's PIN or
// fingerprint stands in for the password).
func (s *Server) beginPasswordless(w http.ResponseWriter, r *http.Request, _ *caller) error {
	ctx := r.Context()
	assertion, session, err := s.rp.BeginDiscoverableLogin(webauthn.WithUserVerification(protocol.VerificationRequired))
	if err != nil {
		return err
	}
	loginID := randomToken(16)
	if err := s.saveChallenge(ctx, challengeKey(purposePasswordless, hashToken(loginID)), "", "", session); err != nil {
		return err
	}
	opts, err := options(assertion.Response)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.PasswordlessResponse{LoginID: loginID, WebAuthn: opts})
	return nil
}

// verifyPasswordless finishes a passwordless sign-in: the passkey's
// credential names the token, its user handle the user. Only ACTIVE tokens
// of templates that allow passwordless sign-in may. Anyone can send an
// answer naming a key, so failures do not count against it (see
// useKeyUncounted).
func (s *Server) verifyPasswordless(w http.ResponseWriter, r *http.Request, _ *caller) error {
	ctx := r.Context()
	var req api.PasswordlessVerifyRequest
	if err := s.decodeValid(w, r, &req); err != nil {
		return err
	}
	from, err := s.signInFrom(r)
	if err != nil {
		return err
	}
	session, err := s.takeChallenge(ctx, challengeKey(purposePasswordless, hashToken(r.PathValue("login_id"))), "", "")
	if errors.Is(err, api.ErrChallengeExpired) {
		return errLoginExpired()
	}
	if err != nil {
		return err
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(req.WebAuthn)
	if err != nil {
		return s.webauthnFailed(ctx, purposePasswordless, err)
	}
	t, err := s.store.TokenByCredentialID(ctx, parsed.RawID)
	if errors.Is(err, ErrNotFound) {
		s.log.WarnContext(ctx, "security key response refused", "ceremony", purposePasswordless, "reason", "unknown_credential",
			"detail", "no token has this credential")
		return errUnknownPasskey()
	}
	if err != nil {
		return err
	}
	tpl, err := s.store.Template(ctx, t.TemplateID)
	if err != nil {
		return err
	}
	handle, err := s.store.WebAuthnHandle(ctx, t.UserID, randomBytes(userHandleLen))
	if err != nil {
		return err
	}
	usable := func(t *TokenRecord) error {
		if t.Status != api.StatusActive {
			return apiError(api.CodeInvalidState, "This security key is "+string(t.Status)+", so it cannot sign you in. Sign in with your username and password.")
		}
		if !tpl.Passwordless {
			return apiError(api.CodeNotSupported, "This security key is not set up for sign-in without a password. Sign in with your username and password, then use the key.")
		}
		return nil
	}
	_, err = s.useKeyUncounted(ctx, t.UserID, t.ID, usable, s.checkAssertion(ctx, purposePasswordless, handle, session, req.WebAuthn))
	if err != nil {
		return s.noteFailure(ctx, t.UserID, api.MethodPasswordless, from, err)
	}
	token, sess, err := s.newSession(ctx, t.UserID, api.MethodPasswordless, from)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.SessionResponse{SessionToken: token, ExpiresAt: sess.ExpiresAt()})
	return nil
}
