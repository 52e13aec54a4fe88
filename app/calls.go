package app

import (
	"context"
	"errors"

	"selfservice/api"
)

// OnExpired sets the function run when the server no longer accepts the
// session (api.ErrUnauthenticated while signed in). The session is
// already cleared and its keyring entry deleted when fn runs; fn runs on
// the goroutine of the failed call. It replaces an earlier function.
func (s *Session) OnExpired(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onExpired = fn
}

// call runs fn with the backend of the current sign-in and ends the
// session when the server says it is no longer valid.
func call[T any](s *Session, fn func(Backend) (T, error)) (T, error) {
	cur := s.current()
	if cur == nil {
		var zero T
		return zero, errSignedOut()
	}
	return callOn(s, cur, fn)
}

// callOn is call for the sign-in cur.
func callOn[T any](s *Session, cur *signedIn, fn func(Backend) (T, error)) (T, error) {
	v, err := fn(cur.backend)
	if errors.Is(err, api.ErrUnauthenticated) {
		s.expire(cur)
	}
	return v, err
}

// expire ends the sign-in cur, if it is still the current one, and runs
// the OnExpired function.
func (s *Session) expire(cur *signedIn) {
	if !s.forget(cur) {
		return
	}
	s.mu.Lock()
	fn := s.onExpired
	s.mu.Unlock()
	if fn != nil {
		fn()
	}
}

// forget drops the sign-in cur, if it is still the current one, after the
// server ended it: the token goes from the backend and the keyring. It
// reports whether cur was current.
func (s *Session) forget(cur *signedIn) bool {
	s.mu.Lock()
	if s.cur != cur {
		s.mu.Unlock()
		return false
	}
	s.cur = nil
	s.mu.Unlock()

	cur.backend.SetSessionToken("")
	// The server no longer accepts the token; a failure to delete it
	// leaves a dead entry that the next Resume removes.
	_ = s.secrets.Delete(AppID, cur.account)
	s.preferencesChanged()
	return true
}

// refreshMe reloads the user and privileges after a change that may
// affect them. It is best effort: the change itself already succeeded.
func (s *Session) refreshMe(ctx context.Context) {
	cur := s.current()
	if cur == nil {
		return
	}
	me, err := callOn(s, cur, func(b Backend) (api.MeResponse, error) { return b.Me(ctx) })
	if err != nil {
		return
	}
	s.mu.Lock()
	changed := s.cur == cur && cur.me.Preferences != me.Preferences
	if s.cur == cur {
		cur.me = me
	}
	s.mu.Unlock()
	if changed {
		s.preferencesChanged()
	}
}
