package app

import (
	"context"

	"selfservice/api"
)

// The user changes their own password (api.PrivPasswordUpdate). The form
// checks the new password against the server's policy as it is typed
// (api.PasswordPolicy.Check, the server's own rules); the server checks
// the rest (the last passwords, how easily it is guessed) on change.

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
