package server

import (
	"context"
	"database/sql"
	"time"
)

// LastCodeSentAt implements Store.
func (s *SQLStore) LastCodeSentAt(ctx context.Context, tokenID string) (time.Time, error) {
	var last sql.NullInt64
	err := s.conn().QueryRowContext(ctx, `SELECT max(sent_at) FROM sent_codes WHERE token_id = ?`, tokenID).Scan(&last)
	return fromMillis(last.Int64), err
}

// SaveSentCode implements Store.
func (s *SQLStore) SaveSentCode(ctx context.Context, c SentCodeRecord) error {
	_, err := s.conn().ExecContext(ctx, `INSERT INTO sent_codes (token_id, purpose, scope_key, code_hash, address,
		sent_at, expires_at, failures, used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (token_id, purpose, scope_key) DO UPDATE SET code_hash = excluded.code_hash,
		address = excluded.address, sent_at = excluded.sent_at, expires_at = excluded.expires_at,
		failures = excluded.failures, used_at = excluded.used_at`,
		c.TokenID, c.Purpose, c.Key, c.CodeHash, c.Address, toMillis(c.SentAt), toMillis(c.ExpiresAt), c.Failures, toMillis(c.UsedAt))
	return err
}

// UpdateSentCode implements Store.
func (s *SQLStore) UpdateSentCode(ctx context.Context, tokenID, purpose, key string, change func(c *SentCodeRecord) error) (SentCodeRecord, error) {
	var c SentCodeRecord
	err := s.inTx(ctx, func(tx dbtx) error {
		var sent, expires, used int64
		err := tx.QueryRowContext(ctx, `SELECT token_id, purpose, scope_key, code_hash, address, sent_at, expires_at,
			failures, used_at FROM sent_codes WHERE token_id = ? AND purpose = ? AND scope_key = ?`, tokenID, purpose, key).
			Scan(&c.TokenID, &c.Purpose, &c.Key, &c.CodeHash, &c.Address, &sent, &expires, &c.Failures, &used)
		if err != nil {
			return notFound(err)
		}
		c.SentAt, c.ExpiresAt, c.UsedAt = fromMillis(sent), fromMillis(expires), fromMillis(used)
		if err := change(&c); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE sent_codes SET failures = ?, used_at = ?
			WHERE token_id = ? AND purpose = ? AND scope_key = ?`, c.Failures, toMillis(c.UsedAt), tokenID, purpose, key)
		return err
	})
	return c, err
}
