package api

import (
	"errors"
	"strings"
	"time"
	"unicode/utf8"
)

// Hardware OTP tokens: devices whose seeds the admin imported. A user
// claims one by its serial number and the code it shows; the token they
// get is an ordinary HOTP or TOTP token of the hardware template.

// MaxSerialLen is the longest serial number of a hardware token.
const MaxSerialLen = 64

// ClaimTokenRequest claims a hardware token, POST /tokens/claim.
type ClaimTokenRequest struct {
	Serial      string `json:"serial"`
	OTP         string `json:"otp"`
	Description string `json:"description"`
}

// NormalizeSerial trims a serial number and makes it upper case, as
// serial numbers are stored.
func NormalizeSerial(s string) string {
	return strings.ToUpper(strings.TrimSpace(s))
}

// ValidSerial reports whether s, normalised, can be a serial number: 1 to
// MaxSerialLen characters of letters, digits, '-', '_' and '.'.
func ValidSerial(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > MaxSerialLen {
		return false
	}
	for _, r := range s {
		ok := r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.", r)
		if !ok {
			return false
		}
	}
	return true
}

// Validate checks a claim: serial number (normalised), code and name.
func (r ClaimTokenRequest) Validate() error {
	f := fieldErrors{}
	f.check(r.Serial != "", "serial", "Enter the serial number printed on the token.")
	f.check(ValidSerial(r.Serial), "serial", "A serial number has only letters, digits, '-', '_' and '.'. Check what is printed on the token.")
	f.otp("otp", r.OTP)
	validateDescription(f, r.Description)
	return f.err()
}

// Helpdesk staff (PrivHardwareUnassign) see another user's hardware
// tokens and take one back, e.g. when it is broken, lost or handed in:
// its token is deleted from the user's sign-in methods, and the serial
// can be claimed again, from where the device's counter is.
//
// The user must keep one ACTIVE token. Taking back their last one needs
// Force, which leaves them to sign in with their password alone, only to
// add a new sign-in method. Force is allowed only to a helpdesk member
// who signed in moments ago (within the server's recent-authentication
// time, 10 minutes by default), as the admin's "hwtoken unassign
// --force" is only to someone at the server: a session left open on a
// shared desk cannot strip another person of their last sign-in method.
// The refusal, last_active_token, says in its details
// (DetailForceAllowed) whether forcing would be accepted now.

// DetailForceAllowed is the key, in the details of a last_active_token
// refusal to unassign a hardware token, of whether Force would be
// accepted now.
const DetailForceAllowed = "force_allowed"

// HardwareDevice is a hardware token a user holds, as helpdesk staff see
// it. Never its secret.
type HardwareDevice struct {
	Serial     string      `json:"serial"`
	Type       TokenType   `json:"type"` // TypeHOTP or TypeTOTP
	TokenID    string      `json:"token_id"`
	Status     TokenStatus `json:"status"`
	LastUsedAt *time.Time  `json:"last_used_at,omitempty"`
}

// HardwareDevicesResponse lists a user's hardware tokens, by serial:
// GET /users/{username}/hardware-tokens, and the answer of unassigning
// one (those left).
type HardwareDevicesResponse struct {
	Username    string           `json:"username"`
	DisplayName string           `json:"display_name"`
	Devices     []HardwareDevice `json:"devices"`
}

// UnassignHardwareRequest takes a hardware token back from a user,
// POST /users/{username}/hardware-tokens/{serial}/unassign. Force takes
// even their last ACTIVE token (see DetailForceAllowed).
type UnassignHardwareRequest struct {
	Force bool `json:"force"`
}

// Validate accepts any request: force is true or false.
func (r UnassignHardwareRequest) Validate() error { return nil }

// ForceAllowed reports whether err refuses to unassign a user's last
// ACTIVE hardware token and says that forcing would be accepted now.
func ForceAllowed(err error) bool {
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeLastActiveToken {
		return false
	}
	allowed, _ := e.Details[DetailForceAllowed].(bool)
	return allowed
}
