package server

import (
	"context"
	"time"
)

// PrivacyStore keeps the users' consents (migrations sqlite/0020,
// postgres/0009), lists what else the copy of a user's data holds, and
// deletes a user with everything of theirs.
type PrivacyStore interface {
	// Consents lists a user's current answers, by consent id;
	// ConsentHistory every answer they gave, oldest first.
	Consents(ctx context.Context, userID string) ([]ConsentRecord, error)
	ConsentHistory(ctx context.Context, userID string) ([]ConsentRecord, error)
	// SetConsent stores an answer, replacing the user's answer to the
	// consent, and adds it to the history, unless it is the answer the
	// user gave already for that version (then it changes nothing and
	// returns the stored one). It returns the answer stored.
	SetConsent(ctx context.Context, c ConsentRecord) (ConsentRecord, error)

	// MessagesTo lists the messages sent for a user, oldest first,
	// without their bodies and attachments (their sessions:
	// SessionStore.UserSessions).
	MessagesTo(ctx context.Context, userID string) ([]OutboxRecord, error)

	// DeleteUser deletes a user and everything of theirs in one
	// transaction (most of it by the foreign keys' cascades; their
	// messages and failed sign-ins by hand), and returns the documents it deleted, so that
	// content kept outside the database can be removed too. Their
	// decisions on others' requests stay, without them as the actor; a
	// hardware token they held goes back to the inventory. ErrNotFound
	// when there is no such user.
	DeleteUser(ctx context.Context, userID string) ([]DocumentRecord, error)
}

// ConsentRecord is a user's answer to a consent's version.
type ConsentRecord struct {
	UserID    string
	ConsentID string
	Version   int
	Granted   bool
	ChangedAt time.Time
}
