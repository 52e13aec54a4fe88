package server

import (
	"context"

	"selfservice/api"
)

// PLACEHOLDER until push requests land: replaced by their implementation.

func (s *Server) askPhone(ctx context.Context, user UserRecord, t TokenRecord, scope proofScope) (api.ChallengeResponse, error) {
	return api.ChallengeResponse{}, apiError(api.CodeNotSupported, "Push is not available yet.")
}

func (s *Server) pushCheck(ctx context.Context, t TokenRecord, scope proofScope, pushID string) (func(t *TokenRecord) error, error) {
	return nil, apiError(api.CodeNotSupported, "Push is not available yet.")
}
