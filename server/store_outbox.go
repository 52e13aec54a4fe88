package server

import (
	"context"
	"time"

	"selfservice/server/notify"
)

// OutboxStore keeps the messages the server sends (see migration 0006).
type OutboxStore interface {
	// Enqueue adds a PENDING message, due at once. Call it on the
	// transaction of the action that sends the message.
	Enqueue(ctx context.Context, m OutboxRecord) error
}

// Outbox states of a message.
const (
	OutboxPending = "PENDING" // waiting to be sent, or to be tried again
	OutboxSent    = "SENT"    // the gateway took it
	OutboxFailed  = "FAILED"  // given up: too many attempts, or expired
)

// OutboxRecord is one message in the outbox. Body and Attachment are
// emptied once it is SENT or FAILED.
type OutboxRecord struct {
	Message       notify.Message
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	CreatedAt     time.Time
	SentAt        time.Time // zero until sent
	ExpiresAt     time.Time // zero: never; not sent by then, it is given up
}
