package server

import (
	"context"
)

const hardwareSelect = `SELECT h.serial, h.type, h.secret, h.algorithm, h.digits, h.period, h.counter,
	coalesce(h.token_id, ''), h.failures, h.locked_until, h.imported_at, coalesce(u.id, ''), coalesce(u.username, '')
	FROM hardware_tokens h LEFT JOIN tokens t ON t.id = h.token_id LEFT JOIN users u ON u.id = t.user_id`

func (s *SQLStore) scanHardwareToken(row scanner) (HardwareTokenRecord, error) {
	var h HardwareTokenRecord
	var locked, imported int64
	err := row.Scan(&h.Serial, &h.Type, &h.Secret, &h.Algorithm, &h.Digits, &h.Period, &h.Counter,
		&h.TokenID, &h.Failures.Count, &locked, &imported, &h.UserID, &h.Username)
	h.Failures.LockedUntil, h.ImportedAt = fromMillis(locked), fromMillis(imported)
	if err != nil {
		return h, notFound(err)
	}
	h.Secret, err = s.open(hardwareSecrets, h.Serial, h.Secret)
	return h, err
}

// AddHardwareToken implements Store.
func (s *SQLStore) AddHardwareToken(ctx context.Context, h HardwareTokenRecord) error {
	return s.inTx(ctx, func(tx dbtx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM hardware_tokens WHERE serial = ?`, h.Serial).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrConflict
		}
		secret, err := s.seal(hardwareSecrets, h.Serial, h.Secret)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO hardware_tokens (serial, type, secret, algorithm, digits, period,
			counter, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			h.Serial, h.Type, secret, h.Algorithm, h.Digits, h.Period, h.Counter, toMillis(h.ImportedAt))
		return err
	})
}

// HardwareTokens implements Store.
func (s *SQLStore) HardwareTokens(ctx context.Context) ([]HardwareTokenRecord, error) {
	rows, err := s.conn().QueryContext(ctx, hardwareSelect+` ORDER BY h.serial`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []HardwareTokenRecord
	for rows.Next() {
		h, err := s.scanHardwareToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// HardwareToken implements Store.
func (s *SQLStore) HardwareToken(ctx context.Context, serial string) (HardwareTokenRecord, error) {
	return s.scanHardwareToken(s.conn().QueryRowContext(ctx, hardwareSelect+` WHERE h.serial = ?`, serial))
}

// UpdateHardwareToken implements Store.
func (s *SQLStore) UpdateHardwareToken(ctx context.Context, serial string, change func(h *HardwareTokenRecord) error) (HardwareTokenRecord, error) {
	var h HardwareTokenRecord
	err := s.inTx(ctx, func(tx dbtx) error {
		var err error
		if h, err = s.scanHardwareToken(tx.QueryRowContext(ctx, hardwareSelect+` WHERE h.serial = ?`, serial)); err != nil {
			return err
		}
		if err := change(&h); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE hardware_tokens SET counter = ?, token_id = nullif(?, ''), failures = ?,
			locked_until = ? WHERE serial = ?`,
			h.Counter, h.TokenID, h.Failures.Count, toMillis(h.Failures.LockedUntil), h.Serial)
		return err
	})
	return h, err
}
