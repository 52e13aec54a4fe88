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

// Sign-in activity: every attempt of a known user to sign in, with how it
// ended, where it came from and the device it named. Unknown usernames
// record nothing, so the activity tells nobody which names exist and an
// attacker cannot grow it. It never holds the password, code or token
// tried.

const (
	// activityRetention is how long an attempt is kept; the purge
	// removes older ones.
	activityRetention = 90 * 24 * time.Hour
	// activityKeep is how many successful and how many failed attempts
	// of a user are kept at most: a flood of wrong passwords replaces the
	// oldest failures, never a sign-in that succeeded.
	activityKeep = 200
)

// signInSource is where a sign-in comes from: its clientSource and the
// device it names (api.DeviceHeader).
type signInSource struct {
	IP     string
	Device string
}

// signInFrom reads where a sign-in request comes from; a device name that
// is too long or not printable is refused, before the attempt counts.
func (s *Server) signInFrom(r *http.Request) (signInSource, error) {
	device := strings.TrimSpace(r.Header.Get(api.DeviceHeader))
	if err := api.CheckDeviceName(device); err != nil {
		return signInSource{}, err
	}
	return signInSource{IP: s.clientSource(r), Device: device}, nil
}

// failureResults are the failures an attempt records, and how.
var failureResults = []struct {
	err    error
	result api.SignInResult
}{
	{api.ErrInvalidCredentials, api.ResultWrongPassword},
	{api.ErrOTPInvalid, api.ResultWrongCode},
	{api.ErrOTPReplayed, api.ResultWrongCode},
	{api.ErrWebAuthnInvalid, api.ResultKeyRefused},
	{api.ErrCredentialCloned, api.ResultKeyRefused},
	{api.ErrPushDenied, api.ResultDenied},
	{api.ErrTooManyAttempts, api.ResultLocked},
}

// noteFailure records the failed attempt of a known user when err is a
// refusal of what it proved (a wrong password or code, a lock), and
// returns err. Other errors (a malformed request, an expired sign-in)
// record nothing.
func (s *Server) noteFailure(ctx context.Context, userID string, method api.SignInMethod, from signInSource, err error) error {
	for _, f := range failureResults {
		if errors.Is(err, f.err) {
			if addErr := s.addSignIn(ctx, userID, method, f.result, from); addErr != nil {
				return addErr
			}
			return err
		}
	}
	return err
}

// noteLockedUsername records a sign-in of username refused by a lock of
// its source, when the username is a user's.
func (s *Server) noteLockedUsername(ctx context.Context, username string, from signInSource, err error) error {
	user, lookupErr := s.store.UserByUsername(ctx, username)
	if errors.Is(lookupErr, ErrNotFound) {
		return err
	}
	if lookupErr != nil {
		return lookupErr
	}
	return s.noteFailure(ctx, user.ID, api.MethodPassword, from, err)
}

func (s *Server) addSignIn(ctx context.Context, userID string, method api.SignInMethod, result api.SignInResult, from signInSource) error {
	return s.store.AddSignIn(ctx, SignInRecord{
		ID:     uuid.NewString(),
		UserID: userID,
		At:     s.now(),
		Method: method,
		Result: result,
		IP:     from.IP,
		Device: from.Device,
	}, activityKeep)
}

// methodOf is the sign-in method of a token type: the names are the same.
func methodOf(t api.TokenType) api.SignInMethod {
	return api.SignInMethod(t)
}
