package server

import (
	"context"
	"net/http"

	"selfservice/api"
)

// PLACEHOLDER until push requests land: replaced by their implementation.

func (s *Server) askPhone(ctx context.Context, user UserRecord, t TokenRecord, scope proofScope) (api.ChallengeResponse, error) {
	return api.ChallengeResponse{}, apiError(api.CodeNotSupported, "Push is not available yet.")
}

func (s *Server) pushCheck(ctx context.Context, t TokenRecord, scope proofScope, pushID string) (func(t *TokenRecord) error, error) {
	return nil, apiError(api.CodeNotSupported, "Push is not available yet.")
}

func (s *Server) checkPushEnrollment(ctx context.Context, c *caller) error {
	return apiError(api.CodeNotSupported, "Push is not available yet.")
}

// authorizeEnrollment is authorize for an enrollment; a push token's
// enrollment may need a step-up whatever the policy.
func (s *Server) authorizeEnrollment(w http.ResponseWriter, r *http.Request, c *caller, t TokenRecord, a approvable) (grant, bool, error) {
	return s.authorize(w, r, c, a)
}

func (s *Server) newProvisioning(ctx context.Context, tx Store, r *http.Request, user UserRecord, t TokenRecord) (*api.PushProvisioning, error) {
	return nil, apiError(api.CodeNotSupported, "Push is not available yet.")
}
