package api

import (
	"strings"
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
