package server

import (
	"context"
	"database/sql"
)

// Enqueue implements Store.
func (s *SQLiteStore) Enqueue(ctx context.Context, r OutboxRecord) error {
	m := r.Message
	var name, contentType string
	var data []byte
	if m.Attachment != nil {
		name, contentType, data = m.Attachment.Name, m.Attachment.ContentType, m.Attachment.Data
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO outbox (id, channel, recipient, subject, body,
			attachment_name, attachment_type, attachment, status, attempts, next_attempt_at, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
			m.ID, m.Channel, m.To, m.Subject, m.Body, name, contentType, data,
			OutboxPending, toMillis(r.CreatedAt), toMillis(r.CreatedAt), toMillis(r.ExpiresAt))
		return err
	})
}
