package server

import (
	"context"
	"time"

	"selfservice/api"
)

// SessionStore keeps what the user sees of their sessions and sign-ins:
// the sessions themselves (Store has their sign-in and use), and the
// sign-in activity of known users.
type SessionStore interface {
	// UserSessions lists the sessions of a user, the newest first,
	// expired ones the purge has not removed yet too.
	UserSessions(ctx context.Context, userID string) ([]SessionRecord, error)
	// DeleteUserSession ends the user's session with the id and returns
	// it, or ErrNotFound when it is not one of theirs.
	DeleteUserSession(ctx context.Context, userID, id string) (SessionRecord, error)
	// DeleteUserSessions ends every session of a user and returns how
	// many of them had not expired at now.
	DeleteUserSessions(ctx context.Context, userID string, now time.Time) (int, error)

	// AddSignIn records a sign-in attempt and keeps only the user's
	// newest keep successful ones and newest keep failed ones.
	AddSignIn(ctx context.Context, a SignInRecord, keep int) error
	// SignIns lists the newest limit attempts of a user, newest first.
	SignIns(ctx context.Context, userID string, limit int) ([]SignInRecord, error)
	// ReportSignIn marks the user's attempt with the id reported at
	// and returns it: ErrNotFound when it is not one of theirs,
	// ErrConflict when it was reported already.
	ReportSignIn(ctx context.Context, userID, id string, at time.Time) (SignInRecord, error)
}

// SignInRecord is one stored sign-in attempt of a known user.
type SignInRecord struct {
	ID         string
	UserID     string
	At         time.Time
	Method     api.SignInMethod
	Result     api.SignInResult
	IP         string
	Device     string
	ReportedAt time.Time // zero until reported
}
