package app

import (
	"context"
	"errors"
	"time"
)

// QRLogin is a passwordless sign-in by QR code: the screen shows URI as a
// QR code, the authenticator app on the user's phone reads it and the
// user confirms there; FinishQRLogin then signs in as the phone's user.
// It works until ExpiresAt; then begin a new one.
type QRLogin struct {
	LoginID   string
	URI       string // selfservice-push://login?…: show it, never log it
	ExpiresAt time.Time

	backend   Backend
	serverURL string
}

// BeginQRLogin starts a sign-in by QR code with the server at serverURL,
// without username or password.
func (s *Session) BeginQRLogin(ctx context.Context, serverURL string) (*QRLogin, error) {
	serverURL = normalizeURL(serverURL)
	backend, err := s.anonymous(serverURL)
	if err != nil {
		return nil, err
	}
	resp, err := backend.BeginQRLogin(ctx)
	if err != nil {
		return nil, err
	}
	if resp.LoginID == "" || resp.URI == "" {
		return nil, errIncompleteLogin()
	}
	return &QRLogin{LoginID: resp.LoginID, URI: resp.URI, ExpiresAt: resp.ExpiresAt, backend: backend, serverURL: serverURL}, nil
}

// FinishQRLogin signs in once the phone has confirmed q. Until the phone
// answers it fails with api.ErrPushPending, which costs nothing: call it
// again a moment later. api.ErrPushDenied (the user refused on the phone)
// and api.ErrPushExpired end q; begin a new one. On success the session
// starts as after a sign-in with a passkey: the server tells who signed
// in.
func (s *Session) FinishQRLogin(ctx context.Context, q *QRLogin) error {
	if q == nil || q.backend == nil {
		return errors.New("finish a sign-in by QR code: it was not begun")
	}
	resp, err := q.backend.VerifyQRLogin(ctx, q.LoginID)
	if err != nil {
		return err
	}
	if resp.SessionToken == "" {
		return errIncompleteLogin()
	}
	if err := s.start(ctx, q.backend, q.serverURL, "", resp.SessionToken); err != nil {
		return err
	}
	s.savePrefs(q.serverURL, s.User().Username)
	return nil
}
