package server

import (
	"time"

	"selfservice/api"
)

// TemplateHardware is the id of the hardware token template (see
// migrations).
const TemplateHardware = "hardware-token"

// HardwareTokenRecord is an imported hardware OTP token. Its secret never
// leaves the server.
type HardwareTokenRecord struct {
	Serial     string
	Type       api.TokenType // TypeHOTP or TypeTOTP
	Secret     []byte
	Algorithm  string
	Digits     int
	Period     int   // seconds; TOTP only
	Counter    int64 // HOTP: the next counter value a claim accepts
	TokenID    string
	Failures   Failures // wrong codes of claims
	ImportedAt time.Time

	// The holder, when the device is assigned; read only.
	UserID, Username string
}

// Assigned reports whether a user holds the device.
func (h HardwareTokenRecord) Assigned() bool {
	return h.TokenID != ""
}
