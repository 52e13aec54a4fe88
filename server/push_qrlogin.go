package server

import (
	"errors"
	"net/http"
	"net/url"

	"selfservice/api"
)

// QR sign-in: a sign-in without username or password. The desktop shows
// a QR code holding a push request's id and challenge; the authenticator
// app reads it and answers the request, signed with its device key, and
// the desktop's polling verify call then gets a session for the phone's
// user. Only the desktop holds the login id (the store has its hash), so
// only it can collect the session; only a phone that saw the screen has
// the challenge to sign.

// beginQRLogin is POST /auth/qr.
func (s *Server) beginQRLogin(w http.ResponseWriter, r *http.Request, _ *caller) error {
	ctx := r.Context()
	now := s.now()
	server, err := s.publicURL()
	if err != nil {
		return err
	}
	loginID := randomToken(16)
	p := PushRequestRecord{
		ID:        randomToken(pushIDLen),
		Kind:      api.PushQRLogin,
		Scope:     qrScope(loginID),
		Summary:   "Sign in to " + s.cfg.Issuer + " on your computer",
		Challenge: randomToken(pushChallengeLen),
		Status:    PushPending,
		CreatedAt: now,
		ExpiresAt: now.Add(s.cfg.PushTTL),
	}
	if err := s.store.CreatePushRequest(ctx, p); err != nil {
		return err
	}
	uri := pushURI(pushLoginURI, url.Values{"server": {server}, "request": {p.ID}, "challenge": {p.Challenge}})
	writeJSON(w, http.StatusOK, api.QRLoginResponse{LoginID: loginID, URI: uri, ExpiresAt: p.ExpiresAt})
	return nil
}

// qrScope binds a qr-login request to the hash of its login id.
func qrScope(loginID string) string {
	return challengeKey(api.PushQRLogin, hashToken(loginID))
}

// verifyQRLogin is POST /auth/qr/{login_id}/verify: push_pending until a
// phone answered, push_denied when it refused, push_expired when nobody
// answered in time or the sign-in was finished already; once approved, a
// session for the phone's user, given to exactly one call. The phone's
// push token must still be ACTIVE and not locked, and records the use.
func (s *Server) verifyQRLogin(w http.ResponseWriter, r *http.Request, _ *caller) error {
	ctx := r.Context()
	from, err := s.signInFrom(r)
	if err != nil {
		return err
	}
	p, err := s.store.QRLoginRequest(ctx, qrScope(r.PathValue("login_id")))
	if errors.Is(err, ErrNotFound) {
		return errQRLoginExpired()
	}
	if err != nil {
		return err
	}
	var approved bool
	err = s.store.Atomically(ctx, func(tx Store) error {
		var err error
		p, err = tx.UpdatePushRequest(ctx, p.ID, func(p *PushRequestRecord) error {
			var err error
			approved, err = s.takeAnswer(p)
			return err
		})
		if err != nil || !approved {
			return err
		}
		_, err = tx.UpdateToken(ctx, p.UserID, p.TokenID, func(t *TokenRecord, _ int) error {
			if t.Status != api.StatusActive {
				return apiError(api.CodeInvalidState, "The authenticator app on this phone is "+string(t.Status)+", so it cannot sign you in. Sign in with your username and password.")
			}
			if err := s.checkLock(t.Failures, tokenFailures(t)); err != nil {
				return err
			}
			t.LastUsedAt = s.now()
			return nil
		})
		if errors.Is(err, ErrNotFound) {
			return errQRLoginExpired()
		}
		return err
	})
	switch {
	case errors.Is(err, ErrNotFound), errors.Is(err, api.ErrPushExpired):
		return errQRLoginExpired()
	case err != nil:
		return s.noteFailure(ctx, p.UserID, api.MethodQR, from, err)
	case !approved:
		return s.noteFailure(ctx, p.UserID, api.MethodQR, from, errPushDenied())
	}
	token, sess, err := s.newSession(ctx, p.UserID, api.MethodQR, from)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.SessionResponse{SessionToken: token, ExpiresAt: sess.ExpiresAt()})
	return nil
}

func errQRLoginExpired() error {
	return apiError(api.CodePushExpired, "This QR code has expired or was already used. Show a new one and scan it right away.")
}
