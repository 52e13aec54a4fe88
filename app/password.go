package app

import (
	"context"
	"errors"

	"selfservice/api"
)

// The user changes their own password (api.PrivPasswordUpdate). The form
// checks the new password against the server's policy as it is typed
// (api.PasswordPolicy.Check, the server's own rules); the server checks
// the rest (the last passwords, how easily it is guessed) on change.
// The change is approvable (api.OpPasswordUpdate): a step-up is confirmed
// as for any approvable call; a change sent to approvers is finished,
// once approved, by ChangePassword again with the request's id as the
// approval (api.WithApproval) and the same passwords.

// PasswordPolicy is the server's rules for a new password.
func (s *Session) PasswordPolicy(ctx context.Context) (api.PasswordPolicy, error) {
	return call(s, func(b Backend) (api.PasswordPolicy, error) {
		return b.PasswordPolicy(ctx)
	})
}

// ChangePassword changes the password to newPassword, typed twice, and
// with signOutOthers ends the user's other sessions; it returns how many
// ended. A repeat that differs is a field error of "confirm_password",
// found before anything is sent; the server's refusals name
// "current_password" or "new_password".
func (s *Session) ChangePassword(ctx context.Context, current, newPassword, repeat string, signOutOthers bool) (int, error) {
	if repeat != newPassword {
		return 0, api.FieldError(map[string]string{"confirm_password": "The two new passwords differ. Type the same password in both fields."})
	}
	req := api.ChangePasswordRequest{CurrentPassword: current, NewPassword: newPassword, SignOutOthers: signOutOthers}
	if err := req.Validate(); err != nil {
		return 0, err
	}
	out, err := call(s, func(b Backend) (api.ChangePasswordResponse, error) {
		return b.ChangePassword(ctx, req)
	})
	return out.SignedOut, err
}

// PasswordRequest is the user's latest request to change their password,
// whatever its status, or nil when there is none or the user may not
// list their requests. The Password area tells with it where a change
// sent to approvers stands, and finishes an approved one.
func (s *Session) PasswordRequest(ctx context.Context) (*api.ApprovalRequest, error) {
	if !s.Can(api.PrivMyRequestsList) {
		return nil, nil
	}
	reqs, err := s.Requests(ctx, api.FilterAll)
	if errors.Is(err, api.ErrPrivilegeMissing) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	for i := range reqs { // newest first
		if reqs[i].Operation == api.OpPasswordUpdate {
			return &reqs[i], nil
		}
	}
	return nil, nil
}
