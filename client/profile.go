package client

import (
	"context"
	"net/http"

	"selfservice/api"
)

// Profile returns the signed-in user's profile and preferences, with the
// languages and date formats the organisation offers.
func (c *Client) Profile(ctx context.Context) (api.Profile, error) {
	var out api.Profile
	err := c.do(ctx, http.MethodGet, "/account/profile", nil, &out)
	return out, err
}

// UpdateProfile changes what req sets and returns the changed profile. A
// refusal is an invalid_request error naming each wrong part
// (display_name, fields.ID, language, time_zone, date_format); nothing is
// changed then.
func (c *Client) UpdateProfile(ctx context.Context, req api.UpdateProfileRequest) (api.Profile, error) {
	var out api.Profile
	err := c.do(ctx, http.MethodPatch, "/account/profile", req, &out)
	return out, err
}
