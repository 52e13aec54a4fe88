package server

import (
	"context"
	"database/sql"
	"errors"
)

// DefaultMethod implements SignInStore.
func (s *SQLStore) DefaultMethod(ctx context.Context, userID string) (string, error) {
	var id string
	err := s.conn().QueryRowContext(ctx, `SELECT token_id FROM default_methods WHERE user_id = ?`, userID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// SetDefaultMethod implements SignInStore.
func (s *SQLStore) SetDefaultMethod(ctx context.Context, userID, tokenID string) error {
	_, err := s.conn().ExecContext(ctx, `INSERT INTO default_methods (user_id, token_id) VALUES (?, ?)
		ON CONFLICT (user_id) DO UPDATE SET token_id = excluded.token_id`, userID, tokenID)
	return err
}
