package app

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"

	"selfservice/api"
)

// Challenge is the second sign-in step the server asks for: prove
// possession of one of Methods (the user's ACTIVE tokens) with Verify.
type Challenge struct {
	LoginID string
	Methods []api.LoginMethod

	backend   Backend
	serverURL string
	username  string
}

// errIncompleteLogin answers a sign-in reply that has neither a session
// nor a second step.
func errIncompleteLogin() error {
	return &api.Error{
		Code:    api.CodeBadResponse,
		Message: "The server's answer to the sign-in is incomplete. Try again; if it keeps happening, contact the helpdesk.",
	}
}

// Login is the first sign-in step. It checks the input first (an
// invalid_request *api.Error naming the fields server_url, username and
// password), then asks the server at serverURL. A nil Challenge with a nil
// error means the user is signed in already: they have no ACTIVE token
// yet and may only enroll one (EnrollmentRequired). Otherwise finish with
// Verify. On success the server URL and username are saved in the
// preferences.
func (s *Session) Login(ctx context.Context, serverURL, username, password string) (*Challenge, error) {
	serverURL = normalizeURL(serverURL)
	req := api.LoginRequest{Username: strings.TrimSpace(username), Password: password}
	if err := validateLogin(serverURL, req); err != nil {
		return nil, err
	}
	backend, err := s.connect(serverURL)
	if err != nil {
		return nil, err
	}
	resp, err := backend.Login(ctx, req)
	if err != nil {
		return nil, err
	}

	switch {
	case resp.SessionToken != "":
		s.savePrefs(serverURL, req.Username)
		return nil, s.start(ctx, backend, serverURL, req.Username, resp.SessionToken)
	case resp.LoginID != "":
		s.savePrefs(serverURL, req.Username)
		return &Challenge{
			LoginID:   resp.LoginID,
			Methods:   resp.Methods,
			backend:   backend,
			serverURL: serverURL,
			username:  req.Username,
		}, nil
	}
	return nil, errIncompleteLogin()
}

// PrepareMethod readies the method tokenID, one of ch.Methods, for the
// second sign-in step; the answer says which proof it gives. An SMS or
// email token is sent a code now (Delivery says where to, until when it
// works, and from when another may be sent: calling again before then
// fails with resend_too_soon), to be typed into Verify. A push token's
// phone is asked to confirm (Push: wait for it with VerifyPush). An
// authenticator app needs nothing; a security key signs in with
// VerifyWithKey instead.
func (s *Session) PrepareMethod(ctx context.Context, ch *Challenge, tokenID string) (api.ChallengeResponse, error) {
	if ch == nil || ch.backend == nil {
		return api.ChallengeResponse{}, errors.New("prepare a method: no challenge from login")
	}
	req := api.LoginChallengeRequest{TokenID: tokenID}
	if err := req.Validate(); err != nil {
		return api.ChallengeResponse{}, err
	}
	return ch.backend.LoginChallenge(ctx, ch.LoginID, req)
}

// Verify is the second sign-in step: the code (spaces and dashes are
// removed) of the token tokenID, one of ch.Methods, or the code
// PrepareMethod sent to it; for api.EmergencyTokenID, an emergency
// access code (see VerifyEmergency).
func (s *Session) Verify(ctx context.Context, ch *Challenge, tokenID, otp string) error {
	req := api.VerifyLoginRequest{TokenID: tokenID, OTP: api.NormalizeOTP(otp)}
	if tokenID == api.EmergencyTokenID {
		req = api.VerifyLoginRequest{TokenID: tokenID, EmergencyCode: api.NormalizeEmergencyCode(otp)}
	}
	return s.verifyLogin(ctx, ch, req)
}

// VerifyPush is the second sign-in step with the push token tokenID: it
// signs in once the phone has confirmed the push request pushID (the
// Push.ID of PrepareMethod). Until the phone answers it fails with
// api.ErrPushPending, which costs nothing: call it again a moment later.
// After api.ErrPushDenied or api.ErrPushExpired the request is over;
// PrepareMethod sends a new one.
func (s *Session) VerifyPush(ctx context.Context, ch *Challenge, tokenID, pushID string) error {
	return s.verifyLogin(ctx, ch, api.VerifyLoginRequest{TokenID: tokenID, PushID: pushID})
}

// verifyLogin sends the second sign-in step and starts the session.
func (s *Session) verifyLogin(ctx context.Context, ch *Challenge, req api.VerifyLoginRequest) error {
	if ch == nil || ch.backend == nil {
		return errors.New("verify needs the challenge returned by login")
	}
	if err := req.Validate(); err != nil {
		return err
	}
	resp, err := ch.backend.VerifyLogin(ctx, ch.LoginID, req)
	if err != nil {
		return err
	}
	if resp.SessionToken == "" {
		return errIncompleteLogin()
	}
	return s.start(ctx, ch.backend, ch.serverURL, ch.username, resp.SessionToken)
}

// Resume signs in again with the session saved for the current server
// URL and last username, if the server still accepts it. A session the
// server rejects is deleted. It returns false, nil when there is nothing
// to resume, and an error when the server cannot be asked (the saved
// session is kept for a later try).
func (s *Session) Resume(ctx context.Context) (bool, error) {
	serverURL, username := s.ServerURL(), s.LastUsername()
	if serverURL == "" || username == "" || !s.persistent(serverURL) {
		return false, nil
	}
	account := keyringAccount(serverURL, username)
	token, err := s.secrets.Get(AppID, account)
	if errors.Is(err, ErrSecretNotFound) {
		return false, nil
	}
	if err != nil {
		s.noteKeyringProblem(err)
		return false, nil
	}

	backend, err := s.connect(serverURL)
	if err != nil {
		return false, err
	}
	backend.SetSessionToken(token)
	me, err := backend.Me(ctx)
	if errors.Is(err, api.ErrUnauthenticated) {
		backend.SetSessionToken("")
		_ = s.secrets.Delete(AppID, account) // stale either way; a leftover is retried next time
		return false, nil
	}
	if err != nil {
		return false, err
	}

	s.mu.Lock()
	s.cur = &signedIn{backend: backend, account: account, stored: true, me: me}
	s.mu.Unlock()
	s.preferencesChanged()
	return true, nil
}

// Logout ends the session on the server (best effort: an unreachable
// server ends it at expiry), deletes the saved session and clears the
// state. The error says only that the keyring entry could not be deleted;
// the app is signed out either way.
func (s *Session) Logout(ctx context.Context) error {
	_, err := s.endSession(ctx)
	return err
}

// endSession signs out as Logout does. ended reports whether the server
// confirmed the end of the session (false also when signed out).
func (s *Session) endSession(ctx context.Context) (ended bool, err error) {
	s.mu.Lock()
	cur := s.cur
	s.cur = nil
	s.mu.Unlock()
	if cur == nil {
		return false, nil
	}

	ended = cur.backend.Logout(ctx) == nil
	cur.backend.SetSessionToken("")
	s.preferencesChanged()

	err = s.secrets.Delete(AppID, cur.account)
	switch {
	case err == nil, errors.Is(err, ErrSecretNotFound):
		return ended, nil
	case !cur.stored && errors.Is(err, ErrSecretsUnavailable):
		return ended, nil // nothing was saved
	}
	return ended, fmt.Errorf("delete the saved session: %w", err)
}

// start completes a sign-in with the session token: it loads the user,
// saves the token in Secrets (or keeps it in memory only, noting the
// keyring problem) and makes the session current. An empty username (a
// sign-in with a passkey) is taken from the loaded user.
func (s *Session) start(ctx context.Context, backend Backend, serverURL, username, token string) error {
	backend.SetSessionToken(token)
	me, err := backend.Me(ctx)
	if err != nil {
		_ = backend.Logout(ctx) // best effort: do not leave an unused session open on the server
		backend.SetSessionToken("")
		return err
	}
	if username == "" {
		username = me.User.Username
	}

	account := keyringAccount(serverURL, username)
	stored := false
	if s.persistent(serverURL) {
		if err := s.secrets.Set(AppID, account, token); err != nil {
			s.noteKeyringProblem(err)
		} else {
			stored = true
		}
	}

	s.mu.Lock()
	s.cur = &signedIn{backend: backend, account: account, stored: stored, me: me}
	s.mu.Unlock()
	s.preferencesChanged()
	return nil
}

// persistent reports whether sessions with serverURL outlive this run.
// A default server URL set with remember=false (the embedded demo server,
// on a new port each run) is for this run only: neither the URL nor its
// sessions are saved, so nothing piles up in the keyring.
func (s *Session) persistent(serverURL string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.defaultURL == "" || s.rememberDefault || serverURL != s.defaultURL
}

// savePrefs remembers the server URL (unless it is this run's only) and
// the username for the next start.
func (s *Session) savePrefs(serverURL, username string) {
	if s.persistent(serverURL) {
		s.prefs.SetString(PrefServerURL, serverURL)
	}
	s.prefs.SetString(PrefLastUsername, username)
}

// validateLogin checks the first sign-in step's input, all fields at once.
func validateLogin(serverURL string, req api.LoginRequest) error {
	fields := map[string]string{}
	if serverURL == "" {
		fields["server_url"] = "Enter the server address."
	}
	var apiErr *api.Error
	if err := req.Validate(); errors.As(err, &apiErr) {
		maps.Copy(fields, apiErr.FieldErrors())
	}
	if len(fields) == 0 {
		return nil
	}
	return api.FieldError(fields)
}
