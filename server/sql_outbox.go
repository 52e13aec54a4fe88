package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"selfservice/server/notify"
)

// Enqueue implements Store.
func (s *SQLStore) Enqueue(ctx context.Context, r OutboxRecord) error {
	m := r.Message
	var name, contentType string
	var data []byte
	if m.Attachment != nil {
		name, contentType, data = m.Attachment.Name, m.Attachment.ContentType, m.Attachment.Data
	}
	return s.inTx(ctx, func(tx dbtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO outbox (id, channel, recipient, subject, body,
			attachment_name, attachment_type, attachment, status, attempts, next_attempt_at, created_at, expires_at, user_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`,
			m.ID, m.Channel, m.To, m.Subject, m.Body, name, contentType, data,
			OutboxPending, toMillis(r.CreatedAt), toMillis(r.CreatedAt), toMillis(r.ExpiresAt), r.UserID)
		return err
	})
}

// outboxGone is the SET clause that empties a message that is SENT or
// FAILED: its body and attachment may hold a code.
const outboxGone = `body = '', attachment = NULL`

// ExpireOutbox implements Store.
func (s *SQLStore) ExpireOutbox(ctx context.Context, now time.Time) (int, error) {
	res, err := s.conn().ExecContext(ctx, `UPDATE outbox SET status = ?, `+outboxGone+`,
		last_error = CASE WHEN last_error = '' THEN ? ELSE ? || last_error END
		WHERE status = ? AND expires_at <> 0 AND expires_at <= ?`,
		OutboxFailed, errExpiredUnsent, errExpiredUnsent+"; the last attempt failed: ",
		OutboxPending, toMillis(now))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// errExpiredUnsent is the last error of a message given up because it
// expired.
const errExpiredUnsent = "expired before it could be sent"

// ClaimOutbox implements Store.
func (s *SQLStore) ClaimOutbox(ctx context.Context, dueBy, leaseUntil time.Time) (OutboxRecord, error) {
	var r OutboxRecord
	err := s.inTx(ctx, func(tx dbtx) error {
		var err error
		r, err = scanOutbox(tx.QueryRowContext(ctx, `SELECT id, channel, recipient, subject, body,
			attachment_name, attachment_type, attachment, status, attempts, next_attempt_at, last_error,
			created_at, sent_at, expires_at
			FROM outbox WHERE status = ? AND next_attempt_at <= ?
			ORDER BY next_attempt_at, created_at, id LIMIT 1`+s.engine.claimLock, OutboxPending, toMillis(dueBy)))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE outbox SET next_attempt_at = ? WHERE id = ?`,
			toMillis(leaseUntil), r.Message.ID)
		r.NextAttemptAt = fromMillis(toMillis(leaseUntil))
		return err
	})
	return r, err
}

// FinishOutbox implements Store.
func (s *SQLStore) FinishOutbox(ctx context.Context, id string, claim time.Time, o OutboxOutcome) (bool, error) {
	var res sql.Result
	var err error
	switch {
	case o.Status == OutboxSent:
		res, err = s.conn().ExecContext(ctx, `UPDATE outbox SET status = ?, sent_at = ?, attempts = attempts + 1, `+
			outboxGone+` WHERE id = ? AND status <> ?`, OutboxSent, toMillis(o.At), id, OutboxSent)
	case o.Status == OutboxPending && o.Error == "":
		res, err = s.conn().ExecContext(ctx, `UPDATE outbox SET next_attempt_at = ?
			WHERE id = ? AND status = ? AND next_attempt_at = ?`,
			toMillis(o.NextAttemptAt), id, OutboxPending, toMillis(claim))
	case o.Status == OutboxPending:
		res, err = s.conn().ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ?,
			next_attempt_at = ? WHERE id = ? AND status = ? AND next_attempt_at = ?`,
			o.Error, toMillis(o.NextAttemptAt), id, OutboxPending, toMillis(claim))
	case o.Status == OutboxFailed:
		res, err = s.conn().ExecContext(ctx, `UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?, `+
			outboxGone+` WHERE id = ? AND status = ? AND next_attempt_at = ?`,
			OutboxFailed, o.Error, id, OutboxPending, toMillis(claim))
	default:
		return false, fmt.Errorf("outbox outcome %q is not a status", o.Status)
	}
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// OutboxMessages implements Store.
func (s *SQLStore) OutboxMessages(ctx context.Context, status string) ([]OutboxRecord, error) {
	return s.outboxList(ctx, `? = '' OR status = ?`, status, status)
}

// outboxList lists the messages where holds, oldest first, without
// their bodies and attachments.
func (s *SQLStore) outboxList(ctx context.Context, where string, args ...any) ([]OutboxRecord, error) {
	rows, err := s.conn().QueryContext(ctx, `SELECT id, channel, recipient, subject, '',
		attachment_name, attachment_type, NULL, status, attempts, next_attempt_at, last_error,
		created_at, sent_at, expires_at
		FROM outbox WHERE `+where+` ORDER BY created_at, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OutboxRecord
	for rows.Next() {
		r, err := scanOutbox(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func scanOutbox(row scanner) (OutboxRecord, error) {
	var r OutboxRecord
	m := &r.Message
	var name, contentType string
	var data []byte
	var next, created, sent, expires int64
	err := row.Scan(&m.ID, &m.Channel, &m.To, &m.Subject, &m.Body, &name, &contentType, &data,
		&r.Status, &r.Attempts, &next, &r.LastError, &created, &sent, &expires)
	if err != nil {
		return OutboxRecord{}, notFound(err)
	}
	if data != nil {
		m.Attachment = &notify.Attachment{Name: name, ContentType: contentType, Data: data}
	}
	r.NextAttemptAt, r.CreatedAt, r.SentAt, r.ExpiresAt = fromMillis(next), fromMillis(created), fromMillis(sent), fromMillis(expires)
	return r, nil
}

// LastMessageTo implements Store.
func (s *SQLStore) LastMessageTo(ctx context.Context, channel, recipient string) (time.Time, error) {
	var last sql.NullInt64
	err := s.conn().QueryRowContext(ctx, `SELECT max(created_at) FROM outbox WHERE recipient = ? AND channel = ?`,
		recipient, channel).Scan(&last)
	return fromMillis(last.Int64), err
}

// NthLastMessage implements Store. It reads at most n index entries.
func (s *SQLStore) NthLastMessage(ctx context.Context, channel, userID string, since time.Time, n int) (time.Time, error) {
	query := `SELECT created_at FROM outbox WHERE channel = ? AND created_at > ?`
	args := []any{channel, toMillis(since)}
	if userID != "" {
		query += ` AND user_id = ?`
		args = append(args, userID)
	}
	query += ` ORDER BY created_at DESC LIMIT 1 OFFSET ?`
	var at int64
	err := s.conn().QueryRowContext(ctx, query, append(args, n-1)...).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	return fromMillis(at), err
}
