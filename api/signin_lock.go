package api

import (
	"errors"
	"time"
)

// A too_many_attempts error at sign-in or step-up says what is locked in
// its details: "lock" is LockToken (the method: choose another one, or
// wait) or LockSignIn (the whole sign-in: sign in again with the
// password), and "locked_until" (RFC 3339) when the lock ends, when one
// does. Retry-After says the same in seconds.
const (
	LockToken  = "token"
	LockSignIn = "sign_in"
)

// Lock is what a too_many_attempts error locks, and until when (zero:
// nothing to wait for).
type Lock struct {
	Scope string
	Until time.Time
}

// LockOf reports whether err is a too_many_attempts error, and what it
// locks. An error without details locks the method.
func LockOf(err error) (Lock, bool) {
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeTooManyAttempts {
		return Lock{}, false
	}
	l := Lock{Scope: LockToken}
	if s, ok := e.Details["lock"].(string); ok && s == LockSignIn {
		l.Scope = LockSignIn
	}
	if s, ok := e.Details["locked_until"].(string); ok {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			l.Until = t
		}
	}
	return l, true
}

// DefaultMethodRequest chooses the user's preferred sign-in method, PUT
// /account/default-method: one of their ACTIVE tokens.
type DefaultMethodRequest struct {
	TokenID string `json:"token_id"`
}

// Validate checks the request.
func (r DefaultMethodRequest) Validate() error {
	f := fieldErrors{}
	f.check(r.TokenID != "" && len(r.TokenID) <= maxIDLen && printable(r.TokenID), "token_id", "Choose one of your active sign-in methods.")
	return f.err()
}
