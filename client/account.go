package client

import (
	"context"
	"net/http"

	"selfservice/api"
)

// PasswordPolicy returns the rules a new password must follow; check a
// password against them with api.PasswordPolicy.Check as it is typed.
func (c *Client) PasswordPolicy(ctx context.Context) (api.PasswordPolicy, error) {
	var out api.PasswordPolicy
	err := c.do(ctx, http.MethodGet, "/account/password/policy", nil, &out)
	return out, err
}

// ChangePassword changes the signed-in user's password. A wrong current
// password or a new one that breaks the policy is an invalid_request
// error naming the field; with SignOutOthers the user's other sessions
// end, and the answer says how many. Approvable (password.update): the
// server checks both passwords before it asks for a step-up or sends the
// change to approvers; an approved request is finished by sending both
// passwords again with its id as the approval.
func (c *Client) ChangePassword(ctx context.Context, req api.ChangePasswordRequest) (api.ChangePasswordResponse, error) {
	var out api.ChangePasswordResponse
	err := c.do(ctx, http.MethodPut, "/account/password", req, &out)
	return out, err
}

// Applications returns the user's applications and the password vault's
// address (empty without one).
func (c *Client) Applications(ctx context.Context) (api.ApplicationsResponse, error) {
	var out api.ApplicationsResponse
	err := c.do(ctx, http.MethodGet, "/account/applications", nil, &out)
	return out, err
}
