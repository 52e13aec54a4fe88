package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"selfservice/api"
	"selfservice/server/notify"
)

const (
	// outboxLease is how long a claimed message is left to its worker:
	// longer than a send may take (sendTimeout), so that only a worker
	// that died loses its claim.
	outboxLease = 2 * time.Minute
	// sendTimeout bounds one hand-over to a gateway.
	sendTimeout = 30 * time.Second
	// outboxMaxBackoff caps the wait between two attempts.
	outboxMaxBackoff = 10 * time.Minute
	// outboxRecheck is how often RunOutbox looks for due messages when
	// nothing woke it: the latest a retry or a missed wake-up waits.
	outboxRecheck = time.Second
	// maxLastError keeps a gateway's error short enough to list.
	maxLastError = 300
)

// outboxWorker is the Server's state for delivering its outbox. Its zero
// value is ready.
type outboxWorker struct {
	once sync.Once
	wake chan struct{} // a message was enqueued; buffered, holds one wake-up

	// deliver makes the DeliverDue calls of one Server take turns, so
	// that when one returns, no message this Server claimed is still
	// being sent (Local.Deliver relies on it). Workers in other
	// processes are kept apart by the claims in the database.
	deliver sync.Mutex
}

func (w *outboxWorker) wakeups() chan struct{} {
	w.once.Do(func() { w.wake = make(chan struct{}, 1) })
	return w.wake
}

// poke wakes RunOutbox without ever blocking: one pending wake-up is
// enough however many messages came.
func (w *outboxWorker) poke() {
	select {
	case w.wakeups() <- struct{}{}:
	default:
	}
}

// sender is the Sender of a channel, nil when the channel has none.
func (s *Server) sender(channel string) notify.Sender {
	switch channel {
	case notify.ChannelEmail:
		return s.cfg.EmailSender
	case notify.ChannelSMS:
		return s.cfg.SMSSender
	}
	return nil
}

// canSend reports whether messages can go out on channel
// (notify.ChannelEmail or notify.ChannelSMS). Check it before offering
// or enqueueing anything on that channel: a message for a channel
// without a sender is given up at once.
func (s *Server) canSend(channel string) bool {
	return s.sender(channel) != nil
}

// RunOutbox delivers the outbox until ctx ends: each due message once per
// pass, a pass after every enqueue and at least every second.
//
// enqueue wakes it when a message is written, but it writes inside the
// transaction of its action, which commits only later: a pass that runs
// first does not see the message yet. Rather than have every action
// wake the worker after its commit, the worker looks again every
// second, so a message waits at most that long; retries come due the
// same way.
func (s *Server) RunOutbox(ctx context.Context) {
	tick := time.NewTicker(outboxRecheck)
	defer tick.Stop()
	for {
		if _, err := s.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			s.log.ErrorContext(ctx, "outbox: delivering messages failed; trying again", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-s.outbox.wakeups():
		case <-tick.C:
		}
	}
}

// DeliverDue tries every message due now once and returns how many it
// sent. A message that fails waits OutboxBackoff, then twice as long
// after each next failure (at most 10 minutes), and is given up (FAILED)
// after OutboxRetries attempts, or once it expired: a code that no
// longer works is not sent late. A message on a channel without a sender
// is given up at once. Sent and given-up messages lose their body and
// attachment. The error is about the database, or ctx ending; a
// gateway's failure is recorded with its message, not returned.
//
// Delivery is at least once: when the database cannot record that a
// message was sent, the message is sent again after its claim ends, with
// the same ID so that a receiver can drop the copy.
func (s *Server) DeliverDue(ctx context.Context) (int, error) {
	s.outbox.deliver.Lock()
	defer s.outbox.deliver.Unlock()

	start := s.now()
	if _, err := s.store.ExpireOutbox(ctx, start); err != nil {
		return 0, fmt.Errorf("give up expired messages: %w", err)
	}
	sent := 0
	for {
		if err := ctx.Err(); err != nil {
			return sent, err
		}
		claim := s.now().Add(outboxLease)
		r, err := s.store.ClaimOutbox(ctx, start, claim)
		if errors.Is(err, ErrNotFound) {
			return sent, nil
		}
		if err != nil {
			return sent, fmt.Errorf("claim a due message: %w", err)
		}
		o := s.deliverOne(ctx, r)
		// The outcome is recorded even when ctx ended during the send.
		recordCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		_, err = s.store.FinishOutbox(recordCtx, r.Message.ID, claim, o)
		cancel()
		if err != nil {
			return sent, fmt.Errorf("record the outcome of message %s: %w", r.Message.ID, err)
		}
		if o.Status == OutboxSent {
			sent++
		}
	}
}

// deliverOne sends one claimed message and says what came of it.
func (s *Server) deliverOne(ctx context.Context, r OutboxRecord) OutboxOutcome {
	m := r.Message
	log := s.log.With("message", m.ID, "channel", m.Channel, "to", api.MaskAddress(m.Channel, m.To))
	sender := s.sender(m.Channel)
	if sender == nil {
		log.ErrorContext(ctx, "outbox: message given up: no sender for its channel")
		return OutboxOutcome{Status: OutboxFailed, At: s.now(), Error: "no sender configured for " + m.Channel}
	}
	if now := s.now(); !r.ExpiresAt.IsZero() && !now.Before(r.ExpiresAt) {
		log.WarnContext(ctx, "outbox: message given up: it expired before it could be sent")
		return OutboxOutcome{Status: OutboxFailed, At: now, Error: errExpiredUnsent}
	}

	sendCtx, cancel := context.WithTimeout(ctx, sendTimeout)
	err := sender.Send(sendCtx, m)
	cancel()
	now := s.now()
	if err == nil {
		log.InfoContext(ctx, "outbox: message sent", "attempt", r.Attempts+1)
		return OutboxOutcome{Status: OutboxSent, At: now}
	}
	if ctx.Err() != nil {
		// Stopping: the message is tried again soon, and this did not
		// count as an attempt.
		return OutboxOutcome{Status: OutboxPending, At: now, NextAttemptAt: now}
	}

	why := lastError(err, m)
	attempts := r.Attempts + 1
	next := now.Add(backoff(s.cfg.OutboxBackoff, attempts))
	switch {
	case attempts >= s.cfg.OutboxRetries:
		log.ErrorContext(ctx, "outbox: message given up after too many attempts", "attempts", attempts, "error", why)
		return OutboxOutcome{Status: OutboxFailed, At: now, Error: why}
	case !r.ExpiresAt.IsZero() && !next.Before(r.ExpiresAt):
		log.ErrorContext(ctx, "outbox: message given up: it would expire before the next attempt", "attempts", attempts, "error", why)
		return OutboxOutcome{Status: OutboxFailed, At: now, Error: why}
	}
	log.WarnContext(ctx, "outbox: message not sent; trying again later", "attempts", attempts, "next_attempt", next, "error", why)
	return OutboxOutcome{Status: OutboxPending, At: now, NextAttemptAt: next, Error: why}
}

// backoff is the wait after the given number of failed attempts: first
// the base, then twice as long each time, at most outboxMaxBackoff.
func backoff(base time.Duration, attempts int) time.Duration {
	d := base
	for i := 1; i < attempts && d < outboxMaxBackoff; i++ {
		d *= 2
	}
	return min(d, outboxMaxBackoff)
}

// lastError is what is kept of a send error: short, on one line, and
// without the message's body even if a gateway echoed it back.
func lastError(err error, m notify.Message) string {
	s := err.Error()
	if m.Body != "" {
		s = strings.ReplaceAll(s, m.Body, "[message text]")
	}
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxLastError {
		s = string(r[:maxLastError]) + "…"
	}
	if s == "" {
		s = "the gateway refused the message without saying why"
	}
	return s
}
