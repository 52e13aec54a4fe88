package server

import "time"

// EmergencyCodeRecord is a user's emergency access code. Only the SHA-256
// of the code is kept.
type EmergencyCodeRecord struct {
	ID               string
	UserID           string
	CodeHash         string // hex SHA-256 of the normalised code
	CreatedAt        time.Time
	ExpiresAt        time.Time
	UsesLeft         int
	IssuedBy         string // the issuing helpdesk user's username, or "admin"
	Failures         Failures
	DeactivatedAt    time.Time // zero while active
	DeactivateReason string
}

// Reasons an emergency access code was deactivated.
const (
	ReasonReplaced       = "replaced"            // a new code was issued
	ReasonTokenEnrolled  = "token enrolled"      // the user enrolled a token
	ReasonTokenActivated = "token activated"     // the user activated a token
	ReasonAddressChanged = "OTP address changed" // the user moved an SMS or email token to a new address
)

// usable reports whether the code can still sign in at now.
func (e EmergencyCodeRecord) usable(now time.Time) bool {
	return e.DeactivatedAt.IsZero() && e.UsesLeft > 0 && now.Before(e.ExpiresAt)
}
