package api

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Field limits shared by the app (to say what is wrong before sending) and
// the server (which checks again).
const (
	MaxUsernameLen    = 64
	MaxPasswordLen    = 1024
	MinPasswordLen    = 8
	MaxDescriptionLen = 100
	MinOTPLen         = 6
	MaxOTPLen         = 8
	MaxCommentLen     = 500 // characters of an approver's comment
)

// NormalizeOTP removes the spaces and dashes people type or paste inside
// a code ("123 456").
func NormalizeOTP(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' {
			return -1
		}
		return r
	}, s)
}

type fieldErrors map[string]string

func (f fieldErrors) check(ok bool, field, msg string) {
	if !ok {
		if _, seen := f[field]; !seen {
			f[field] = msg
		}
	}
}

func (f fieldErrors) err() error {
	if len(f) == 0 {
		return nil
	}
	return FieldError(f)
}

func (f fieldErrors) otp(field, code string) {
	f.check(code != "", field, "Enter the code.")
	f.check(isDigits(code), field, "The code has only digits.")
	f.check(len(code) >= MinOTPLen && len(code) <= MaxOTPLen, field, "The code has 6 to 8 digits.")
}

// proof checks the one proof of possession a request carries: a code in
// otpField, or a security key response.
func (f fieldErrors) proof(otpField, code string, webauthn json.RawMessage, pushID string) {
	given := 0
	for _, set := range []bool{code != "", HasWebAuthn(webauthn), pushID != ""} {
		if set {
			given++
		}
	}
	switch {
	case given > 1:
		f.check(false, otpField, "Send one proof only: a code, a security key response or a push request.")
	case HasWebAuthn(webauthn):
		f.webauthn(webauthn)
	case pushID != "":
		f.check(len(pushID) <= maxIDLen && printable(pushID), "push_id", "The push request id is not valid. Ask for a new push.")
	default:
		f.otp(otpField, code)
	}
}

// maxIDLen bounds the ids clients send back (push requests, logins).
const maxIDLen = 128

// webauthn checks that a security key response is a JSON object; the
// server checks the rest with its WebAuthn library.
func (f fieldErrors) webauthn(raw json.RawMessage) {
	trimmed := bytes.TrimSpace(raw)
	ok := HasWebAuthn(raw) && trimmed[0] == '{' && json.Valid(trimmed)
	f.check(ok, "webauthn", "The security key response is missing or not valid. Use your security key again.")
}

// HasWebAuthn reports whether a request carries a security key response
// (a field that is absent or JSON null does not).
func HasWebAuthn(raw json.RawMessage) bool {
	trimmed := bytes.TrimSpace(raw)
	return len(trimmed) > 0 && string(trimmed) != "null"
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func printable(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// ValidUsername reports whether name can be an account name: 1 to 64
// characters of lower-case letters, digits, '.', '_', '-' and '@'.
func ValidUsername(name string) bool {
	if name == "" || len(name) > MaxUsernameLen {
		return false
	}
	for _, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("._-@", r)
		if !ok {
			return false
		}
	}
	return true
}

// Validate checks a sign-in request. It does not apply the username
// rules: an unknown name gets the same answer as a wrong password.
func (r LoginRequest) Validate() error {
	f := fieldErrors{}
	f.check(strings.TrimSpace(r.Username) != "", "username", "Enter your username.")
	f.check(len(r.Username) <= MaxUsernameLen, "username", "The username is too long.")
	f.check(r.Password != "", "password", "Enter your password.")
	f.check(len(r.Password) <= MaxPasswordLen, "password", "The password is too long.")
	return f.err()
}

// Validate checks the second sign-in step: a token and exactly one of a
// code and a security key response, or an emergency access code (in its
// normalised form).
func (r VerifyLoginRequest) Validate() error {
	f := fieldErrors{}
	if r.EmergencyCode != "" || r.TokenID == EmergencyTokenID {
		f.emergency(r.TokenID, r.EmergencyCode, r.OTP, HasWebAuthn(r.WebAuthn) || r.PushID != "")
		return f.err()
	}
	f.check(r.TokenID != "", "token_id", "Choose a sign-in method.")
	f.proof("otp", r.OTP, r.WebAuthn, r.PushID)
	return f.err()
}

// Validate checks a request for sign-in options of a FIDO2 token.
func (r LoginChallengeRequest) Validate() error {
	f := fieldErrors{}
	f.check(r.TokenID != "", "token_id", "Choose a sign-in method.")
	return f.err()
}

// Validate checks the end of a passwordless sign-in.
func (r PasswordlessVerifyRequest) Validate() error {
	f := fieldErrors{}
	f.webauthn(r.WebAuthn)
	return f.err()
}

// Validate checks an enrollment request.
func (r CreateTokenRequest) Validate() error {
	f := fieldErrors{}
	f.check(r.TemplateID != "", "template_id", "Choose a kind of token.")
	validateDescription(f, r.Description)
	return f.err()
}

// Validate checks a description change.
func (r UpdateTokenRequest) Validate() error {
	f := fieldErrors{}
	validateDescription(f, r.Description)
	return f.err()
}

func validateDescription(f fieldErrors, d string) {
	f.check(utf8.ValidString(d) && printable(d), "description", "The name contains characters that are not allowed.")
	f.check(utf8.RuneCountInString(d) <= MaxDescriptionLen, "description", "The name is at most 100 characters.")
}

// Validate checks activate or test: exactly one of a code and a security
// key response.
func (r OTPRequest) Validate() error {
	f := fieldErrors{}
	f.proof("otp", r.OTP, r.WebAuthn, r.PushID)
	return f.err()
}

// Validate checks two codes for resync.
func (r ResyncRequest) Validate() error {
	f := fieldErrors{}
	f.otp("otp1", r.OTP1)
	f.otp("otp2", r.OTP2)
	if len(f) == 0 {
		f.check(r.OTP1 != r.OTP2, "otp2", "Wait for the next code: the two codes must follow each other.")
	}
	return f.err()
}

// Validate checks the choice of a token to confirm an approval with.
func (r ApprovalChallengeRequest) Validate() error {
	f := fieldErrors{}
	f.check(r.TokenID != "", "token_id", "Choose how to confirm.")
	return f.err()
}

// Validate checks the confirmation of an approval: an emergency access
// code alone (in its normalised form), or a token with exactly one of a
// code and a security key response.
func (r VerifyApprovalRequest) Validate() error {
	f := fieldErrors{}
	if r.EmergencyCode != "" || r.TokenID == EmergencyTokenID {
		f.emergency(r.TokenID, r.EmergencyCode, r.OTP, HasWebAuthn(r.WebAuthn) || r.PushID != "")
		return f.err()
	}
	f.check(r.TokenID != "", "token_id", "Choose how to confirm.")
	f.proof("otp", r.OTP, r.WebAuthn, r.PushID)
	return f.err()
}

// Validate checks an approver's decision: the comment is required, at
// most MaxCommentLen characters, and may span lines.
func (r DecisionRequest) Validate() error {
	f := fieldErrors{}
	comment := strings.TrimSpace(r.Comment)
	f.check(comment != "", "comment", "Write a comment: the requester reads it with your decision.")
	f.check(utf8.RuneCountInString(comment) <= MaxCommentLen, "comment", "The comment is at most 500 characters.")
	f.check(utf8.ValidString(comment) && printableText(comment), "comment", "The comment contains characters that are not allowed.")
	return f.err()
}

// printableText is printable, except that it allows line breaks and tabs.
func printableText(s string) bool {
	return printable(strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		return r
	}, s))
}
