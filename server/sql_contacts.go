package server

import (
	"cmp"
	"context"
)

// Contacts implements Store.
func (s *SQLStore) Contacts(ctx context.Context, userID string) ([]ContactRecord, error) {
	rows, err := s.conn().QueryContext(ctx, `SELECT user_id, field_id, value, verified_at, preferred, updated_at
		FROM contact_values WHERE user_id = ? ORDER BY field_id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ContactRecord
	for rows.Next() {
		var c ContactRecord
		var verified, updated int64
		var preferred int
		if err := rows.Scan(&c.UserID, &c.FieldID, &c.Value, &verified, &preferred, &updated); err != nil {
			return nil, err
		}
		c.VerifiedAt, c.Preferred, c.UpdatedAt = fromMillis(verified), preferred == 1, fromMillis(updated)
		out = append(out, c)
	}
	return out, rows.Err()
}

// SetContact implements Store.
func (s *SQLStore) SetContact(ctx context.Context, c ContactRecord) error {
	_, err := s.conn().ExecContext(ctx, `INSERT INTO contact_values (user_id, field_id, value, verified_at, preferred, updated_at)
		VALUES (?, ?, ?, ?, 0, ?)
		ON CONFLICT (user_id, field_id) DO UPDATE SET value = excluded.value,
		verified_at = excluded.verified_at, updated_at = excluded.updated_at`,
		c.UserID, c.FieldID, c.Value, toMillis(c.VerifiedAt), toMillis(c.UpdatedAt))
	return err
}

// DeleteContact implements Store.
func (s *SQLStore) DeleteContact(ctx context.Context, userID, fieldID string) error {
	res, err := s.conn().ExecContext(ctx, `DELETE FROM contact_values WHERE user_id = ? AND field_id = ?`, userID, fieldID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return cmp.Or(err, ErrNotFound)
	}
	return nil
}

// SetPreferredContact implements Store.
func (s *SQLStore) SetPreferredContact(ctx context.Context, userID, fieldID string) error {
	return s.inTx(ctx, func(tx dbtx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM contact_values WHERE user_id = ? AND field_id = ?`,
			userID, fieldID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, `UPDATE contact_values SET preferred = 0 WHERE user_id = ? AND preferred = 1`, userID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE contact_values SET preferred = 1 WHERE user_id = ? AND field_id = ?`, userID, fieldID)
		return err
	})
}

const contactChangeColumns = `user_id, field_id, value, remove, code_hash, sent_to, sent_at, expires_at, failures`

func scanContactChange(row interface{ Scan(...any) error }) (ContactChangeRecord, error) {
	var c ContactChangeRecord
	var remove int
	var sent, expires int64
	err := row.Scan(&c.UserID, &c.FieldID, &c.Value, &remove, &c.CodeHash, &c.SentTo, &sent, &expires, &c.Failures)
	c.Remove, c.SentAt, c.ExpiresAt = remove == 1, fromMillis(sent), fromMillis(expires)
	return c, err
}

// ContactChanges implements Store.
func (s *SQLStore) ContactChanges(ctx context.Context, userID string) ([]ContactChangeRecord, error) {
	rows, err := s.conn().QueryContext(ctx, `SELECT `+contactChangeColumns+` FROM contact_changes WHERE user_id = ? ORDER BY field_id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ContactChangeRecord
	for rows.Next() {
		c, err := scanContactChange(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ContactChange implements Store.
func (s *SQLStore) ContactChange(ctx context.Context, userID, fieldID string) (ContactChangeRecord, error) {
	c, err := scanContactChange(s.conn().QueryRowContext(ctx, `SELECT `+contactChangeColumns+`
		FROM contact_changes WHERE user_id = ? AND field_id = ?`, userID, fieldID))
	return c, notFound(err)
}

// SaveContactChange implements Store.
func (s *SQLStore) SaveContactChange(ctx context.Context, c ContactChangeRecord) error {
	remove := 0
	if c.Remove {
		remove = 1
	}
	_, err := s.conn().ExecContext(ctx, `INSERT INTO contact_changes (`+contactChangeColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (user_id, field_id) DO UPDATE SET value = excluded.value, remove = excluded.remove,
		code_hash = excluded.code_hash, sent_to = excluded.sent_to, sent_at = excluded.sent_at,
		expires_at = excluded.expires_at, failures = excluded.failures`,
		c.UserID, c.FieldID, c.Value, remove, c.CodeHash, c.SentTo, toMillis(c.SentAt), toMillis(c.ExpiresAt), c.Failures)
	return err
}

// CountContactFailure implements Store.
func (s *SQLStore) CountContactFailure(ctx context.Context, userID, fieldID string) error {
	_, err := s.conn().ExecContext(ctx, `UPDATE contact_changes SET failures = failures + 1 WHERE user_id = ? AND field_id = ?`, userID, fieldID)
	return err
}

// DeleteContactChange implements Store.
func (s *SQLStore) DeleteContactChange(ctx context.Context, userID, fieldID string) error {
	_, err := s.conn().ExecContext(ctx, `DELETE FROM contact_changes WHERE user_id = ? AND field_id = ?`, userID, fieldID)
	return err
}
