package server

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// CreateUser implements Store.
func (s *SQLStore) CreateUser(ctx context.Context, u UserRecord) error {
	return s.inTx(ctx, func(tx dbtx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE username = ?`, u.Username).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrConflict
		}
		activated := int64(0) // not yet
		if !u.PendingActivation {
			activated = max(toMillis(u.CreatedAt), 1)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO users (id, username, display_name, role, password_hash, created_at, activated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`,
			u.ID, u.Username, u.DisplayName, u.Role, u.PasswordHash, toMillis(u.CreatedAt), activated)
		return err
	})
}

// ActivateUser implements Store.
func (s *SQLStore) ActivateUser(ctx context.Context, userID string, at time.Time) error {
	return execOne(ctx, s.conn(), `UPDATE users SET activated_at = ? WHERE id = ? AND activated_at = 0`, max(toMillis(at), 1), userID)
}

const userColumns = `id, username, display_name, role, password_hash, created_at, language, time_zone, date_format, activated_at`

// scanUser reads a row of userColumns (a *sql.Row or *sql.Rows).
func scanUser(row interface{ Scan(dest ...any) error }) (UserRecord, error) {
	var u UserRecord
	var created, activated int64
	err := row.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.PasswordHash, &created,
		&u.Preferences.Language, &u.Preferences.TimeZone, &u.Preferences.DateFormat, &activated)
	u.CreatedAt, u.PendingActivation = fromMillis(created), activated == 0
	return u, notFound(err)
}

// UserByUsername implements Store.
func (s *SQLStore) UserByUsername(ctx context.Context, username string) (UserRecord, error) {
	return scanUser(s.conn().QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE username = ?`, username))
}

// UserByID implements Store.
func (s *SQLStore) UserByID(ctx context.Context, id string) (UserRecord, error) {
	return scanUser(s.conn().QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
}

// PasswordFailures implements Store.
func (s *SQLStore) PasswordFailures(ctx context.Context, username, source string) (Failures, error) {
	return passwordFailures(s.conn().QueryRowContext(ctx, passwordFailuresQuery, username, source))
}

const passwordFailuresQuery = `SELECT failures, locked_until, last_failure_at FROM password_failures
	WHERE username = ? AND source = ?`

func passwordFailures(row *sql.Row) (Failures, error) {
	var f Failures
	var locked, last int64
	err := row.Scan(&f.Count, &locked, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return Failures{}, nil
	}
	f.LockedUntil, f.LastAt = fromMillis(locked), fromMillis(last)
	return f, err
}

// UpdatePasswordFailures implements Store.
func (s *SQLStore) UpdatePasswordFailures(ctx context.Context, username, source string, change func(f *Failures)) error {
	return s.inTx(ctx, func(tx dbtx) error {
		f, err := passwordFailures(tx.QueryRowContext(ctx, passwordFailuresQuery, username, source))
		if err != nil {
			return err
		}
		change(&f)
		if f == (Failures{}) {
			_, err = tx.ExecContext(ctx, `DELETE FROM password_failures WHERE username = ? AND source = ?`, username, source)
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO password_failures (username, source, failures, locked_until, last_failure_at)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (username, source) DO UPDATE SET failures = excluded.failures,
				locked_until = excluded.locked_until, last_failure_at = excluded.last_failure_at`,
			username, source, f.Count, toMillis(f.LockedUntil), toMillis(f.LastAt))
		return err
	})
}

// PreviousPasswords implements Store.
func (s *SQLStore) PreviousPasswords(ctx context.Context, userID string, n int) ([]string, error) {
	rows, err := s.conn().QueryContext(ctx, `SELECT hash FROM password_history WHERE user_id = ?
		ORDER BY changed_at DESC LIMIT ?`, userID, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// ChangePassword implements Store.
func (s *SQLStore) ChangePassword(ctx context.Context, userID, oldHash, newHash string, at time.Time, keep int) error {
	return s.inTx(ctx, func(tx dbtx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?`, newHash, userID, oldHash)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				err = ErrConflict
			}
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO password_history (user_id, hash, changed_at) VALUES (?, ?, ?)`,
			userID, oldHash, toMillis(at)); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM password_history WHERE user_id = ? AND changed_at NOT IN
			(SELECT changed_at FROM password_history WHERE user_id = ? ORDER BY changed_at DESC LIMIT ?)`, userID, userID, keep)
		return err
	})
}
