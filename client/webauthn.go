package client

import (
	"context"
	"net/http"
	"net/url"

	"selfservice/api"
)

// The calls of FIDO2 security keys. Their options and answers are the
// standard WebAuthn JSON, passed through as raw JSON. A key's answer to a
// token challenge goes to ActivateToken or TestToken, and to a login
// challenge to VerifyLogin, in the request's WebAuthn field.

// LoginChallenge prepares one of the login's tokens for the second
// sign-in step: the options for a FIDO2 key, a code sent to an SMS or
// email token, or a push request to the phone:
// POST /auth/login/{login_id}/challenge.
func (c *Client) LoginChallenge(ctx context.Context, loginID string, req api.LoginChallengeRequest) (api.ChallengeResponse, error) {
	var out api.ChallengeResponse
	err := c.do(ctx, http.MethodPost, "/auth/login/"+url.PathEscape(loginID)+"/challenge", req, &out)
	return out, err
}

// Passwordless starts a sign-in with a passkey, without username or
// password: POST /auth/passwordless.
func (c *Client) Passwordless(ctx context.Context) (api.PasswordlessResponse, error) {
	var out api.PasswordlessResponse
	err := c.do(ctx, http.MethodPost, "/auth/passwordless", nil, &out)
	return out, err
}

// VerifyPasswordless finishes a passwordless sign-in with the passkey's
// answer: POST /auth/passwordless/{login_id}/verify.
func (c *Client) VerifyPasswordless(ctx context.Context, loginID string, req api.PasswordlessVerifyRequest) (api.SessionResponse, error) {
	var out api.SessionResponse
	err := c.do(ctx, http.MethodPost, "/auth/passwordless/"+url.PathEscape(loginID)+"/verify", req, &out)
	return out, err
}

// TokenChallenge prepares a token for activate or test: the options for a
// FIDO2 token's key (to register it again while PENDING, or to test it
// once ACTIVE), a new code sent to an SMS or email token, or a test push
// request: POST /tokens/{id}/challenge.
func (c *Client) TokenChallenge(ctx context.Context, id string) (api.ChallengeResponse, error) {
	var out api.ChallengeResponse
	err := c.do(ctx, http.MethodPost, tokenPath(id)+"/challenge", nil, &out)
	return out, err
}
