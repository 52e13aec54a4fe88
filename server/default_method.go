package server

import (
	"errors"
	"net/http"

	"selfservice/api"
)

// setDefaultMethod is PUT /account/default-method: the user makes one of
// their ACTIVE tokens the method the app preselects at sign-in and
// step-up. Another user's token, or one that is not ACTIVE, is refused
// alike.
func (s *Server) setDefaultMethod(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	if err := c.require(api.PrivTokenModify); err != nil {
		return err
	}
	var req api.DefaultMethodRequest
	if err := s.decodeValid(w, r, &req); err != nil {
		return err
	}
	t, err := s.store.Token(ctx, c.user.ID, req.TokenID)
	if errors.Is(err, ErrNotFound) || (err == nil && t.Status != api.StatusActive) {
		return api.FieldError(map[string]string{"token_id": "Only an active sign-in method can be your default. Choose one of your active methods."})
	}
	if err != nil {
		return err
	}
	if err := s.store.SetDefaultMethod(ctx, c.user.ID, t.ID); err != nil {
		return err
	}
	out := apiToken(t)
	out.Default = true
	writeJSON(w, http.StatusOK, api.TokenResponse{Token: out})
	return nil
}
