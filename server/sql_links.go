package server

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// SaveLink implements Store.
func (s *SQLStore) SaveLink(ctx context.Context, l LinkRecord) error {
	return s.inTx(ctx, func(tx dbtx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM links WHERE user_id = ? AND purpose = ? AND subject = ? AND used_at = 0`,
			l.UserID, l.Purpose, l.Subject); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO links (token_hash, purpose, user_id, subject, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?)`, l.TokenHash, l.Purpose, l.UserID, l.Subject, toMillis(l.CreatedAt), toMillis(l.ExpiresAt))
		return err
	})
}

// Link implements Store.
func (s *SQLStore) Link(ctx context.Context, tokenHash string) (LinkRecord, error) {
	l := LinkRecord{TokenHash: tokenHash}
	var created, expires, used int64
	err := s.conn().QueryRowContext(ctx, `SELECT purpose, user_id, subject, created_at, expires_at, used_at FROM links WHERE token_hash = ?`,
		tokenHash).Scan(&l.Purpose, &l.UserID, &l.Subject, &created, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return LinkRecord{}, ErrNotFound
	}
	l.CreatedAt, l.ExpiresAt, l.UsedAt = fromMillis(created), fromMillis(expires), fromMillis(used)
	return l, err
}

// UseLink implements Store.
func (s *SQLStore) UseLink(ctx context.Context, tokenHash string, at time.Time) error {
	return execOne(ctx, s.conn(), `UPDATE links SET used_at = ? WHERE token_hash = ? AND used_at = 0`, toMillis(at), tokenHash)
}

// LastLinkAt implements Store.
func (s *SQLStore) LastLinkAt(ctx context.Context, userID, purpose string) (time.Time, error) {
	var last sql.NullInt64
	err := s.conn().QueryRowContext(ctx, `SELECT max(created_at) FROM links WHERE user_id = ? AND purpose = ?`,
		userID, purpose).Scan(&last)
	return fromMillis(last.Int64), err
}

// UsersWithEmail implements Store.
func (s *SQLStore) UsersWithEmail(ctx context.Context, address string) ([]UserRecord, error) {
	return s.queryUsers(ctx, `SELECT `+userColumns+` FROM users
		WHERE id IN (SELECT user_id FROM contact_values WHERE lower(value) = lower(?) AND verified_at > 0) ORDER BY username`, address)
}
