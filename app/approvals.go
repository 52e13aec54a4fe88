package app

import (
	"context"
	"errors"
	"maps"

	"selfservice/api"
	"selfservice/hw"
)

// Step-up: an approvable action (enroll, disable or delete a token) may
// fail with approval_required (api.ApprovalRequired gives its StepUp).
// The user confirms it with one of the StepUp's methods: PrepareStepUp
// says which proof the token needs, then VerifyStepUp (a code, typed or
// sent), VerifyStepUpWithKey (a security key) or VerifyStepUpPush (the
// phone) confirms it. The action is then repeated, once, with
// api.WithApproval(ctx, approvalID); the token operations of the Session
// pass that context on.

// PrepareStepUp chooses the token tokenID to confirm the approval
// approvalID with. The answer says which proof the token gives
// (api.ProofOTP, api.ProofWebAuthn or api.ProofPush): an SMS or email
// token is sent a code now (Delivery; calling again before
// Delivery.ResendAt fails with resend_too_soon), a push token's phone is
// asked (Push: wait for it with VerifyStepUpPush).
func (s *Session) PrepareStepUp(ctx context.Context, approvalID, tokenID string) (api.ChallengeResponse, error) {
	req := api.ApprovalChallengeRequest{TokenID: tokenID}
	if err := validateApproval(approvalID, req.Validate()); err != nil {
		return api.ChallengeResponse{}, err
	}
	return call(s, func(b Backend) (api.ChallengeResponse, error) {
		return b.ApprovalChallenge(ctx, approvalID, req)
	})
}

// VerifyStepUp confirms the approval approvalID with a code of the token
// tokenID, or for api.EmergencyTokenID an emergency access code (see
// VerifyStepUpEmergency). Spaces and dashes in the code are removed; an
// invalid code is an invalid_request naming the field "otp" (or
// "emergency_code").
func (s *Session) VerifyStepUp(ctx context.Context, approvalID, tokenID, otp string) (api.Approval, error) {
	req := api.VerifyApprovalRequest{TokenID: tokenID, OTP: api.NormalizeOTP(otp)}
	if tokenID == api.EmergencyTokenID {
		req = api.VerifyApprovalRequest{TokenID: tokenID, EmergencyCode: api.NormalizeEmergencyCode(otp)}
	}
	if err := validateApproval(approvalID, req.Validate()); err != nil {
		return api.Approval{}, err
	}
	return call(s, func(b Backend) (api.Approval, error) { return b.VerifyApproval(ctx, approvalID, req) })
}

// VerifyStepUpPush confirms the approval approvalID once the phone of
// the push token tokenID has confirmed the push request pushID (the
// Push.ID of PrepareStepUp). Until the phone answers it fails with
// api.ErrPushPending, which costs nothing: call it again a moment later.
// After api.ErrPushDenied or api.ErrPushExpired the request is over;
// PrepareStepUp sends a new one.
func (s *Session) VerifyStepUpPush(ctx context.Context, approvalID, tokenID, pushID string) (api.Approval, error) {
	req := api.VerifyApprovalRequest{TokenID: tokenID, PushID: pushID}
	if err := validateApproval(approvalID, req.Validate()); err != nil {
		return api.Approval{}, err
	}
	return call(s, func(b Backend) (api.Approval, error) { return b.VerifyApproval(ctx, approvalID, req) })
}

// VerifyStepUpWithKey confirms the approval approvalID with the security
// key a of the FIDO2 token tokenID. Each call is one attempt with fresh
// options from the server, as the other ceremonies with a key (see
// fido2.go for pin and events).
func (s *Session) VerifyStepUpWithKey(ctx context.Context, approvalID, tokenID string, a hw.Authenticator, pin string, events func(hw.Event)) (api.Approval, error) {
	ch, err := s.PrepareStepUp(ctx, approvalID, tokenID)
	if err != nil {
		return api.Approval{}, err
	}
	options, err := keyOptions(ch)
	if err != nil {
		return api.Approval{}, err
	}
	answer, err := hw.Authenticate(ctx, a, options, "", pin, events)
	if err != nil {
		return api.Approval{}, err
	}
	req := api.VerifyApprovalRequest{TokenID: tokenID, WebAuthn: answer}
	return call(s, func(b Backend) (api.Approval, error) { return b.VerifyApproval(ctx, approvalID, req) })
}

// validateApproval adds a check of the approval id to the request's own
// validation.
func validateApproval(approvalID string, reqErr error) error {
	if approvalID != "" {
		return reqErr
	}
	fields := map[string]string{"approval_id": "Start the action again."}
	var apiErr *api.Error
	if errors.As(reqErr, &apiErr) {
		maps.Copy(fields, apiErr.FieldErrors())
	}
	return api.FieldError(fields)
}
