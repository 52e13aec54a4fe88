package server

import (
	"errors"
	"net/http"

	"selfservice/api"
)

// The user's own sessions (sessions_view, sessions_manage): the list, and
// ending one, the others or all. Ending a session deletes it, so that its
// token fails at its very next request.

// listSessions answers GET /account/sessions: the user's sessions that
// have not expired, the newest first, the caller's flagged current.
func (s *Server) listSessions(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivSessionsView); err != nil {
		return err
	}
	recs, err := s.store.UserSessions(r.Context(), c.user.ID)
	if err != nil {
		return err
	}
	now := s.now()
	out := api.SessionsResponse{Sessions: []api.Session{}}
	for _, rec := range recs {
		if !now.Before(rec.ExpiresAt()) {
			continue // the purge removes it soon
		}
		out.Sessions = append(out.Sessions, apiSession(rec, c.session))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiSession is rec as its user sees it; current is the session of the
// request.
func apiSession(rec, current SessionRecord) api.Session {
	return api.Session{
		ID:         rec.ID,
		Device:     rec.Device,
		IP:         rec.IP,
		CreatedAt:  rec.CreatedAt,
		LastSeenAt: rec.LastSeenAt,
		ExpiresAt:  rec.ExpiresAt(),
		Current:    rec.TokenHash == current.TokenHash,
	}
}

// endSession answers DELETE /account/sessions/{id}: it ends one of the
// user's sessions, the caller's own too (that is signing out). Another
// user's session is not found.
func (s *Server) endSession(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivSessionsManage); err != nil {
		return err
	}
	ended, err := s.store.DeleteUserSession(r.Context(), c.user.ID, r.PathValue("id"))
	if errors.Is(err, ErrNotFound) {
		return apiError(api.CodeNotFound, "This session has ended already. Reload the list of sessions.")
	}
	if err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "Session ended by its user", "user", c.user.ID, "session", ended.ID,
		"current", ended.TokenHash == c.session.TokenHash)
	writeNoContent(w)
	return nil
}

// signOutSessions answers POST /account/sessions/sign-out: it ends the
// user's other sessions, or all of them.
func (s *Server) signOutSessions(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivSessionsManage); err != nil {
		return err
	}
	var req api.SignOutRequest
	if err := s.decodeValid(w, r, &req); err != nil {
		return err
	}
	ctx := r.Context()
	var out api.SignOutResponse
	var err error
	if req.Which == api.SignOutAll {
		out.SignedOut, err = s.store.DeleteUserSessions(ctx, c.user.ID, s.now())
	} else {
		out.SignedOut, err = s.store.DeleteOtherSessions(ctx, c.user.ID, c.session.TokenHash, s.now())
	}
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "Sessions ended by their user", "user", c.user.ID, "which", req.Which, "ended", out.SignedOut)
	writeJSON(w, http.StatusOK, out)
	return nil
}
