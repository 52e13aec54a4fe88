package server

import (
	"context"
	"time"

	"github.com/google/uuid"

	"selfservice/server/notify"
)

// enqueue writes m to the outbox through tx, the transaction of the action
// that sends it, so that the message exists exactly when the action
// happened. expires is when the message stops being worth sending (a
// code that no longer works); zero for never. The worker (RunOutbox)
// delivers it. Check canSend for the channel first. It is sent for
// userID, and refused when that user's or the deployment's daily cap of
// the channel is reached (checkDailyCaps).
func (s *Server) enqueue(ctx context.Context, tx Store, userID string, m notify.Message, expires time.Time) error {
	if err := s.checkDailyCaps(ctx, tx, userID, m.Channel, s.now()); err != nil {
		return err
	}
	return s.put(ctx, tx, userID, m, expires)
}

// enqueueNotice is enqueue for a notice of what already happened (an
// address changed): it counts against the caps, but is never refused,
// since the change it tells of is done.
func (s *Server) enqueueNotice(ctx context.Context, tx Store, userID string, m notify.Message) error {
	return s.put(ctx, tx, userID, m, time.Time{})
}

// put writes m to the outbox through tx.
func (s *Server) put(ctx context.Context, tx Store, userID string, m notify.Message, expires time.Time) error {
	if m.ID == "" {
		m.ID = uuid.NewString()
	}
	now := s.now()
	err := tx.Enqueue(ctx, OutboxRecord{
		UserID:        userID,
		Message:       m,
		Status:        OutboxPending,
		NextAttemptAt: now,
		CreatedAt:     now,
		ExpiresAt:     expires,
	})
	if err == nil {
		s.outbox.poke() // before tx commits: RunOutbox looks again within a second if it comes too early
	}
	return err
}
