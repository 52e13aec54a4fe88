package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"selfservice/api"
	"selfservice/server/notify"
)

// listActivity answers GET /account/activity?limit=N: the user's newest
// sign-in attempts, at most N (default api.DefaultActivityLimit, up to
// api.MaxActivityLimit).
func (s *Server) listActivity(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivSessionsView); err != nil {
		return err
	}
	limit := api.DefaultActivityLimit
	if raw := r.URL.Query().Get("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > api.MaxActivityLimit {
			return api.FieldError(map[string]string{"limit": fmt.Sprintf("Give a number from 1 to %d.", api.MaxActivityLimit)})
		}
		limit = n
	}
	recs, err := s.store.SignIns(r.Context(), c.user.ID, limit)
	if err != nil {
		return err
	}
	out := api.ActivityResponse{Attempts: make([]api.SignInAttempt, 0, len(recs))}
	for _, rec := range recs {
		out.Attempts = append(out.Attempts, apiSignIn(rec))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func apiSignIn(rec SignInRecord) api.SignInAttempt {
	a := api.SignInAttempt{ID: rec.ID, At: rec.At, Method: rec.Method, Result: rec.Result, IP: rec.IP, Device: rec.Device}
	if !rec.ReportedAt.IsZero() {
		a.ReportedAt = &rec.ReportedAt
	}
	return a
}

// reportSignIn answers POST /account/activity/{id}/report, "This wasn't
// me": in one transaction it marks the attempt reported (once: again is
// a conflict), ends every session of the user, the caller's too, and
// queues a notice of the attempt to the helpdesk address of the
// organisation's configuration, if it has one.
func (s *Server) reportSignIn(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivSessionsManage); err != nil {
		return err
	}
	ctx := r.Context()
	helpdesk := s.cfg.Tenant.Sessions.HelpdeskEmail
	var out api.ReportResponse
	var reported SignInRecord
	err := s.store.Atomically(ctx, func(tx Store) error {
		var err error
		reported, err = tx.ReportSignIn(ctx, c.user.ID, r.PathValue("id"), s.now())
		if err != nil {
			return err
		}
		if out.SignedOut, err = tx.DeleteUserSessions(ctx, c.user.ID, s.now()); err != nil {
			return err
		}
		out.HelpdeskTold = helpdesk != ""
		if !out.HelpdeskTold {
			return nil
		}
		return s.enqueueNotice(ctx, tx, c.user.ID, s.reportNotice(helpdesk, c.user, reported))
	})
	switch {
	case errors.Is(err, ErrNotFound):
		return apiError(api.CodeNotFound, "This sign-in is no longer in your activity. Reload the list.")
	case errors.Is(err, ErrConflict):
		return apiError(api.CodeConflict, "You reported this sign-in already; the helpdesk knows of it.")
	case err != nil:
		return err
	}
	level := s.log.InfoContext
	if !out.HelpdeskTold {
		level = s.log.WarnContext // nobody else hears of it: the log must say it
	}
	level(ctx, "Sign-in reported by its user as not theirs", "user", c.user.ID, "username", c.user.Username,
		"attempt", reported.ID, "at", reported.At.UTC().Format(time.RFC3339), "method", reported.Method,
		"result", reported.Result, "ip", reported.IP, "device", reported.Device,
		"sessions_ended", out.SignedOut, "helpdesk_told", out.HelpdeskTold)
	writeJSON(w, http.StatusOK, out)
	return nil
}

// reportNotice is the helpdesk's email about a reported sign-in.
func (s *Server) reportNotice(to string, user UserRecord, a SignInRecord) notify.Message {
	device := a.Device
	if device == "" {
		device = "not named"
	}
	body := fmt.Sprintf(`%s (%s) says this sign-in to %s was not theirs:

  Time:    %s
  Method:  %s
  Result:  %s
  From:    %s
  Device:  %s

Every session of the user was ended; they must sign in again. If the sign-in succeeded, someone else may know their password and sign-in method: contact the user and check their account.
`, user.DisplayName, user.Username, s.cfg.Issuer, a.At.UTC().Format("2006-01-02 15:04:05 UTC"), a.Method, a.Result, a.IP, device)
	return notify.Message{Channel: notify.ChannelEmail, To: to, Subject: "Sign-in reported as not theirs: " + user.Username, Body: body}
}
