package app

import (
	"context"

	"selfservice/api"
)

// Enrolling the push authenticator app: EnrollToken of a push template
// answers with a provisioning payload (Push) that the phone reads, from
// the screen as a QR code or from an email or SMS. Registering the phone
// activates the token; the app watches for that with Token.

// NewProvisioning makes a new provisioning payload for the PENDING push
// token id, the one before it stops working. With a channel
// (api.ChannelEmail or api.ChannelSMS) it is also sent to address,
// normalised and checked first (an invalid_request naming "address").
func (s *Session) NewProvisioning(ctx context.Context, id, channel, address string) (api.ProvisioningResponse, error) {
	req := api.ProvisioningRequest{Channel: channel}
	var addrErr error
	if channel != "" {
		req.Address, addrErr = api.NormalizeAddress(channel, address)
	}
	if err := validate(id, joinFields(addrErr, req.Validate())); err != nil {
		return api.ProvisioningResponse{}, err
	}
	return call(s, func(b Backend) (api.ProvisioningResponse, error) { return b.NewProvisioning(ctx, id, req) })
}

// TestPush checks the ACTIVE push token id with the push request pushID
// that ChallengeToken sent to the phone. Until the phone answers it fails with
// api.ErrPushPending, which costs nothing: call it again a moment later.
// api.ErrPushDenied and api.ErrPushExpired end the request.
func (s *Session) TestPush(ctx context.Context, id, pushID string) (api.Token, error) {
	req := api.OTPRequest{PushID: pushID}
	if err := validate(id, req.Validate()); err != nil {
		return api.Token{}, err
	}
	return call(s, func(b Backend) (api.Token, error) { return b.TestToken(ctx, id, req) })
}
