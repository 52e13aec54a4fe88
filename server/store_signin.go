package server

import "context"

// SignInStore keeps the sign-in method each user prefers.
type SignInStore interface {
	// DefaultMethod is the id of the user's preferred token, or "" when
	// they chose none (or deleted it).
	DefaultMethod(ctx context.Context, userID string) (string, error)
	// SetDefaultMethod makes tokenID the user's preferred token.
	SetDefaultMethod(ctx context.Context, userID, tokenID string) error
}
