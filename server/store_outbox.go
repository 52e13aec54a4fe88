package server

import (
	"context"
	"time"

	"selfservice/server/notify"
)

// OutboxStore keeps the messages the server sends (see migration 0006).
// Several workers, in this process or in others sharing the database,
// may deliver at once: a message is claimed before it is sent, and the
// claim is a lease written into its next attempt time, so that no two
// workers send it at the same time and a worker that died lets go of it
// when the lease ends.
type OutboxStore interface {
	// Enqueue adds a PENDING message, due at once. Call it on the
	// transaction of the action that sends the message.
	Enqueue(ctx context.Context, m OutboxRecord) error
	// LastMessageTo returns when the last message on channel to
	// recipient was put in the outbox; zero when there was none.
	LastMessageTo(ctx context.Context, channel, recipient string) (time.Time, error)
	// NthLastMessage returns when the n-th newest message on channel put
	// in the outbox after since was, for userID or, when it is "", for
	// everyone, whatever became of it; zero when there are fewer than n.
	NthLastMessage(ctx context.Context, channel, userID string, since time.Time, n int) (time.Time, error)

	// ExpireOutbox gives up the PENDING messages whose expiry is at or
	// before now: they become FAILED and lose their body and attachment.
	// It returns how many it gave up.
	ExpireOutbox(ctx context.Context, now time.Time) (int, error)
	// ClaimOutbox takes the PENDING message that has been due longest
	// among those due at or before dueBy, with its body and attachment,
	// and moves its next attempt to leaseUntil: until then, no other
	// claim returns it. ErrNotFound when none is due.
	ClaimOutbox(ctx context.Context, dueBy, leaseUntil time.Time) (OutboxRecord, error)
	// FinishOutbox records what came of sending a claimed message; claim
	// is the leaseUntil it was claimed with. A sent message is recorded
	// SENT whatever happened meanwhile (it did go out); any other outcome
	// is recorded only while the claim still holds, and FinishOutbox then
	// reports false when another worker took the message over.
	FinishOutbox(ctx context.Context, id string, claim time.Time, o OutboxOutcome) (bool, error)
	// OutboxMessages lists the messages with the given status, or all of
	// them for "", oldest first, without their bodies and attachments.
	OutboxMessages(ctx context.Context, status string) ([]OutboxRecord, error)
}

// outboxRetention is how long the outbox keeps a message once it was
// sent or given up (without its text): for `outbox list`.
const outboxRetention = 30 * 24 * time.Hour

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
	UserID        string // whom it was sent for (counted against their daily cap); '' for none
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	CreatedAt     time.Time
	SentAt        time.Time // zero until sent
	ExpiresAt     time.Time // zero: never; not sent by then, it is given up
}

// OutboxOutcome is what came of one claim of a message.
type OutboxOutcome struct {
	// Status is OutboxSent, OutboxFailed (given up) or OutboxPending (to
	// be tried again at NextAttemptAt).
	Status string
	// At is when the attempt ended: the sent time of a sent message.
	At            time.Time
	NextAttemptAt time.Time
	// Error is why it was not sent; it counts as an attempt. Empty with
	// OutboxPending releases the claim without counting an attempt (the
	// worker stopped before it could try).
	Error string
}
