package client

import (
	"context"
	"net/http"
	"net/url"

	"selfservice/api"
)

// Helpdesk staff and other users' hardware tokens (api.PrivHardwareUnassign).

// HardwareTokens lists the hardware tokens the user username holds:
// GET /users/{username}/hardware-tokens.
func (c *Client) HardwareTokens(ctx context.Context, username string) (api.HardwareDevicesResponse, error) {
	var out api.HardwareDevicesResponse
	err := c.do(ctx, http.MethodGet, hardwarePath(username), nil, &out)
	return out, err
}

// UnassignHardwareToken takes the hardware token serial back from the
// user username and returns the devices they still hold:
// POST /users/{username}/hardware-tokens/{serial}/unassign. Their last
// ACTIVE token needs force, which the server may refuse
// (api.ForceAllowed tells from the error whether it would accept it).
func (c *Client) UnassignHardwareToken(ctx context.Context, username, serial string, force bool) (api.HardwareDevicesResponse, error) {
	var out api.HardwareDevicesResponse
	err := c.do(ctx, http.MethodPost, hardwarePath(username)+"/"+url.PathEscape(serial)+"/unassign", api.UnassignHardwareRequest{Force: force}, &out)
	return out, err
}

func hardwarePath(username string) string {
	return "/users/" + url.PathEscape(username) + "/hardware-tokens"
}
