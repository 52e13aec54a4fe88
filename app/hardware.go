package app

import (
	"context"
	"strings"

	"selfservice/api"
)

// Helpdesk staff (api.PrivHardwareUnassign) look up the hardware tokens
// another user holds and take one back, e.g. when it is broken, lost or
// handed in. The user's last ACTIVE token goes only with force, which the
// server accepts only after a recent sign-in: api.ForceAllowed tells from
// the refusal whether it would now.

// UserHardwareTokens lists the hardware tokens the user username holds.
// A username that cannot be one is an invalid_request naming the field
// "username"; an unknown user is not_found.
func (s *Session) UserHardwareTokens(ctx context.Context, username string) (api.HardwareDevicesResponse, error) {
	username, err := helpdeskUsername(username)
	if err != nil {
		return api.HardwareDevicesResponse{}, err
	}
	return call(s, func(b Backend) (api.HardwareDevicesResponse, error) {
		return b.HardwareTokens(ctx, username)
	})
}

// UnassignHardwareToken takes the hardware token serial back from the
// user username: their token of it is deleted and the serial can be
// claimed again. It returns the devices they still hold.
func (s *Session) UnassignHardwareToken(ctx context.Context, username, serial string, force bool) (api.HardwareDevicesResponse, error) {
	username, err := helpdeskUsername(username)
	if err != nil {
		return api.HardwareDevicesResponse{}, err
	}
	serial = api.NormalizeSerial(serial)
	return call(s, func(b Backend) (api.HardwareDevicesResponse, error) {
		return b.UnassignHardwareToken(ctx, username, serial, force)
	})
}

// helpdeskUsername normalises the username of the person helpdesk works
// on, or says in a field error that it cannot be one.
func helpdeskUsername(username string) (string, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	if !api.ValidUsername(username) {
		return "", api.FieldError(map[string]string{"username": "Enter the username of the person whose hardware tokens you look after."})
	}
	return username, nil
}
