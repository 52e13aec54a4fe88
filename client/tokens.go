package client

import (
	"context"
	"net/http"
	"net/url"

	"selfservice/api"
)

// Templates lists the token templates the user may enroll:
// GET /token-templates.
func (c *Client) Templates(ctx context.Context) ([]api.TokenTemplate, error) {
	var out api.TemplatesResponse
	err := c.do(ctx, http.MethodGet, "/token-templates", nil, &out)
	return out.Templates, err
}

// Tokens lists the user's tokens: GET /tokens.
func (c *Client) Tokens(ctx context.Context) ([]api.Token, error) {
	var out api.TokensResponse
	err := c.do(ctx, http.MethodGet, "/tokens", nil, &out)
	return out.Tokens, err
}

// Token returns one of the user's tokens: GET /tokens/{id}.
func (c *Client) Token(ctx context.Context, id string) (api.Token, error) {
	return c.tokenCall(ctx, http.MethodGet, tokenPath(id), nil)
}

// CreateToken starts an enrollment: POST /tokens. The answer holds the
// PENDING token and, once only, what the authenticator app needs, or for
// a FIDO2 template the options to register the security key with.
func (c *Client) CreateToken(ctx context.Context, req api.CreateTokenRequest) (api.CreateTokenResponse, error) {
	var out api.CreateTokenResponse
	err := c.do(ctx, http.MethodPost, "/tokens", req, &out)
	return out, err
}

// ClaimToken claims an imported hardware token by its serial number and
// the code it shows: POST /tokens/claim. The answer is the ACTIVE token.
func (c *Client) ClaimToken(ctx context.Context, req api.ClaimTokenRequest) (api.Token, error) {
	var out api.TokenResponse
	err := c.do(ctx, http.MethodPost, "/tokens/claim", req, &out)
	return out.Token, err
}

// ActivateToken finishes an enrollment with a first code (req.OTP) or the
// security key's answer to its creation options (req.WebAuthn):
// POST /tokens/{id}/activate.
func (c *Client) ActivateToken(ctx context.Context, id string, req api.OTPRequest) (api.Token, error) {
	return c.tokenCall(ctx, http.MethodPost, tokenPath(id)+"/activate", req)
}

// TestToken checks a code of the token (req.OTP), or a security key's
// answer to the options of TokenChallenge (req.WebAuthn):
// POST /tokens/{id}/test.
func (c *Client) TestToken(ctx context.Context, id string, req api.OTPRequest) (api.Token, error) {
	return c.tokenCall(ctx, http.MethodPost, tokenPath(id)+"/test", req)
}

// ResyncToken resynchronises the token with two consecutive codes:
// POST /tokens/{id}/resync.
func (c *Client) ResyncToken(ctx context.Context, id string, req api.ResyncRequest) (api.Token, error) {
	return c.tokenCall(ctx, http.MethodPost, tokenPath(id)+"/resync", req)
}

// EnableToken makes a DISABLED token ACTIVE again:
// POST /tokens/{id}/enable.
func (c *Client) EnableToken(ctx context.Context, id string) (api.Token, error) {
	return c.tokenCall(ctx, http.MethodPost, tokenPath(id)+"/enable", nil)
}

// DisableToken disables an ACTIVE token: POST /tokens/{id}/disable.
func (c *Client) DisableToken(ctx context.Context, id string) (api.Token, error) {
	return c.tokenCall(ctx, http.MethodPost, tokenPath(id)+"/disable", nil)
}

// UpdateToken changes the token's description: PATCH /tokens/{id}.
func (c *Client) UpdateToken(ctx context.Context, id string, req api.UpdateTokenRequest) (api.Token, error) {
	return c.tokenCall(ctx, http.MethodPatch, tokenPath(id), req)
}

// SetDefaultMethod makes the token the user's preferred sign-in method:
// PUT /account/default-method.
func (c *Client) SetDefaultMethod(ctx context.Context, req api.DefaultMethodRequest) (api.Token, error) {
	return c.tokenCall(ctx, http.MethodPut, "/account/default-method", req)
}

// DeleteToken removes the token: DELETE /tokens/{id}.
func (c *Client) DeleteToken(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodDelete, tokenPath(id), nil, nil)
}

// tokenCall sends a request answered with {"token":…}.
func (c *Client) tokenCall(ctx context.Context, method, path string, body any) (api.Token, error) {
	var out api.TokenResponse
	err := c.do(ctx, method, path, body, &out)
	return out.Token, err
}

func tokenPath(id string) string {
	return "/tokens/" + url.PathEscape(id)
}
