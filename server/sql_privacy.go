package server

import (
	"context"
	"database/sql"
)

// Consents implements Store.
func (s *SQLStore) Consents(ctx context.Context, userID string) ([]ConsentRecord, error) {
	return s.consents(ctx, `SELECT user_id, consent_id, version, granted, changed_at FROM consents
		WHERE user_id = ? ORDER BY consent_id`, userID)
}

// ConsentHistory implements Store.
func (s *SQLStore) ConsentHistory(ctx context.Context, userID string) ([]ConsentRecord, error) {
	return s.consents(ctx, `SELECT user_id, consent_id, version, granted, at FROM consent_history
		WHERE user_id = ? ORDER BY seq`, userID)
}

func (s *SQLStore) consents(ctx context.Context, query, userID string) ([]ConsentRecord, error) {
	rows, err := s.conn().QueryContext(ctx, query, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ConsentRecord
	for rows.Next() {
		c, err := scanConsent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func scanConsent(row scanner) (ConsentRecord, error) {
	var c ConsentRecord
	var granted int
	var at int64
	err := row.Scan(&c.UserID, &c.ConsentID, &c.Version, &granted, &at)
	c.Granted, c.ChangedAt = granted == 1, fromMillis(at)
	return c, notFound(err)
}

// SetConsent implements Store.
func (s *SQLStore) SetConsent(ctx context.Context, c ConsentRecord) (ConsentRecord, error) {
	out := c
	err := s.inTx(ctx, func(tx dbtx) error {
		old, err := scanConsent(tx.QueryRowContext(ctx, `SELECT user_id, consent_id, version, granted, changed_at FROM consents
			WHERE user_id = ? AND consent_id = ?`, c.UserID, c.ConsentID))
		switch {
		case err == nil && old.Version == c.Version && old.Granted == c.Granted:
			out = old
			return nil
		case err != nil && err != ErrNotFound:
			return err
		}
		out = c
		granted := boolInt(c.Granted)
		if _, err := tx.ExecContext(ctx, `INSERT INTO consents (user_id, consent_id, version, granted, changed_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (user_id, consent_id) DO UPDATE SET version = excluded.version, granted = excluded.granted,
				changed_at = excluded.changed_at`, c.UserID, c.ConsentID, c.Version, granted, toMillis(c.ChangedAt)); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO consent_history (user_id, seq, consent_id, version, granted, at)
			SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ? FROM consent_history WHERE user_id = ?`,
			c.UserID, c.ConsentID, c.Version, granted, toMillis(c.ChangedAt), c.UserID)
		return err
	})
	return out, err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// MessagesTo implements Store.
func (s *SQLStore) MessagesTo(ctx context.Context, userID string) ([]OutboxRecord, error) {
	out, err := s.outboxList(ctx, `user_id = ?`, userID)
	for i := range out {
		out[i].UserID = userID
	}
	return out, err
}

// DeleteUser implements Store.
func (s *SQLStore) DeleteUser(ctx context.Context, userID string) ([]DocumentRecord, error) {
	var docs []DocumentRecord
	err := s.transact(ctx, func(tx *sql.Tx) error {
		in := s.within(tx)
		u, err := scanUser(in.conn().QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, userID))
		if err != nil {
			return err
		}
		if docs, err = in.documents(ctx, `SELECT `+documentColumns+` FROM documents WHERE user_id = ? ORDER BY created_at, id`, userID); err != nil {
			return err
		}
		// What no foreign key ties to the user's row.
		if _, err := in.conn().ExecContext(ctx, `DELETE FROM outbox WHERE user_id = ?`, userID); err != nil {
			return err
		}
		if _, err := in.conn().ExecContext(ctx, `DELETE FROM password_failures WHERE username = ?`, u.Username); err != nil {
			return err
		}
		return execOne(ctx, in.conn(), `DELETE FROM users WHERE id = ?`, userID)
	})
	if err != nil {
		return nil, err
	}
	return docs, nil
}
