package server

import (
	"context"
	"fmt"
	"time"
)

// CreateLogin implements Store.
func (s *SQLStore) CreateLogin(ctx context.Context, l LoginRecord) error {
	_, err := s.conn().ExecContext(ctx, `INSERT INTO logins (id_hash, user_id, expires_at, failures) VALUES (?, ?, ?, ?)`,
		l.IDHash, l.UserID, toMillis(l.ExpiresAt), l.Failures)
	return err
}

// Login implements Store.
func (s *SQLStore) Login(ctx context.Context, idHash string) (LoginRecord, error) {
	var l LoginRecord
	var expires int64
	err := s.conn().QueryRowContext(ctx, `SELECT id_hash, user_id, expires_at, failures FROM logins WHERE id_hash = ?`, idHash).
		Scan(&l.IDHash, &l.UserID, &expires, &l.Failures)
	l.ExpiresAt = fromMillis(expires)
	return l, notFound(err)
}

// AddLoginFailure implements Store.
func (s *SQLStore) AddLoginFailure(ctx context.Context, idHash string) error {
	return execOne(ctx, s.conn(), `UPDATE logins SET failures = failures + 1 WHERE id_hash = ?`, idHash)
}

// DeleteLogin implements Store.
func (s *SQLStore) DeleteLogin(ctx context.Context, idHash string) error {
	return execOne(ctx, s.conn(), `DELETE FROM logins WHERE id_hash = ?`, idHash)
}

// sessionColumns are the columns of a SessionRecord, in scanSession's order.
const sessionColumns = `token_hash, id, user_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, device, ip, second_factor`

func scanSession(row scanner) (SessionRecord, error) {
	var r SessionRecord
	var created, seen, idle, absolute int64
	err := row.Scan(&r.TokenHash, &r.ID, &r.UserID, &created, &seen, &idle, &absolute, &r.Device, &r.IP, &r.SecondFactor)
	r.CreatedAt, r.LastSeenAt = fromMillis(created), fromMillis(seen)
	r.IdleExpiresAt, r.AbsoluteExpiresAt = fromMillis(idle), fromMillis(absolute)
	return r, notFound(err)
}

// CreateSession implements Store.
func (s *SQLStore) CreateSession(ctx context.Context, r SessionRecord) error {
	_, err := s.conn().ExecContext(ctx, `INSERT INTO sessions (`+sessionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.TokenHash, r.ID, r.UserID, toMillis(r.CreatedAt), toMillis(r.LastSeenAt),
		toMillis(r.IdleExpiresAt), toMillis(r.AbsoluteExpiresAt), r.Device, r.IP, r.SecondFactor)
	return err
}

// Session implements Store.
func (s *SQLStore) Session(ctx context.Context, tokenHash string) (SessionRecord, error) {
	return scanSession(s.conn().QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE token_hash = ?`, tokenHash))
}

// UserSessions implements Store.
func (s *SQLStore) UserSessions(ctx context.Context, userID string) ([]SessionRecord, error) {
	rows, err := s.conn().QueryContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE user_id = ?
		ORDER BY created_at DESC, id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SessionRecord
	for rows.Next() {
		r, err := scanSession(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// DeleteUserSession implements Store.
func (s *SQLStore) DeleteUserSession(ctx context.Context, userID, id string) (SessionRecord, error) {
	var r SessionRecord
	err := s.inTx(ctx, func(tx dbtx) error {
		var err error
		r, err = scanSession(tx.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE user_id = ? AND id = ?`, userID, id))
		if err != nil {
			return err
		}
		return execOne(ctx, tx, `DELETE FROM sessions WHERE token_hash = ?`, r.TokenHash)
	})
	return r, err
}

// DeleteUserSessions implements Store.
func (s *SQLStore) DeleteUserSessions(ctx context.Context, userID string, now time.Time) (int, error) {
	return s.endSessions(ctx, now, `user_id = ?`, userID)
}

// endSessions deletes the sessions where holds and counts those of them
// that had not expired at now.
func (s *SQLStore) endSessions(ctx context.Context, now time.Time, where string, args ...any) (int, error) {
	var live int
	err := s.inTx(ctx, func(tx dbtx) error {
		at := toMillis(now)
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sessions WHERE `+where+` AND idle_expires_at > ? AND absolute_expires_at > ?`,
			append(args, at, at)...).Scan(&live)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE `+where, args...)
		return err
	})
	return live, err
}

// TouchSession implements Store.
func (s *SQLStore) TouchSession(ctx context.Context, tokenHash string, lastSeen, idleExpiresAt time.Time) error {
	return execOne(ctx, s.conn(), `UPDATE sessions SET last_seen_at = ?, idle_expires_at = ? WHERE token_hash = ?`,
		toMillis(lastSeen), toMillis(idleExpiresAt), tokenHash)
}

// DeleteSession implements Store.
func (s *SQLStore) DeleteSession(ctx context.Context, tokenHash string) error {
	return execOne(ctx, s.conn(), `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
}

// approvalGrace is how long an expired step-up approval is kept, so that
// using it is refused as expired rather than unknown.
const approvalGrace = 24 * time.Hour

// sentCodeRetention is how long a code is kept after it expired; the
// resend throttle looks back at least CodeResend, far less than this.
const sentCodeRetention = 24 * time.Hour

// purge is one statement of PurgeExpired: it deletes the rows of a table
// that the cutoff, computed from now, has made useless.
type purge struct {
	query  string
	cutoff func(now time.Time) []any
}

// purges are the statements of PurgeExpired, each searching by an indexed
// column (see migration 0010 and TestPurgesUseIndexes).
var purges = []purge{
	{`DELETE FROM logins WHERE expires_at <= ?`, at(0)},
	{`DELETE FROM sessions WHERE idle_expires_at <= ?`, at(0)},
	{`DELETE FROM sessions WHERE absolute_expires_at <= ?`, at(0)},
	{`DELETE FROM webauthn_challenges WHERE expires_at <= ?`, at(0)},
	{`DELETE FROM approvals WHERE expires_at <= ?`, at(approvalGrace)},
	{`DELETE FROM push_requests WHERE expires_at <= ?`, at(0)},
	{`DELETE FROM push_provisioning WHERE expires_at <= ?`, at(0)},
	{`DELETE FROM sent_codes WHERE expires_at <= ?`, at(sentCodeRetention)},
	{`DELETE FROM links WHERE expires_at <= ?`, at(linkRetention)},
	// Accounts never activated free their usernames (their contact
	// values and links go with them).
	{`DELETE FROM users WHERE activated_at = 0 AND created_at <= ?`, at(unactivatedRetention)},
	{`DELETE FROM sign_in_activity WHERE at <= ?`, at(activityRetention)},
	// Sent and given-up messages have no text left; their rows serve
	// `outbox list` and the per-recipient throttle for a while.
	{`DELETE FROM outbox WHERE created_at <= ? AND status <> ?`, func(now time.Time) []any {
		return []any{toMillis(now.Add(-outboxRetention)), OutboxPending}
	}},
	// Password failures are forgotten failureMemory after the last one,
	// and kept at least as long as the lock they led to.
	{`DELETE FROM password_failures WHERE last_failure_at <= ? AND locked_until <= ?`, func(now time.Time) []any {
		return []any{toMillis(now.Add(-failureMemory)), toMillis(now)}
	}},
}

// at is the cutoff "expired for longer than grace".
func at(grace time.Duration) func(now time.Time) []any {
	return func(now time.Time) []any { return []any{toMillis(now.Add(-grace))} }
}

// PurgeExpired implements Store.
func (s *SQLStore) PurgeExpired(ctx context.Context, now time.Time) error {
	return s.inTx(ctx, func(tx dbtx) error {
		for _, p := range purges {
			if _, err := tx.ExecContext(ctx, p.query, p.cutoff(now)...); err != nil {
				return fmt.Errorf("%s: %w", p.query, err)
			}
		}
		return nil
	})
}

// execOne runs a statement that must change exactly one row; ErrNotFound
// when it changed none.
func execOne(ctx context.Context, db dbtx, query string, args ...any) error {
	res, err := db.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// DeleteOtherSessions implements Store.
func (s *SQLStore) DeleteOtherSessions(ctx context.Context, userID, keepHash string, now time.Time) (int, error) {
	return s.endSessions(ctx, now, `user_id = ? AND token_hash <> ?`, userID, keepHash)
}
