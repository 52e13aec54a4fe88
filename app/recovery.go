package app

import (
	"context"
	"strings"

	"selfservice/api"
)

// Recovery at sign-in, for a user who cannot sign in: a password reset by
// the one-time link the server emails (pasted into the app, or opened in
// the browser), and a reminder of the username. Each call takes the
// server address of the sign-in screen, since nobody is signed in.

// RecoveryOptions says which recovery the server at serverURL offers.
func (s *Session) RecoveryOptions(ctx context.Context, serverURL string) (api.RecoveryOptions, error) {
	b, err := s.anonymous(serverURL)
	if err != nil {
		return api.RecoveryOptions{}, err
	}
	return b.RecoveryOptions(ctx)
}

// RequestPasswordReset asks for a reset link for the account of login (a
// username or an email address). The answer is the same whether or not
// an account matches; a bad login is a field error of "login".
func (s *Session) RequestPasswordReset(ctx context.Context, serverURL, login string) (api.RecoverySent, error) {
	req := api.PasswordResetRequest{Login: strings.TrimSpace(login)}
	if err := req.Validate(); err != nil {
		return api.RecoverySent{}, err
	}
	b, err := s.anonymous(serverURL)
	if err != nil {
		return api.RecoverySent{}, err
	}
	return b.RequestPasswordReset(ctx, req)
}

// ResetLink is a working reset link: its token, and what the server says
// it is for.
type ResetLink struct {
	api.ResetLink
	token string
}

// OpenResetLink reads the link the user pasted (the whole link from the
// email, or its last part) and asks the server what it resets. Something
// that is no link is a field error of "link", found before anything is
// sent; an expired or used link is api.ErrLinkInvalid.
func (s *Session) OpenResetLink(ctx context.Context, serverURL, pasted string) (*ResetLink, error) {
	token, ok := api.LinkToken(pasted)
	if !ok {
		return nil, errNotALink()
	}
	b, err := s.anonymous(serverURL)
	if err != nil {
		return nil, err
	}
	link, err := b.CheckResetLink(ctx, token)
	if err != nil {
		return nil, err
	}
	return &ResetLink{ResetLink: link, token: token}, nil
}

// ResetPassword sets newPassword, typed twice, with link. A repeat that
// differs is a field error of "confirm_password", and a password the
// policy refuses one of "new_password", found before anything is sent
// where the rules allow; it returns how many sessions of the account the
// server ended (all of them).
func (s *Session) ResetPassword(ctx context.Context, serverURL string, link *ResetLink, newPassword, repeat string) (int, error) {
	if problems := link.Policy.Check(newPassword, link.Username); len(problems) > 0 {
		return 0, api.FieldError(map[string]string{"new_password": problems[0].Message})
	}
	if repeat != newPassword {
		return 0, api.FieldError(map[string]string{"confirm_password": "The two new passwords differ. Type the same password in both fields."})
	}
	b, err := s.anonymous(serverURL)
	if err != nil {
		return 0, err
	}
	out, err := b.ResetPassword(ctx, api.ResetPasswordRequest{Token: link.token, NewPassword: newPassword})
	return out.SignedOut, err
}

// RemindUsername sends the usernames of the accounts with the email
// address to it; a bad address is a field error of "email".
func (s *Session) RemindUsername(ctx context.Context, serverURL, email string) (api.RecoverySent, error) {
	req := api.UsernameReminderRequest{Email: strings.TrimSpace(email)}
	if err := req.Validate(); err != nil {
		return api.RecoverySent{}, err
	}
	b, err := s.anonymous(serverURL)
	if err != nil {
		return api.RecoverySent{}, err
	}
	return b.RemindUsername(ctx, req)
}

// anonymous is a backend for the server at serverURL without a session.
func (s *Session) anonymous(serverURL string) (Backend, error) {
	serverURL = normalizeURL(serverURL)
	if serverURL == "" {
		return nil, api.FieldError(map[string]string{"server_url": "Enter the server address."})
	}
	return s.connect(serverURL)
}
