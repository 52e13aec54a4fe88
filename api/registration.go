package api

import (
	"strings"
	"unicode/utf8"
)

// Self-registration: someone without an account creates one at the
// sign-in screen (POST /auth/register), and confirms the email address
// they gave with the one-time link sent to it (POST
// /auth/register/activate) before their first sign-in. The answer to a
// registration does not say whether the address already has an account:
// its owner is told by email instead.

// RegisterRequest creates an account.
type RegisterRequest struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Email       string `json:"email"`
	Password    string `json:"password"`
}

// RegisterResendRequest asks for the activation link of an account that
// waits for it to be sent again; answered alike for every username.
type RegisterResendRequest struct {
	Username string `json:"username"`
}

// ActivationRequest activates an account with its link's token.
type ActivationRequest struct {
	Token string `json:"token"`
}

// Activated names the account a link activated, which may now sign in.
type Activated struct {
	Username string `json:"username"`
}

// NormalizeUsername is a username as the server stores it: trimmed, in
// lower case.
func NormalizeUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

const msgUsernameForm = "The username must be 1 to 64 characters: lower-case letters, digits, '.', '_', '-' or '@'."

// Validate checks each field's form; the server checks the password
// against its policy, and that the username is free.
func (r RegisterRequest) Validate() error {
	f := fieldErrors{}
	username := NormalizeUsername(r.Username)
	f.check(username != "", "username", "Choose a username.")
	f.check(ValidUsername(username), "username", msgUsernameForm)
	name := strings.TrimSpace(r.DisplayName)
	f.check(name != "", "display_name", "Enter your name.")
	f.check(utf8.RuneCountInString(name) <= MaxDisplayNameLen, "display_name", "The display name is at most 100 characters.")
	f.check(utf8.ValidString(name) && printable(name), "display_name", "The display name contains characters that are not allowed.")
	email := NormalizeEmail(r.Email)
	f.check(email != "", "email", msgEmailMissing)
	f.check(ValidEmail(email), "email", msgEmailInvalid)
	f.check(r.Password != "", "password", "Choose a password.")
	f.check(len(r.Password) <= MaxPasswordLen, "password", "The password is too long.")
	return f.err()
}

// Validate checks the username's form.
func (r RegisterResendRequest) Validate() error {
	f := fieldErrors{}
	f.check(ValidUsername(NormalizeUsername(r.Username)), "username", msgUsernameForm)
	return f.err()
}

// Validate checks the token's form.
func (r ActivationRequest) Validate() error {
	f := fieldErrors{}
	f.check(ValidLinkToken(r.Token), "token", msgLinkToken)
	return f.err()
}
