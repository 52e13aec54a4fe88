package app

import (
	"context"
	"errors"
	"maps"
	"strings"

	"selfservice/api"
)

// The token operations check their input first (an invalid_request
// *api.Error naming the field: id, template_id, description, otp, otp1,
// otp2), then call the server. Codes may contain spaces or dashes; they
// are removed. After a change that can alter the user's enrollment state
// or privileges (activate, enable, disable, delete), the user is loaded
// again so that EnrollmentRequired and Privileges stay right.
//
// Enroll, disable and delete are approvable: the server may answer
// approval_required (confirm it with the step-up helpers of
// approvals.go, then call again with a context from api.WithApproval,
// which the calls pass on) or approval_pending (the action went to
// approvers; see api.ApprovalPending).

// Templates lists the token templates the user may enroll.
func (s *Session) Templates(ctx context.Context) ([]api.TokenTemplate, error) {
	return call(s, func(b Backend) ([]api.TokenTemplate, error) { return b.Templates(ctx) })
}

// Tokens lists the user's tokens.
func (s *Session) Tokens(ctx context.Context) ([]api.Token, error) {
	return call(s, func(b Backend) ([]api.Token, error) { return b.Tokens(ctx) })
}

// Token loads one of the user's tokens, for watching it change: a push
// token becomes ACTIVE when the phone registers.
func (s *Session) Token(ctx context.Context, id string) (api.Token, error) {
	if err := validate(id, nil); err != nil {
		return api.Token{}, err
	}
	return call(s, func(b Backend) (api.Token, error) { return b.Token(ctx, id) })
}

// EnrollToken starts the enrollment of a token from a template. The
// answer's Provisioning is secret: show it to the user, never store or log
// it.
func (s *Session) EnrollToken(ctx context.Context, templateID, description string) (api.CreateTokenResponse, error) {
	req := api.CreateTokenRequest{TemplateID: templateID, Description: strings.TrimSpace(description)}
	if err := req.Validate(); err != nil {
		return api.CreateTokenResponse{}, err
	}
	return call(s, func(b Backend) (api.CreateTokenResponse, error) { return b.CreateToken(ctx, req) })
}

// ClaimHardwareToken adds an imported hardware token by the serial number
// printed on it and the code it shows; the token is ACTIVE at once.
// Approvable like EnrollToken.
func (s *Session) ClaimHardwareToken(ctx context.Context, serial, otp, description string) (api.Token, error) {
	req := api.ClaimTokenRequest{
		Serial:      api.NormalizeSerial(serial),
		OTP:         api.NormalizeOTP(otp),
		Description: strings.TrimSpace(description),
	}
	if err := req.Validate(); err != nil {
		return api.Token{}, err
	}
	return s.changeToken(ctx, func(b Backend) (api.Token, error) { return b.ClaimToken(ctx, req) })
}

// ActivateToken finishes an enrollment with the first code of the token.
func (s *Session) ActivateToken(ctx context.Context, id, otp string) (api.Token, error) {
	req := api.OTPRequest{OTP: api.NormalizeOTP(otp)}
	if err := validate(id, req.Validate()); err != nil {
		return api.Token{}, err
	}
	return s.changeToken(ctx, func(b Backend) (api.Token, error) { return b.ActivateToken(ctx, id, req) })
}

// TestToken checks a code of the token.
func (s *Session) TestToken(ctx context.Context, id, otp string) (api.Token, error) {
	req := api.OTPRequest{OTP: api.NormalizeOTP(otp)}
	if err := validate(id, req.Validate()); err != nil {
		return api.Token{}, err
	}
	return call(s, func(b Backend) (api.Token, error) { return b.TestToken(ctx, id, req) })
}

// ResyncToken resynchronises the token with two consecutive codes.
func (s *Session) ResyncToken(ctx context.Context, id, otp1, otp2 string) (api.Token, error) {
	req := api.ResyncRequest{OTP1: api.NormalizeOTP(otp1), OTP2: api.NormalizeOTP(otp2)}
	if err := validate(id, req.Validate()); err != nil {
		return api.Token{}, err
	}
	return call(s, func(b Backend) (api.Token, error) { return b.ResyncToken(ctx, id, req) })
}

// EnableToken makes a DISABLED token ACTIVE again.
func (s *Session) EnableToken(ctx context.Context, id string) (api.Token, error) {
	if err := validate(id, nil); err != nil {
		return api.Token{}, err
	}
	return s.changeToken(ctx, func(b Backend) (api.Token, error) { return b.EnableToken(ctx, id) })
}

// DisableToken disables an ACTIVE token. The server refuses to disable
// the user's last ACTIVE token (api.ErrLastActiveToken).
func (s *Session) DisableToken(ctx context.Context, id string) (api.Token, error) {
	if err := validate(id, nil); err != nil {
		return api.Token{}, err
	}
	return s.changeToken(ctx, func(b Backend) (api.Token, error) { return b.DisableToken(ctx, id) })
}

// RenameToken changes the token's description.
func (s *Session) RenameToken(ctx context.Context, id, description string) (api.Token, error) {
	req := api.UpdateTokenRequest{Description: strings.TrimSpace(description)}
	if err := validate(id, req.Validate()); err != nil {
		return api.Token{}, err
	}
	return call(s, func(b Backend) (api.Token, error) { return b.UpdateToken(ctx, id, req) })
}

// MakeDefault makes the ACTIVE token id the user's preferred sign-in
// method, which sign-in and step-up preselect.
func (s *Session) MakeDefault(ctx context.Context, id string) (api.Token, error) {
	req := api.DefaultMethodRequest{TokenID: id}
	if err := validate(id, req.Validate()); err != nil {
		return api.Token{}, err
	}
	return call(s, func(b Backend) (api.Token, error) { return b.SetDefaultMethod(ctx, req) })
}

// DeleteToken removes the token. The server refuses to delete the user's
// last ACTIVE token (api.ErrLastActiveToken).
func (s *Session) DeleteToken(ctx context.Context, id string) error {
	if err := validate(id, nil); err != nil {
		return err
	}
	_, err := s.changeToken(ctx, func(b Backend) (api.Token, error) {
		return api.Token{}, b.DeleteToken(ctx, id)
	})
	return err
}

// changeToken runs a change that may alter the user's enrollment state,
// then loads the user again.
func (s *Session) changeToken(ctx context.Context, fn func(Backend) (api.Token, error)) (api.Token, error) {
	tok, err := call(s, fn)
	if err != nil {
		return tok, err
	}
	s.refreshMe(ctx)
	return tok, nil
}

// validate adds a check of the token id to the request's own validation.
func validate(id string, reqErr error) error {
	if id != "" {
		return reqErr
	}
	fields := map[string]string{"id": "Choose a token."}
	var apiErr *api.Error
	if errors.As(reqErr, &apiErr) {
		maps.Copy(fields, apiErr.FieldErrors())
	}
	return api.FieldError(fields)
}
