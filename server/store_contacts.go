package server

import (
	"context"
	"time"
)

// ContactStore keeps the users' contact details (migration sqlite/0015,
// postgres/0004).
type ContactStore interface {
	// Contacts lists a user's contact values, by field id.
	Contacts(ctx context.Context, userID string) ([]ContactRecord, error)
	// SetContact stores a value, replacing the user's value of the field;
	// a preferred value stays preferred.
	SetContact(ctx context.Context, c ContactRecord) error
	// DeleteContact removes a value; ErrNotFound when there is none.
	DeleteContact(ctx context.Context, userID, fieldID string) error
	// SetPreferredContact makes the value of fieldID the user's only
	// preferred one; ErrNotFound when the user has no such value.
	SetPreferredContact(ctx context.Context, userID, fieldID string) error

	// ContactChanges lists a user's changes waiting for their code.
	ContactChanges(ctx context.Context, userID string) ([]ContactChangeRecord, error)
	// ContactChange returns one; ErrNotFound when there is none.
	ContactChange(ctx context.Context, userID, fieldID string) (ContactChangeRecord, error)
	// SaveContactChange stores a change, replacing the field's earlier one.
	SaveContactChange(ctx context.Context, c ContactChangeRecord) error
	// CountContactFailure counts a wrong code entered for a change.
	CountContactFailure(ctx context.Context, userID, fieldID string) error
	// DeleteContactChange forgets a change; none is no error.
	DeleteContactChange(ctx context.Context, userID, fieldID string) error
}

// ContactRecord is a user's value of a contact field.
type ContactRecord struct {
	UserID     string
	FieldID    string
	Value      string
	VerifiedAt time.Time // zero when never confirmed by a code
	Preferred  bool
	UpdatedAt  time.Time
}

// ContactChangeRecord is a change of a contact value waiting for the code
// sent to confirm it.
type ContactChangeRecord struct {
	UserID    string
	FieldID   string
	Value     string // the new value; for a removal, the value removed
	Remove    bool
	CodeHash  string // the code's HMAC: see contactCodeMessage
	SentTo    string // the address the code went to
	SentAt    time.Time
	ExpiresAt time.Time
	Failures  int
}
