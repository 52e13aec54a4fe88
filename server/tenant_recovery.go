package server

import (
	"fmt"
	"time"
)

// TenantRecovery is the recovery section of the organisation's
// configuration: what users who cannot sign in may do themselves at the
// sign-in screen. Both are off unless turned on, since both need the
// server to send email (and a password reset, its public address for the
// link).
type TenantRecovery struct {
	// PasswordReset sends a one-time link to the account's confirmed
	// email address, with which the user sets a new password.
	PasswordReset bool `json:"password_reset"`
	// ResetLinkMinutes is how long a reset link works, default 30.
	ResetLinkMinutes int `json:"reset_link_minutes"`
	// UsernameReminder sends the usernames of the accounts with a
	// confirmed email address to that address.
	UsernameReminder bool `json:"username_reminder"`
}

// Bounds of a reset link's lifetime.
const (
	defaultResetLinkMinutes = 30
	maxResetLinkMinutes     = 24 * 60
)

// check lists what is wrong with the section, each naming its field.
func (r TenantRecovery) check() []error {
	if r.ResetLinkMinutes < 0 || r.ResetLinkMinutes > maxResetLinkMinutes {
		return []error{fmt.Errorf("recovery.reset_link_minutes: give 1 to %d minutes (default %d)", maxResetLinkMinutes, defaultResetLinkMinutes)}
	}
	return nil
}

// resetLinkTTL is how long a reset link works.
func (r TenantRecovery) resetLinkTTL() time.Duration {
	if r.ResetLinkMinutes == 0 {
		return defaultResetLinkMinutes * time.Minute
	}
	return time.Duration(r.ResetLinkMinutes) * time.Minute
}
