package client

import (
	"context"
	"net/http"

	"selfservice/api"
)

// RecoveryOptions says which recovery the sign-in screen may offer:
// GET /auth/recovery.
func (c *Client) RecoveryOptions(ctx context.Context) (api.RecoveryOptions, error) {
	var out api.RecoveryOptions
	err := c.do(ctx, http.MethodGet, "/auth/recovery", nil, &out)
	return out, err
}

// RequestPasswordReset asks for a reset link for the account of a
// username or email address: POST /auth/password-reset. The answer is the
// same whether or not an account matches.
func (c *Client) RequestPasswordReset(ctx context.Context, req api.PasswordResetRequest) (api.RecoverySent, error) {
	var out api.RecoverySent
	err := c.do(ctx, http.MethodPost, "/auth/password-reset", req, &out)
	return out, err
}

// CheckResetLink says whose password a reset link resets, until when, and
// the rules of the new one: POST /auth/password-reset/check.
func (c *Client) CheckResetLink(ctx context.Context, token string) (api.ResetLink, error) {
	var out api.ResetLink
	err := c.do(ctx, http.MethodPost, "/auth/password-reset/check", api.ResetLinkRequest{Token: token}, &out)
	return out, err
}

// ResetPassword sets a new password with a reset link:
// POST /auth/password-reset/finish.
func (c *Client) ResetPassword(ctx context.Context, req api.ResetPasswordRequest) (api.ResetPasswordResponse, error) {
	var out api.ResetPasswordResponse
	err := c.do(ctx, http.MethodPost, "/auth/password-reset/finish", req, &out)
	return out, err
}

// RemindUsername sends the usernames of the accounts with an email
// address to it: POST /auth/username-reminder.
func (c *Client) RemindUsername(ctx context.Context, req api.UsernameReminderRequest) (api.RecoverySent, error) {
	var out api.RecoverySent
	err := c.do(ctx, http.MethodPost, "/auth/username-reminder", req, &out)
	return out, err
}

// Register creates an account: POST /auth/register. With activation, it
// signs in once the link emailed to the address is opened.
func (c *Client) Register(ctx context.Context, req api.RegisterRequest) (api.RecoverySent, error) {
	var out api.RecoverySent
	err := c.do(ctx, http.MethodPost, "/auth/register", req, &out)
	return out, err
}

// ResendActivation sends an account's activation link again:
// POST /auth/register/resend, answered alike for every username.
func (c *Client) ResendActivation(ctx context.Context, username string) (api.RecoverySent, error) {
	var out api.RecoverySent
	err := c.do(ctx, http.MethodPost, "/auth/register/resend", api.RegisterResendRequest{Username: username}, &out)
	return out, err
}

// Activate activates an account with its link's token:
// POST /auth/register/activate.
func (c *Client) Activate(ctx context.Context, token string) (api.Activated, error) {
	var out api.Activated
	err := c.do(ctx, http.MethodPost, "/auth/register/activate", api.ActivationRequest{Token: token}, &out)
	return out, err
}
