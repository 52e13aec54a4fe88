package server

import (
	"context"
	"time"
)

// LinkStore keeps the one-time links sent by email (migrations
// sqlite/0021, postgres/0010): only the hash of each link's token.
type LinkStore interface {
	// SaveLink stores a new link and forgets the user's unused links of
	// the same purpose and subject: only the newest works.
	SaveLink(ctx context.Context, l LinkRecord) error
	// Link returns the link with this token hash, used or not, or
	// ErrNotFound.
	Link(ctx context.Context, tokenHash string) (LinkRecord, error)
	// UseLink marks an unused link used at; ErrNotFound when it is
	// unknown or already used, so that only one request uses it.
	UseLink(ctx context.Context, tokenHash string, at time.Time) error
	// LastLinkAt is when the user's newest link of purpose was made; zero
	// when there is none.
	LastLinkAt(ctx context.Context, userID, purpose string) (time.Time, error)
	// UsersWithEmail lists the users who have address as a confirmed
	// email value of their contact details (in any case), by username.
	UsersWithEmail(ctx context.Context, address string) ([]UserRecord, error)
}

// LinkRecord is a one-time link sent to a user.
type LinkRecord struct {
	TokenHash string // SHA-256 of the token, hex
	Purpose   string // linkPasswordReset
	UserID    string
	// Subject is what the link opens besides its user's account: an
	// invitation link's invitation (its user is the sponsor); "" for
	// the others.
	Subject   string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    time.Time // zero until used
}
