package client

import (
	"context"
	"net/http"
	"net/url"

	"selfservice/api"
)

// ChangeAddress moves an SMS or email token to a new address: a code is
// sent there, and the token keeps its old address until ConfirmAddress:
// PUT /tokens/{id}/address.
func (c *Client) ChangeAddress(ctx context.Context, id string, req api.ChangeAddressRequest) (api.ChallengeResponse, error) {
	var out api.ChallengeResponse
	err := c.do(ctx, http.MethodPut, tokenPath(id)+"/address", req, &out)
	return out, err
}

// ConfirmAddress finishes an address change with the code sent to the
// new address: POST /tokens/{id}/address/confirm.
func (c *Client) ConfirmAddress(ctx context.Context, id string, req api.OTPRequest) (api.Token, error) {
	return c.tokenCall(ctx, http.MethodPost, tokenPath(id)+"/address/confirm", req)
}

// NewProvisioning makes a new provisioning payload for a PENDING push
// token, and sends it when req names a channel:
// POST /tokens/{id}/provisioning.
func (c *Client) NewProvisioning(ctx context.Context, id string, req api.ProvisioningRequest) (api.ProvisioningResponse, error) {
	var out api.ProvisioningResponse
	err := c.do(ctx, http.MethodPost, tokenPath(id)+"/provisioning", req, &out)
	return out, err
}

// BeginQRLogin starts a passwordless sign-in that the authenticator app
// confirms by reading a QR code: POST /auth/qr.
func (c *Client) BeginQRLogin(ctx context.Context) (api.QRLoginResponse, error) {
	var out api.QRLoginResponse
	err := c.do(ctx, http.MethodPost, "/auth/qr", nil, &out)
	return out, err
}

// VerifyQRLogin asks whether the phone confirmed a QR sign-in: push_pending
// until it answers, then the new session: POST /auth/qr/{login_id}/verify.
func (c *Client) VerifyQRLogin(ctx context.Context, loginID string) (api.SessionResponse, error) {
	var out api.SessionResponse
	err := c.do(ctx, http.MethodPost, "/auth/qr/"+url.PathEscape(loginID)+"/verify", nil, &out)
	return out, err
}
