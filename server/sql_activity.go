package server

import (
	"context"
	"errors"
	"time"

	"selfservice/api"
)

const signInColumns = `id, user_id, at, method, result, ip, device, reported_at`

func scanSignIn(row scanner) (SignInRecord, error) {
	var a SignInRecord
	var at, reported int64
	err := row.Scan(&a.ID, &a.UserID, &at, &a.Method, &a.Result, &a.IP, &a.Device, &reported)
	a.At = fromMillis(at)
	if reported != 0 {
		a.ReportedAt = fromMillis(reported)
	}
	return a, notFound(err)
}

// AddSignIn implements Store.
func (s *SQLStore) AddSignIn(ctx context.Context, a SignInRecord, keep int) error {
	return s.inTx(ctx, func(tx dbtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sign_in_activity (`+signInColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, 0)`,
			a.ID, a.UserID, toMillis(a.At), a.Method, a.Result, a.IP, a.Device)
		if err != nil {
			return err
		}
		// All but the newest keep of the same kind go: successes and
		// failures are trimmed apart, so that a flood of failures never
		// pushes out a sign-in that succeeded.
		kind := "result <> 'success'"
		if a.Result == api.ResultSuccess {
			kind = "result = 'success'"
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sign_in_activity WHERE user_id = ? AND `+kind+` AND id NOT IN (
			SELECT id FROM sign_in_activity WHERE user_id = ? AND `+kind+` ORDER BY at DESC, rowid DESC LIMIT ?)`,
			a.UserID, a.UserID, keep)
		return err
	})
}

// SignIns implements Store.
func (s *SQLStore) SignIns(ctx context.Context, userID string, limit int) ([]SignInRecord, error) {
	rows, err := s.conn().QueryContext(ctx, `SELECT `+signInColumns+` FROM sign_in_activity WHERE user_id = ?
		ORDER BY at DESC, rowid DESC LIMIT ?`, userID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SignInRecord
	for rows.Next() {
		a, err := scanSignIn(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// ReportSignIn implements Store.
func (s *SQLStore) ReportSignIn(ctx context.Context, userID, id string, at time.Time) (SignInRecord, error) {
	var a SignInRecord
	err := s.inTx(ctx, func(tx dbtx) error {
		var err error
		a, err = scanSignIn(tx.QueryRowContext(ctx, `SELECT `+signInColumns+` FROM sign_in_activity WHERE user_id = ? AND id = ?`, userID, id))
		if err != nil {
			return err
		}
		err = execOne(ctx, tx, `UPDATE sign_in_activity SET reported_at = ? WHERE id = ? AND reported_at = 0`, toMillis(at), id)
		if errors.Is(err, ErrNotFound) {
			return ErrConflict
		}
		a.ReportedAt = at
		return err
	})
	return a, err
}
