package server

import (
	"fmt"

	"selfservice/api"
)

// TenantSessions is the sessions section of the organisation's
// configuration. HelpdeskEmail is where a user's "This wasn't me" about
// one of their sign-ins is sent; without it the report still signs the
// user out everywhere, and the server's log has it.
type TenantSessions struct {
	HelpdeskEmail string `json:"helpdesk_email"`
}

// check names what is wrong with the section.
func (t TenantSessions) check() error {
	if t.HelpdeskEmail != "" && !api.ValidEmail(t.HelpdeskEmail) {
		return fmt.Errorf("sessions.helpdesk_email: %q is not an email address", t.HelpdeskEmail)
	}
	return nil
}

func (t TenantSessions) isZero() bool { return t == TenantSessions{} }
