package server

import (
	"context"
	"database/sql"
	"time"
)

const emergencySelect = `SELECT id, user_id, code_hash, created_at, expires_at, uses_left, issued_by,
	failures, locked_until, deactivated_at, deactivate_reason FROM emergency_codes`

func scanEmergencyCode(row *sql.Row) (EmergencyCodeRecord, error) {
	var e EmergencyCodeRecord
	var created, expires, locked, deactivated int64
	err := row.Scan(&e.ID, &e.UserID, &e.CodeHash, &created, &expires, &e.UsesLeft, &e.IssuedBy,
		&e.Failures.Count, &locked, &deactivated, &e.DeactivateReason)
	if err != nil {
		return EmergencyCodeRecord{}, notFound(err)
	}
	e.CreatedAt, e.ExpiresAt = fromMillis(created), fromMillis(expires)
	e.Failures.LockedUntil, e.DeactivatedAt = fromMillis(locked), fromMillis(deactivated)
	return e, nil
}

// IssueEmergencyCode implements Store.
func (s *SQLStore) IssueEmergencyCode(ctx context.Context, e EmergencyCodeRecord) error {
	return s.inTx(ctx, func(tx dbtx) error {
		if err := deactivateEmergency(ctx, tx, e.UserID, ReasonReplaced, e.CreatedAt); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO emergency_codes (id, user_id, code_hash, created_at, expires_at,
			uses_left, issued_by) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			e.ID, e.UserID, e.CodeHash, toMillis(e.CreatedAt), toMillis(e.ExpiresAt), e.UsesLeft, e.IssuedBy)
		return err
	})
}

// EmergencyCode implements Store.
func (s *SQLStore) EmergencyCode(ctx context.Context, userID string) (EmergencyCodeRecord, error) {
	return scanEmergencyCode(s.conn().QueryRowContext(ctx, emergencySelect+` WHERE user_id = ? AND deactivated_at = 0`, userID))
}

// UpdateEmergencyCode implements Store.
func (s *SQLStore) UpdateEmergencyCode(ctx context.Context, userID string, change func(e *EmergencyCodeRecord) error) (EmergencyCodeRecord, error) {
	var e EmergencyCodeRecord
	err := s.inTx(ctx, func(tx dbtx) error {
		var err error
		e, err = scanEmergencyCode(tx.QueryRowContext(ctx, emergencySelect+` WHERE user_id = ? AND deactivated_at = 0`, userID))
		if err != nil {
			return err
		}
		if err := change(&e); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE emergency_codes SET uses_left = ?, failures = ?, locked_until = ?,
			deactivated_at = ?, deactivate_reason = ? WHERE id = ?`,
			e.UsesLeft, e.Failures.Count, toMillis(e.Failures.LockedUntil), toMillis(e.DeactivatedAt), e.DeactivateReason, e.ID)
		return err
	})
	return e, err
}

// DeactivateEmergencyCode implements Store.
func (s *SQLStore) DeactivateEmergencyCode(ctx context.Context, userID, reason string, now time.Time) error {
	return s.inTx(ctx, func(tx dbtx) error {
		return deactivateEmergency(ctx, tx, userID, reason, now)
	})
}

func deactivateEmergency(ctx context.Context, tx dbtx, userID, reason string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE emergency_codes SET deactivated_at = ?, deactivate_reason = ?
		WHERE user_id = ? AND deactivated_at = 0`, toMillis(now), reason, userID)
	return err
}
