package app

import (
	"context"
	"errors"
	"strings"

	"selfservice/api"
)

// Emergency access codes: a user who lost their tokens signs in
// (VerifyEmergency) or confirms a step-up (VerifyStepUpEmergency) with a
// code helpdesk issued them (IssueEmergencyCode). The code may be typed
// in any case, with or without its dashes and spaces.

// VerifyEmergency is the second sign-in step with an emergency access
// code; ch.Methods offers it (api.EmergencyTokenID) while the user has a
// usable one. An invalid code is an invalid_request naming the field
// "emergency_code".
func (s *Session) VerifyEmergency(ctx context.Context, ch *Challenge, code string) error {
	return s.Verify(ctx, ch, api.EmergencyTokenID, code)
}

// VerifyStepUpEmergency confirms the approval approvalID with an
// emergency access code.
func (s *Session) VerifyStepUpEmergency(ctx context.Context, approvalID, code string) (api.Approval, error) {
	return s.VerifyStepUp(ctx, approvalID, api.EmergencyTokenID, code)
}

// IssueEmergencyCode issues an emergency access code to the user
// username, valid for hours and usable uses times, and returns it: the
// only time it is shown. It needs api.PrivEmergencyIssue; the input is
// checked first (an invalid_request naming username, valid_for_hours or
// uses).
func (s *Session) IssueEmergencyCode(ctx context.Context, username string, hours, uses int) (api.EmergencyCodeResponse, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	req := api.IssueEmergencyCodeRequest{ValidForHours: hours, Uses: uses}
	fields := map[string]string{}
	if !api.ValidUsername(username) {
		fields["username"] = "Enter the username of the person who needs the code."
	}
	var apiErr *api.Error
	if err := req.Validate(); errors.As(err, &apiErr) {
		for k, v := range apiErr.FieldErrors() {
			fields[k] = v
		}
	}
	if len(fields) > 0 {
		return api.EmergencyCodeResponse{}, api.FieldError(fields)
	}
	return call(s, func(b Backend) (api.EmergencyCodeResponse, error) {
		return b.IssueEmergencyCode(ctx, username, req)
	})
}

// EmergencyHolder looks up the user username before a code is issued to
// them: their name, and the code they hold now. A username that cannot
// be one is an invalid_request naming the field "username", unsent.
func (s *Session) EmergencyHolder(ctx context.Context, username string) (api.EmergencyHolderResponse, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	if !api.ValidUsername(username) {
		return api.EmergencyHolderResponse{}, api.FieldError(map[string]string{"username": "Enter the username of the person who needs the code."})
	}
	return call(s, func(b Backend) (api.EmergencyHolderResponse, error) {
		return b.EmergencyHolder(ctx, username)
	})
}
