package server

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"selfservice/api"
)

// TenantInvitations is the invitations section of the organisation's
// configuration: whether employees may invite people who have no account
// yet, and the templates they invite from. Off unless turned on; it
// needs the server to send email, and its public address for the link.
type TenantInvitations struct {
	Enabled   bool                 `json:"enabled"`
	Templates []InvitationTemplate `json:"templates"`
}

// InvitationTemplate is one way to invite: what is asked of the invitee
// besides the name and email address, the role the account gets, and
// how long the link works.
type InvitationTemplate struct {
	ID          string `json:"id"`   // lower-case letters, digits, '-' and '_'
	Name        string `json:"name"` // as the sponsor sees it
	Description string `json:"description"`
	// Fields are profile fields (profile.fields ids) the sponsor fills
	// in; the new account's profile gets them.
	Fields []InvitationTemplateField `json:"fields"`
	// EmailField is the contact field of type EMAIL that keeps the
	// invitee's address, confirmed by the link; default work_email.
	EmailField string `json:"email_field"`
	// Role of the new account, default employee; never helpdesk.
	Role string `json:"role"`
	// LinkDays is how long the link works, default 7, at most 30.
	LinkDays int `json:"link_days"`
}

// InvitationTemplateField is a profile field a template asks for.
type InvitationTemplateField struct {
	ID       string `json:"id"`
	Required bool   `json:"required"`
}

// Defaults and bounds of the invitations section.
const (
	defaultInvitationDays = 7
	maxInvitationDays     = 30
	maxInvitationTemplate = 50
)

// checkInvitations lists what is wrong with the invitations section, each
// naming its field.
func (t Tenant) checkInvitations() []error {
	var errs []error
	if len(t.Invitations.Templates) > maxInvitationTemplate {
		errs = append(errs, fmt.Errorf("invitations.templates: at most %d", maxInvitationTemplate))
	}
	if t.Invitations.Enabled && len(t.Invitations.Templates) == 0 {
		errs = append(errs, fmt.Errorf("invitations.templates: give at least one template, or turn invitations off"))
	}
	seen := map[string]bool{}
	for i, tpl := range t.Invitations.Templates {
		where := fmt.Sprintf("invitations.templates[%d]", i)
		switch {
		case !validTemplateID(tpl.ID):
			errs = append(errs, fmt.Errorf("%s.id: %q is not an id: use 1 to 40 lower-case letters, digits, '-' and '_'", where, tpl.ID))
		case seen[tpl.ID]:
			errs = append(errs, fmt.Errorf("%s.id: %q is the id of an earlier template; each needs its own", where, tpl.ID))
		}
		seen[tpl.ID] = true
		if strings.TrimSpace(tpl.Name) == "" || utf8.RuneCountInString(tpl.Name) > 100 {
			errs = append(errs, fmt.Errorf("%s.name: give a name of 1 to 100 characters", where))
		}
		if utf8.RuneCountInString(tpl.Description) > 500 {
			errs = append(errs, fmt.Errorf("%s.description: at most 500 characters", where))
		}
		if tpl.LinkDays < 0 || tpl.LinkDays > maxInvitationDays {
			errs = append(errs, fmt.Errorf("%s.link_days: give 1 to %d days (default %d)", where, maxInvitationDays, defaultInvitationDays))
		}
		if role := tpl.role(); role == RoleHelpdesk {
			errs = append(errs, fmt.Errorf("%s.role: an invited account cannot be %s", where, RoleHelpdesk))
		} else if _, ok := rolePrivileges[role]; !ok {
			errs = append(errs, fmt.Errorf("%s.role: %q is not a role (%s)", where, role, RoleEmployee))
		}
		if f, ok := t.contactField(tpl.emailField()); !ok || f.Type != api.ContactEmail {
			errs = append(errs, fmt.Errorf("%s.email_field: %q is not a contact field of type EMAIL", where, tpl.emailField()))
		}
		fields := map[string]bool{}
		for j, f := range tpl.Fields {
			if _, ok := t.Profile.field(f.ID); !ok {
				errs = append(errs, fmt.Errorf("%s.fields[%d].id: %q is not a profile field (profile.fields)", where, j, f.ID))
			} else if fields[f.ID] {
				errs = append(errs, fmt.Errorf("%s.fields[%d].id: %q is asked for already", where, j, f.ID))
			}
			fields[f.ID] = true
		}
	}
	return errs
}

// validTemplateID reports whether id can name an invitation template.
func validTemplateID(id string) bool {
	if id == "" || len(id) > 40 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func (t TenantInvitations) isZero() bool { return !t.Enabled && len(t.Templates) == 0 }

// template returns the template with id.
func (t TenantInvitations) template(id string) (InvitationTemplate, bool) {
	for _, tpl := range t.Templates {
		if tpl.ID == id {
			return tpl, true
		}
	}
	return InvitationTemplate{}, false
}

// linkTTL is how long the template's link works.
func (tpl InvitationTemplate) linkTTL() time.Duration {
	days := tpl.LinkDays
	if days == 0 {
		days = defaultInvitationDays
	}
	return time.Duration(days) * 24 * time.Hour
}

func (tpl InvitationTemplate) emailField() string {
	if tpl.EmailField == "" {
		return defaultRegistrationField
	}
	return tpl.EmailField
}

func (tpl InvitationTemplate) role() string {
	if tpl.Role == "" {
		return RoleEmployee
	}
	return tpl.Role
}
