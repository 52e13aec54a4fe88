package client

import (
	"context"
	"net/http"
	"net/url"

	"selfservice/api"
)

// Login is the first sign-in step: POST /auth/login. The answer either
// asks for a second factor (LoginID and Methods) or, for a user without
// an ACTIVE token, carries an enrollment-only session.
func (c *Client) Login(ctx context.Context, req api.LoginRequest) (api.LoginResponse, error) {
	var out api.LoginResponse
	err := c.do(ctx, http.MethodPost, "/auth/login", req, &out)
	return out, err
}

// VerifyLogin is the second sign-in step, with a code (req.OTP) or a
// security key's answer to the options of LoginChallenge (req.WebAuthn):
// POST /auth/login/{login_id}/verify.
func (c *Client) VerifyLogin(ctx context.Context, loginID string, req api.VerifyLoginRequest) (api.SessionResponse, error) {
	var out api.SessionResponse
	err := c.do(ctx, http.MethodPost, "/auth/login/"+url.PathEscape(loginID)+"/verify", req, &out)
	return out, err
}

// Logout ends the current session on the server: POST /auth/logout. It
// does not clear the token kept by the client; call SetSessionToken("").
func (c *Client) Logout(ctx context.Context) error {
	return c.do(ctx, http.MethodPost, "/auth/logout", nil, nil)
}

// Me returns the signed-in user and their privileges: GET /me.
func (c *Client) Me(ctx context.Context) (api.MeResponse, error) {
	var out api.MeResponse
	err := c.do(ctx, http.MethodGet, "/me", nil, &out)
	return out, err
}
