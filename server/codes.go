package server

import (
	"context"

	"selfservice/api"
)

// PLACEHOLDER until SMS and email codes land: replaced by their implementation.

func (s *Server) sendCode(ctx context.Context, user UserRecord, t TokenRecord, scope proofScope) (api.ChallengeResponse, error) {
	return api.ChallengeResponse{}, apiError(api.CodeNotSupported, "SMS and email codes are not available yet.")
}

func (s *Server) sentCodeCheck(ctx context.Context, t TokenRecord, scope proofScope, otp string) (func(t *TokenRecord) error, error) {
	return nil, apiError(api.CodeNotSupported, "SMS and email codes are not available yet.")
}

func (s *Server) checkCodeEnrollment(ctx context.Context, c *caller, t *TokenRecord, address string) error {
	return apiError(api.CodeNotSupported, "SMS and email codes are not available yet.")
}

func (s *Server) sendFirstCode(ctx context.Context, tx Store, user UserRecord, t TokenRecord) (*api.CodeDelivery, error) {
	return nil, apiError(api.CodeNotSupported, "SMS and email codes are not available yet.")
}
