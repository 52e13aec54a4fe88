package client

import (
	"context"
	"net/http"
	"net/url"

	"selfservice/api"
)

// The calls of the authenticator app on the phone. They need no session:
// RegisterDevice proves itself with the provisioning code, the others
// with the device key's signature, which the caller makes (see package
// authenticator).

// RegisterDevice registers the phone's public key with the code of a
// provisioning payload, which activates the push token: POST
// /push/devices.
func (c *Client) RegisterDevice(ctx context.Context, req api.DeviceRegistration) (api.DeviceRegistrationResponse, error) {
	var out api.DeviceRegistrationResponse
	err := c.do(ctx, http.MethodPost, "/push/devices", req, &out)
	return out, err
}

// PushPending lists the push requests waiting for the device, signed
// over api.PendingPayload: POST /push/pending.
func (c *Client) PushPending(ctx context.Context, req api.PendingPushRequest) ([]api.PushRequest, error) {
	var out api.PushRequestsResponse
	err := c.do(ctx, http.MethodPost, "/push/pending", req, &out)
	return out.Requests, err
}

// AnswerPush approves or denies a push request, signed over
// api.AnswerPayload: POST /push/requests/{id}/answer.
func (c *Client) AnswerPush(ctx context.Context, id string, req api.PushAnswer) error {
	return c.do(ctx, http.MethodPost, "/push/requests/"+url.PathEscape(id)+"/answer", req, nil)
}
