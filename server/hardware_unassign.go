package server

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"selfservice/api"
)

// The helpdesk's side of hardware tokens: see which devices a user holds
// and take one back (broken, lost, handed in), under the rules of the
// admin's "hwtoken unassign": UnassignHardwareToken does the work for
// both. Forcing the user's last ACTIVE token is allowed only to a
// helpdesk member who signed in within Config.RecentAuth (see
// api.DetailForceAllowed for why).

// listUserHardware is GET /users/{username}/hardware-tokens.
func (s *Server) listUserHardware(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	username, err := helpdeskTarget(r, c)
	if err != nil {
		return err
	}
	user, err := s.store.UserByUsername(ctx, username)
	if errors.Is(err, ErrNotFound) {
		return errUserNotFound()
	}
	if err != nil {
		return err
	}
	out, err := userHardware(ctx, s.store, user)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// unassignUserHardware is POST
// /users/{username}/hardware-tokens/{serial}/unassign: the user's token
// of the device is deleted, and the answer lists the devices they still
// hold. A serial the user does not hold answers as an unknown user does.
func (s *Server) unassignUserHardware(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	username, err := helpdeskTarget(r, c)
	if err != nil {
		return err
	}
	var req api.UnassignHardwareRequest
	if err := s.decodeValid(w, r, &req); err != nil {
		return err
	}
	serial := api.NormalizeSerial(r.PathValue("serial"))
	forceAllowed := s.now().Sub(c.session.CreatedAt) < s.cfg.RecentAuth
	var was HardwareTokenRecord
	var out api.HardwareDevicesResponse
	err = s.store.Atomically(ctx, func(tx Store) error {
		h, err := tx.HardwareToken(ctx, serial)
		if errors.Is(err, ErrNotFound) || (err == nil && (!h.Assigned() || h.Username != username)) {
			return errHardwareNotHeld()
		}
		if err != nil {
			return err
		}
		if was, err = UnassignHardwareToken(ctx, tx, serial, req.Force && forceAllowed); err != nil {
			return err
		}
		out, err = userHardware(ctx, tx, UserRecord{ID: was.UserID, Username: was.Username})
		return err
	})
	if errors.Is(err, api.ErrLastActiveToken) {
		return errLastHardwareToken(serial, username, req.Force, forceAllowed)
	}
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "hardware token unassigned", "serial", was.Serial, "user", was.Username,
		"by", c.user.Username, "forced", req.Force)
	writeJSON(w, http.StatusOK, out)
	return nil
}

// helpdeskTarget checks that the caller may manage other users' hardware
// tokens and returns the username of the path, who must be someone else.
func helpdeskTarget(r *http.Request, c *caller) (string, error) {
	if err := c.require(api.PrivHardwareUnassign); err != nil {
		return "", err
	}
	username := strings.ToLower(strings.TrimSpace(r.PathValue("username")))
	if username == c.user.Username {
		return "", apiError(api.CodeHardwareForSelf, "You cannot take back your own hardware token here. Delete it under Sign-in methods, or ask another helpdesk member.")
	}
	return username, nil
}

// userHardware lists the hardware tokens user holds, by serial, with the
// status and last use of their tokens.
func userHardware(ctx context.Context, store Store, user UserRecord) (api.HardwareDevicesResponse, error) {
	out := api.HardwareDevicesResponse{Username: user.Username, DisplayName: user.DisplayName, Devices: []api.HardwareDevice{}}
	all, err := store.HardwareTokens(ctx)
	if err != nil {
		return out, err
	}
	tokens, err := store.Tokens(ctx, user.ID)
	if err != nil {
		return out, err
	}
	for _, h := range all {
		i := slices.IndexFunc(tokens, func(t TokenRecord) bool { return t.ID == h.TokenID })
		if !h.Assigned() || h.UserID != user.ID || i < 0 {
			continue
		}
		d := api.HardwareDevice{Serial: h.Serial, Type: h.Type, TokenID: h.TokenID, Status: tokens[i].Status}
		if used := tokens[i].LastUsedAt; !used.IsZero() {
			d.LastUsedAt = &used
		}
		out.Devices = append(out.Devices, d)
	}
	return out, nil
}

func errHardwareNotHeld() error {
	return apiError(api.CodeNotFound, "There is no such user, or they hold no hardware token with this serial number. Check the username and reload their list of devices.")
}

// errLastHardwareToken refuses to take the user's last ACTIVE token,
// saying whether forcing would be accepted now.
func errLastHardwareToken(serial, username string, forced, forceAllowed bool) error {
	msg := "The hardware token " + serial + " is the last active sign-in method of " + username + ". Without it they can sign in with their password only, to add a new method. Let them add another method first, or take it back anyway."
	if !forceAllowed {
		msg = "The hardware token " + serial + " is the last active sign-in method of " + username + ". Let them add another method first. Taking it back anyway needs a fresh sign-in: sign out, sign in again and retry at once."
	}
	if forced && !forceAllowed {
		msg = "Your sign-in is too old to take back the last active sign-in method of " + username + ". Sign out, sign in again and retry at once."
	}
	return &api.Error{
		Code:    api.CodeLastActiveToken,
		Message: msg,
		Details: map[string]any{api.DetailForceAllowed: forceAllowed},
	}
}
