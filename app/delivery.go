package app

import (
	"context"
	"errors"
	"maps"
	"strings"

	"selfservice/api"
)

// SMS and email tokens: the server sends their codes, so the app asks
// for one (ChallengeToken), and types it into ActivateToken or TestToken as
// any code. Addresses are normalised and checked here first, so that a
// wrong one is an invalid_request naming the field "address" with words
// that say how to write it.

// EnrollCodeToken starts the enrollment of an SMS or email token from a
// template of that type: the server sends the first code to address
// (Delivery says where, until when it works and from when another may be
// asked for). Activate the token with that code. Approvable like
// EnrollToken.
func (s *Session) EnrollCodeToken(ctx context.Context, template api.TokenTemplate, description, address string) (api.CreateTokenResponse, error) {
	req := api.CreateTokenRequest{TemplateID: template.ID, Description: strings.TrimSpace(description)}
	normalized, addrErr := api.NormalizeAddress(template.Type.Channel(), address)
	req.Address = normalized
	if err := joinFields(req.Validate(), addrErr); err != nil {
		return api.CreateTokenResponse{}, err
	}
	return call(s, func(b Backend) (api.CreateTokenResponse, error) { return b.CreateToken(ctx, req) })
}

// ChallengeToken prepares the token id for a proof: an SMS or email token is
// sent a new code (the one before it stops working; before
// Delivery.ResendAt of the last one the server answers resend_too_soon),
// a push token's phone is asked to confirm (poll TestPush with Push.ID).
// For a PENDING token the code or request activates it; for an ACTIVE
// one it tests it.
func (s *Session) ChallengeToken(ctx context.Context, id string) (api.ChallengeResponse, error) {
	if err := validate(id, nil); err != nil {
		return api.ChallengeResponse{}, err
	}
	return call(s, func(b Backend) (api.ChallengeResponse, error) { return b.TokenChallenge(ctx, id) })
}

// ChangeAddress asks to move the SMS or email token t to address: a code
// goes there, and the token keeps its old address until ConfirmAddress
// succeeds with that code.
func (s *Session) ChangeAddress(ctx context.Context, t api.Token, address string) (api.ChallengeResponse, error) {
	normalized, err := api.NormalizeAddress(t.Type.Channel(), address)
	if err := validate(t.ID, err); err != nil {
		return api.ChallengeResponse{}, err
	}
	req := api.ChangeAddressRequest{Address: normalized}
	return call(s, func(b Backend) (api.ChallengeResponse, error) { return b.ChangeAddress(ctx, t.ID, req) })
}

// ConfirmAddress moves the token id to its new address with the code
// sent there. The user's emergency access code, if any, stops working.
func (s *Session) ConfirmAddress(ctx context.Context, id, otp string) (api.Token, error) {
	req := api.OTPRequest{OTP: api.NormalizeOTP(otp)}
	if err := validate(id, req.Validate()); err != nil {
		return api.Token{}, err
	}
	return call(s, func(b Backend) (api.Token, error) { return b.ConfirmAddress(ctx, id, req) })
}

// joinFields merges the field errors of several checks into one
// invalid_request error; nil when all passed.
func joinFields(errs ...error) error {
	fields := map[string]string{}
	for _, err := range errs {
		var apiErr *api.Error
		if errors.As(err, &apiErr) {
			maps.Copy(fields, apiErr.FieldErrors())
		} else if err != nil {
			return err
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return api.FieldError(fields)
}
