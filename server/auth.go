package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"selfservice/api"
)

const (
	failedSignIns = "failed sign-in attempts"
	wrongCodes    = "wrong codes for this token"
	failedKeyUses = "failed attempts with this security key"
)

// tokenFailures names the failures that lock a token, for the message.
func tokenFailures(t *TokenRecord) string {
	if t.Type == api.TypeFIDO2 {
		return failedKeyUses
	}
	return wrongCodes
}

func (s *Server) health(w http.ResponseWriter, r *http.Request, _ *caller) error {
	writeJSON(w, http.StatusOK, api.HealthResponse{Status: "ok"})
	return nil
}

// login is the first sign-in step: the password. Unknown users get the
// same answer after the same work as a wrong password; the attempts of
// known users go into their activity.
func (s *Server) login(w http.ResponseWriter, r *http.Request, _ *caller) error {
	ctx := r.Context()
	var req api.LoginRequest
	if err := s.decodeValid(w, r, &req); err != nil {
		return err
	}
	from, err := s.signInFrom(r)
	if err != nil {
		return err
	}
	username := strings.ToLower(strings.TrimSpace(req.Username))
	source := from.IP
	failures, err := s.store.PasswordFailures(ctx, username, source)
	if err != nil {
		return err
	}
	if err := s.checkLock(failures, failedSignIns); err != nil {
		return s.noteLockedUsername(ctx, username, from, err)
	}

	user, err := s.store.UserByUsername(ctx, username)
	known := err == nil
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	hash := s.dummyHash
	if known {
		hash = user.PasswordHash
	}
	ok, err := s.checkPassword(ctx, hash, req.Password)
	if err != nil {
		return err
	}
	if !known {
		return s.passwordFailed(ctx, username, source)
	}
	if !ok {
		return s.noteFailure(ctx, user.ID, api.MethodPassword, from, s.passwordFailed(ctx, username, source))
	}
	if err := s.passwordSucceeded(ctx, username, source); err != nil {
		return s.noteFailure(ctx, user.ID, api.MethodPassword, from, err)
	}
	if user.PendingActivation {
		return s.errActivationRequired(ctx, user)
	}
	methods, err := s.activeMethods(ctx, user.ID)
	if err != nil {
		return err
	}
	if len(methods) > 0 {
		emergency, err := s.emergencyMethod(ctx, user.ID)
		if err != nil {
			return err
		}
		methods = append(methods, emergency...)
	}
	if len(methods) == 0 {
		token, sess, err := s.newSession(ctx, user.ID, api.MethodPassword, from)
		if err != nil {
			return err
		}
		expires := sess.ExpiresAt()
		writeJSON(w, http.StatusOK, api.LoginResponse{SessionToken: token, ExpiresAt: &expires, EnrollmentRequired: true})
		return nil
	}

	loginID := randomToken(16)
	err = s.store.CreateLogin(ctx, LoginRecord{
		IDHash:    hashToken(loginID),
		UserID:    user.ID,
		ExpiresAt: s.now().Add(s.cfg.LoginTTL),
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.LoginResponse{LoginID: loginID, Methods: methods})
	return nil
}

// failureMemory is how long a wrong password counts: a count whose last
// failure is older starts afresh, and the purge deletes it.
const failureMemory = 15 * time.Minute

// passwordFailed counts a wrong password for username from source: a lock
// shuts out that source only, so that nobody can lock a user out by
// guessing their password from elsewhere. A request that passed the lock
// check before a parallel one locked the name is answered as locked too:
// no answer given during a lock tells a right password from a wrong one.
func (s *Server) passwordFailed(ctx context.Context, username, source string) error {
	var locked error
	now := s.now()
	err := s.store.UpdatePasswordFailures(ctx, username, source, func(f *Failures) {
		if locked = s.checkLock(*f, failedSignIns); locked != nil {
			return
		}
		if now.Sub(f.LastAt) >= failureMemory {
			f.Count = 0
		}
		f.LastAt = now
		if s.countFailure(f) {
			locked = s.tooManyAttempts(s.cfg.Lockout, failedSignIns)
		}
	})
	if err != nil {
		return err
	}
	if locked != nil {
		return locked
	}
	return errInvalidCredentials()
}

// passwordSucceeded forgets the failures of username from source, unless parallel
// wrong passwords locked it while this one was checked: then the right
// password is refused like any other until the lock ends.
func (s *Server) passwordSucceeded(ctx context.Context, username, source string) error {
	var locked error
	err := s.store.UpdatePasswordFailures(ctx, username, source, func(f *Failures) {
		if locked = s.checkLock(*f, failedSignIns); locked == nil {
			*f = Failures{}
		}
	})
	if err != nil {
		return err
	}
	return locked
}

// verifyLogin is the second sign-in step: a code from one of the user's
// ACTIVE tokens, or the answer of an ACTIVE security key to the login's
// challenge. Failures count against the token and the login.
func (s *Server) verifyLogin(w http.ResponseWriter, r *http.Request, _ *caller) error {
	ctx := r.Context()
	var req api.VerifyLoginRequest
	if err := s.decode(w, r, &req); err != nil {
		return err
	}
	req.OTP = api.NormalizeOTP(req.OTP)
	req.EmergencyCode = api.NormalizeEmergencyCode(req.EmergencyCode)
	if err := req.Validate(); err != nil {
		return err
	}
	from, err := s.signInFrom(r)
	if err != nil {
		return err
	}
	idHash := hashToken(r.PathValue("login_id"))
	login, err := s.openLogin(ctx, idHash)
	if err != nil {
		return err
	}
	step := loginStep{idHash: idHash, login: login, method: api.MethodEmergency, from: from}
	if req.TokenID == api.EmergencyTokenID {
		err = s.useEmergencyCode(ctx, login.UserID, req.EmergencyCode)
		return s.finishLogin(w, r, step, err)
	}

	usable := func(t *TokenRecord) error {
		if t.Status != api.StatusActive {
			return errNotAMethod()
		}
		return wrongProof(t.Type, req.WebAuthn, req.PushID)
	}
	var check func(t *TokenRecord) error
	if api.HasWebAuthn(req.WebAuthn) {
		step.method = api.MethodFIDO2
		session, err := s.takeChallenge(ctx, challengeKey(purposeLogin, idHash), login.UserID, req.TokenID)
		if err != nil {
			return err
		}
		check = s.checkAssertion(ctx, purposeLogin, session.UserID, session, req.WebAuthn)
	} else {
		t, err := s.tokenForProof(ctx, login.UserID, req.TokenID, usable)
		if errors.Is(err, ErrNotFound) {
			return errNotAMethod()
		}
		if err != nil {
			return err
		}
		step.method = methodOf(t.Type)
		check, err = s.proofCheck(ctx, t, proofScope{purpose: purposeLogin, key: idHash}, req.OTP, req.PushID)
		if err != nil {
			return s.finishLogin(w, r, step, err)
		}
	}
	_, err = s.useCode(ctx, login.UserID, req.TokenID, usable, usedNow(check, s.now()))
	if errors.Is(err, ErrNotFound) {
		return errNotAMethod()
	}
	return s.finishLogin(w, r, step, err)
}

// loginStep is a second sign-in step: the login it finishes, with the
// method its proof uses and where it comes from.
type loginStep struct {
	idHash string
	login  LoginRecord
	method api.SignInMethod
	from   signInSource
}

// finishLogin ends the second sign-in step whose proof gave err: a
// failure counts against the login and goes into the user's activity; a
// success uses the login up and answers with a new session.
func (s *Server) finishLogin(w http.ResponseWriter, r *http.Request, step loginStep, err error) error {
	ctx := r.Context()
	if isCodeFailure(err) {
		if err := s.store.AddLoginFailure(ctx, step.idHash); err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		if step.login.Failures+1 >= s.cfg.MaxFailures {
			if err := s.noteFailure(ctx, step.login.UserID, step.method, step.from, err); !isCodeFailure(err) {
				return err
			}
			return s.signInLocked(ctx, step.login.UserID)
		}
	}
	if err != nil {
		return s.noteFailure(ctx, step.login.UserID, step.method, step.from, err)
	}

	// Use the login up; only one request can.
	if err := s.store.DeleteLogin(ctx, step.idHash); errors.Is(err, ErrNotFound) {
		return errLoginExpired()
	} else if err != nil {
		return err
	}
	token, sess, err := s.newSession(ctx, step.login.UserID, step.method, step.from)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.SessionResponse{SessionToken: token, ExpiresAt: sess.ExpiresAt()})
	return nil
}

func errNotAMethod() error {
	return api.FieldError(map[string]string{"token_id": "Choose one of the sign-in methods offered."})
}

// isCodeFailure reports whether err means a wrong or reused code, a
// security key answer that failed verification, or a push request the
// user refused.
func isCodeFailure(err error) bool {
	for _, failure := range []error{api.ErrOTPInvalid, api.ErrOTPReplayed, api.ErrTooManyAttempts, api.ErrWebAuthnInvalid, api.ErrCredentialCloned, api.ErrPushDenied} {
		if errors.Is(err, failure) {
			return true
		}
	}
	return false
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := s.store.DeleteSession(r.Context(), c.session.TokenHash); err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	writeNoContent(w)
	return nil
}

func (s *Server) me(w http.ResponseWriter, r *http.Request, c *caller) error {
	privileges := c.privileges
	if privileges == nil {
		privileges = []api.Privilege{}
	}
	needs, err := approvalNeeds(r.Context(), s.store)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.MeResponse{User: apiUser(c.user, c.partial), Privileges: privileges, Preferences: c.user.Preferences, Approvals: needs})
	return nil
}

// openLogin returns the first sign-in step with the hash idHash while it
// can still be finished: not expired, not used up by failures.
func (s *Server) openLogin(ctx context.Context, idHash string) (LoginRecord, error) {
	login, err := s.store.Login(ctx, idHash)
	if errors.Is(err, ErrNotFound) {
		return LoginRecord{}, errLoginExpired()
	}
	if err != nil {
		return LoginRecord{}, err
	}
	if !s.now().Before(login.ExpiresAt) {
		return LoginRecord{}, errLoginExpired()
	}
	if login.Failures >= s.cfg.MaxFailures {
		return LoginRecord{}, s.signInLocked(ctx, login.UserID)
	}
	return login, nil
}

// signInLocked ends a sign-in that too many wrong codes used up: a
// too_many_attempts error whose details say that the sign-in is over
// (sign in again with the password) and, when one of the user's tokens
// is locked, until when, so that the app counts down instead of blaming
// the time taken.
func (s *Server) signInLocked(ctx context.Context, userID string) error {
	tokens, err := s.store.Tokens(ctx, userID)
	if err != nil {
		return err
	}
	var until time.Time
	for _, t := range tokens {
		if t.Failures.LockedUntil.After(until) {
			until = t.Failures.LockedUntil
		}
	}
	e := apiError(api.CodeTooManyAttempts, "Too many wrong codes, so this sign-in was stopped. Sign in again with your password.")
	e.Details = map[string]any{"lock": api.LockSignIn}
	if wait := until.Sub(s.now()); wait > 0 {
		e.Message = fmt.Sprintf("Too many wrong codes, so this sign-in was stopped. Wait %s, then sign in again with your password.", humanDuration(wait))
		e.RetryAfter = wait
		e.Details["locked_until"] = until.UTC().Format(time.RFC3339)
	}
	return e
}

// checkPassword checks a password against its hash with at most MaxHashes
// checks running at once: each takes 64 MiB and most of a core, and
// anyone can ask for one. A sign-in that finds no free check within
// HashWait gets server_busy, so that a flood of sign-ins slows down
// sign-ins instead of exhausting the server's memory.
func (s *Server) checkPassword(ctx context.Context, encoded, password string) (bool, error) {
	if err := s.hashSlot(ctx); err != nil {
		return false, err
	}
	defer func() { <-s.hashes }()
	return checkPassword(encoded, password)
}

// hashSlot waits up to HashWait for one of the MaxHashes slots of
// password hashing; the caller frees it with <-s.hashes.
func (s *Server) hashSlot(ctx context.Context) error {
	wait := time.NewTimer(s.cfg.HashWait)
	defer wait.Stop()
	select {
	case s.hashes <- struct{}{}:
		return nil
	case <-wait.C:
		return errServerBusy()
	case <-ctx.Done():
		return ctx.Err()
	}
}
