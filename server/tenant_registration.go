package server

import (
	"fmt"
	"time"

	"selfservice/api"
)

// TenantRegistration is the registration section of the organisation's
// configuration: whether people without an account may create one at
// the sign-in screen. Off unless turned on; it needs the server to send
// email, and its public address for the activation link.
type TenantRegistration struct {
	// Enabled offers Create account on the sign-in screen.
	Enabled bool `json:"enabled"`
	// Activation (default true): a new account signs in only once the
	// email address is confirmed with the link sent to it.
	Activation *bool `json:"activation,omitempty"`
	// LinkMinutes is how long an activation link works, default 60.
	LinkMinutes int `json:"link_minutes"`
	// EmailField is the contact field of type EMAIL that keeps the
	// address given, default work_email.
	EmailField string `json:"email_field"`
	// Role of a new account, default employee; never helpdesk.
	Role string `json:"role"`
}

// Defaults and bounds of the registration section.
const (
	defaultActivationLinkMinutes = 60
	maxActivationLinkMinutes     = 24 * 60
	defaultRegistrationField     = "work_email"
)

// unactivatedRetention is how long an account that was never activated
// is kept: then the purge removes it, and its username is free again.
const unactivatedRetention = 48 * time.Hour

// checkRegistration lists what is wrong with the registration section,
// each naming its field.
func (t Tenant) checkRegistration() []error {
	r := t.Registration
	var errs []error
	if r.LinkMinutes < 0 || r.LinkMinutes > maxActivationLinkMinutes {
		errs = append(errs, fmt.Errorf("registration.link_minutes: give 1 to %d minutes (default %d)", maxActivationLinkMinutes, defaultActivationLinkMinutes))
	}
	if role := r.role(); role == RoleHelpdesk {
		errs = append(errs, fmt.Errorf("registration.role: a self-registered account cannot be %s", RoleHelpdesk))
	} else if _, ok := rolePrivileges[role]; !ok {
		errs = append(errs, fmt.Errorf("registration.role: %q is not a role (%s)", role, RoleEmployee))
	}
	if r.Enabled {
		if f, ok := t.contactField(r.emailField()); !ok || f.Type != api.ContactEmail {
			errs = append(errs, fmt.Errorf("registration.email_field: %q is not a contact field of type EMAIL", r.emailField()))
		}
	}
	return errs
}

// activation reports whether a new account waits for its link.
func (r TenantRegistration) activation() bool { return r.Activation == nil || *r.Activation }

// linkTTL is how long an activation link works.
func (r TenantRegistration) linkTTL() time.Duration {
	if r.LinkMinutes == 0 {
		return defaultActivationLinkMinutes * time.Minute
	}
	return time.Duration(r.LinkMinutes) * time.Minute
}

func (r TenantRegistration) emailField() string {
	if r.EmailField == "" {
		return defaultRegistrationField
	}
	return r.EmailField
}

func (r TenantRegistration) role() string {
	if r.Role == "" {
		return RoleEmployee
	}
	return r.Role
}
