package server

import (
	"context"
	"database/sql"
)

const templateColumns = `id, name, type, description, max_per_user, user_can_delete, sort_order, algorithm, digits, period,
	user_verification, resident_key, passwordless, hardware`

type scanner interface {
	Scan(dest ...any) error
}

func scanTemplate(row scanner) (TemplateRecord, error) {
	var t TemplateRecord
	err := row.Scan(&t.ID, &t.Name, &t.Type, &t.Description, &t.MaxPerUser, &t.UserCanDelete,
		&t.Order, &t.Algorithm, &t.Digits, &t.Period, &t.UserVerification, &t.ResidentKey, &t.Passwordless, &t.Hardware)
	return t, notFound(err)
}

// Templates implements Store.
func (s *SQLStore) Templates(ctx context.Context) ([]TemplateRecord, error) {
	rows, err := s.conn().QueryContext(ctx, `SELECT `+templateColumns+` FROM token_templates ORDER BY sort_order, name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TemplateRecord
	for rows.Next() {
		t, err := scanTemplate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Template implements Store.
func (s *SQLStore) Template(ctx context.Context, id string) (TemplateRecord, error) {
	return scanTemplate(s.conn().QueryRowContext(ctx, `SELECT `+templateColumns+` FROM token_templates WHERE id = ?`, id))
}

const tokenSelect = `SELECT t.id, t.user_id, t.template_id, t.type, t.label, t.description, t.status,
	tpl.user_can_delete, t.secret, t.algorithm, t.digits, t.period, t.counter, t.last_step, t.drift,
	t.failures, t.locked_until, t.created_at, t.last_used_at, t.address, ` + credentialColumns + `
	FROM tokens t JOIN token_templates tpl ON tpl.id = t.template_id
	LEFT JOIN webauthn_credentials c ON c.token_id = t.id`

func (s *SQLStore) scanToken(row scanner) (TokenRecord, error) {
	var t TokenRecord
	var locked, created, lastUsed int64
	var c credentialScan
	dest := []any{&t.ID, &t.UserID, &t.TemplateID, &t.Type, &t.Label, &t.Description, &t.Status,
		&t.UserCanDelete, &t.Secret, &t.Algorithm, &t.Digits, &t.Period, &t.Counter, &t.LastStep, &t.Drift,
		&t.Failures.Count, &locked, &created, &lastUsed, &t.Address}
	err := row.Scan(append(dest, c.dest()...)...)
	t.Failures.LockedUntil = fromMillis(locked)
	t.CreatedAt = fromMillis(created)
	t.LastUsedAt = fromMillis(lastUsed)
	t.Credential = c.credential()
	if err != nil {
		return t, notFound(err)
	}
	t.Secret, err = s.open(tokenSecrets, t.ID, t.Secret)
	return t, err
}

// Tokens implements Store.
func (s *SQLStore) Tokens(ctx context.Context, userID string) ([]TokenRecord, error) {
	rows, err := s.conn().QueryContext(ctx, tokenSelect+` WHERE t.user_id = ? ORDER BY t.created_at, t.rowid`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TokenRecord
	for rows.Next() {
		t, err := s.scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Token implements Store.
func (s *SQLStore) Token(ctx context.Context, userID, tokenID string) (TokenRecord, error) {
	return s.scanToken(s.conn().QueryRowContext(ctx, tokenSelect+` WHERE t.id = ? AND t.user_id = ?`, tokenID, userID))
}

// CountActiveTokens implements Store.
func (s *SQLStore) CountActiveTokens(ctx context.Context, userID string) (int, error) {
	return countActive(ctx, s.conn().QueryRowContext, userID)
}

type queryRower func(ctx context.Context, query string, args ...any) *sql.Row

func countActive(ctx context.Context, query queryRower, userID string) (int, error) {
	var n int
	err := query(ctx, `SELECT count(*) FROM tokens WHERE user_id = ? AND status = 'ACTIVE'`, userID).Scan(&n)
	return n, err
}

// CreateToken implements Store.
func (s *SQLStore) CreateToken(ctx context.Context, t TokenRecord, maxPerUser int) error {
	return s.inTx(ctx, func(tx dbtx) error {
		if maxPerUser > 0 {
			var n int
			err := tx.QueryRowContext(ctx, `SELECT count(*) FROM tokens
				WHERE user_id = ? AND template_id = ? AND status <> 'OBSOLETE'`, t.UserID, t.TemplateID).Scan(&n)
			if err != nil {
				return err
			}
			if n >= maxPerUser {
				return ErrLimitReached
			}
		}
		secret, err := s.seal(tokenSecrets, t.ID, t.Secret)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO tokens (id, user_id, template_id, type, label, description, status,
			secret, algorithm, digits, period, counter, last_step, drift, failures, locked_until, created_at, last_used_at, address)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			t.ID, t.UserID, t.TemplateID, t.Type, t.Label, t.Description, t.Status,
			secret, t.Algorithm, t.Digits, t.Period, t.Counter, t.LastStep, t.Drift,
			t.Failures.Count, toMillis(t.Failures.LockedUntil), toMillis(t.CreatedAt), toMillis(t.LastUsedAt), t.Address)
		if err != nil {
			return err
		}
		return saveCredential(ctx, tx, t.ID, t.Credential)
	})
}

// UpdateToken implements Store. Only the fields a token's life changes
// are saved: label, description, status, code-checking state, last use,
// address and the FIDO2 credential.
func (s *SQLStore) UpdateToken(ctx context.Context, userID, tokenID string, change func(t *TokenRecord, active int) error) (TokenRecord, error) {
	var t TokenRecord
	err := s.inTx(ctx, func(tx dbtx) error {
		var err error
		t, err = s.scanToken(tx.QueryRowContext(ctx, tokenSelect+` WHERE t.id = ? AND t.user_id = ?`, tokenID, userID))
		if err != nil {
			return err
		}
		active, err := countActive(ctx, tx.QueryRowContext, userID)
		if err != nil {
			return err
		}
		if err := change(&t, active); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE tokens SET label = ?, description = ?, status = ?, counter = ?, last_step = ?,
			drift = ?, failures = ?, locked_until = ?, last_used_at = ?, address = ? WHERE id = ?`,
			t.Label, t.Description, t.Status, t.Counter, t.LastStep, t.Drift,
			t.Failures.Count, toMillis(t.Failures.LockedUntil), toMillis(t.LastUsedAt), t.Address, t.ID)
		if err != nil {
			return err
		}
		return saveCredential(ctx, tx, t.ID, t.Credential)
	})
	return t, err
}

// DeleteToken implements Store.
func (s *SQLStore) DeleteToken(ctx context.Context, userID, tokenID string, check func(t TokenRecord, active int) error) error {
	return s.inTx(ctx, func(tx dbtx) error {
		t, err := s.scanToken(tx.QueryRowContext(ctx, tokenSelect+` WHERE t.id = ? AND t.user_id = ?`, tokenID, userID))
		if err != nil {
			return err
		}
		active, err := countActive(ctx, tx.QueryRowContext, userID)
		if err != nil {
			return err
		}
		if err := check(t, active); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM tokens WHERE id = ?`, t.ID)
		return err
	})
}
