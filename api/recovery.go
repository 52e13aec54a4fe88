package api

import (
	"encoding/base64"
	"net/url"
	"strings"
	"time"
)

// Recovery at sign-in, for users who cannot sign in: a password reset by
// a one-time link sent by email, and a reminder of the username. Both are
// answered alike whether or not an account matches, so that nobody learns
// who has an account here.

// LinkTokenLen is the length of the token of a one-time link: 32 random
// bytes, base64url without padding.
const LinkTokenLen = 43

// RecoveryOptions says which recovery the organisation offers
// (GET /auth/recovery), so that the sign-in screen shows only those.
type RecoveryOptions struct {
	PasswordReset    bool `json:"password_reset"`
	UsernameReminder bool `json:"username_reminder"`
	// Registration: the sign-in screen offers Create account.
	Registration bool `json:"registration"`
	// PasswordPolicy is the policy a new account's password passes, when
	// registration is offered.
	PasswordPolicy *PasswordPolicy `json:"password_policy,omitempty"`
}

// PasswordResetRequest asks for a link to reset the password of the
// account with this username, or with this confirmed email address.
type PasswordResetRequest struct {
	Login string `json:"login"`
}

// UsernameReminderRequest asks for the usernames of the accounts with
// this confirmed email address to be sent to it.
type UsernameReminderRequest struct {
	Email string `json:"email"`
}

// RecoverySent is the answer to a recovery request, the same whether or
// not an account matched: what to look for, and when asking again can
// send another message.
type RecoverySent struct {
	Message  string    `json:"message"`
	ResendAt time.Time `json:"resend_at"`
}

// ResetLinkRequest names the link of a password reset, to look at it
// (POST /auth/password-reset/check) before choosing the password.
type ResetLinkRequest struct {
	Token string `json:"token"`
}

// ResetLink is what a working reset link is for: whose password, until
// when, and the rules the new one must pass.
type ResetLink struct {
	Username  string         `json:"username"`
	ExpiresAt time.Time      `json:"expires_at"`
	Policy    PasswordPolicy `json:"policy"`
}

// ResetPasswordRequest sets a new password with a reset link's token.
type ResetPasswordRequest struct {
	Token       string `json:"token"`
	NewPassword string `json:"new_password"`
}

// ResetPasswordResponse says how many sessions of the account the reset
// ended: all of them, since someone else may have known the password.
type ResetPasswordResponse struct {
	SignedOut int `json:"signed_out"`
}

// Validate checks that a username or an email address was given.
func (r PasswordResetRequest) Validate() error {
	f := fieldErrors{}
	login := strings.TrimSpace(r.Login)
	f.check(login != "", "login", "Enter your username or your email address.")
	f.check(len(login) <= maxEmailLen, "login", "This is too long for a username or an email address.")
	if strings.Contains(login, "@") {
		f.check(ValidEmail(NormalizeEmail(login)), "login", msgEmailInvalid)
	}
	return f.err()
}

// Validate checks the email address.
func (r UsernameReminderRequest) Validate() error {
	_, err := normalizeAddress(ChannelEmail, r.Email, "email")
	return err
}

// Validate checks the token's form.
func (r ResetLinkRequest) Validate() error {
	f := fieldErrors{}
	f.check(ValidLinkToken(r.Token), "token", msgLinkToken)
	return f.err()
}

// Validate checks the token's form and that a password was given; the
// server checks the password against its policy.
func (r ResetPasswordRequest) Validate() error {
	f := fieldErrors{}
	f.check(ValidLinkToken(r.Token), "token", msgLinkToken)
	f.check(r.NewPassword != "", "new_password", "Enter the new password.")
	f.check(len(r.NewPassword) <= MaxPasswordLen, "new_password", "The password is too long.")
	return f.err()
}

const msgLinkToken = "This is not the link from the email. Copy the whole link and paste it here."

// ValidLinkToken reports whether s has the form of a link's token.
func ValidLinkToken(s string) bool {
	if len(s) != LinkTokenLen {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}

// LinkToken finds the token in what a user pasted: the whole link from
// the email (the token is its last path segment or its fragment), or the
// token alone. ok is false when there is none.
func LinkToken(pasted string) (token string, ok bool) {
	s := strings.TrimSpace(pasted)
	if u, err := url.Parse(s); err == nil && u.Scheme != "" {
		s = u.Fragment
		if s == "" {
			s = u.Path[strings.LastIndex(u.Path, "/")+1:]
		}
	}
	return s, ValidLinkToken(s)
}
