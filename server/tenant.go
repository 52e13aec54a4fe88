package server

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strings"

	"selfservice/api"
)

// Tenant is the organisation's configuration of the self-service: what
// serve --config FILE reads, a JSON file (config/demo-tenant.json is the
// demo's). Every field may be left out.
type Tenant struct {
	// Organisation is the organisation's name: the issuer authenticator
	// apps show beside its codes, and the name in the messages the
	// server sends (tenant_organisation.go). Empty: "Selfservice".
	Organisation   string              `json:"organisation"`
	PasswordPolicy api.PasswordPolicy  `json:"password_policy"`
	Applications   []TenantApplication `json:"applications"`
	VaultURL       string              `json:"vault_url"` // the password vault, shown to users with vault_link
	// ContactFields are the fields of the users' contact details.
	ContactFields []api.ContactField `json:"contact_fields"`
	// TemplateContacts names, per token template id, the contact fields
	// whose verified values its SMS or email tokens may use; a template
	// not listed takes any address, which its first code confirms.
	TemplateContacts map[string][]string `json:"template_contacts"`
	Profile          TenantProfile       `json:"profile"`
	Documents        TenantDocuments     `json:"documents"` // tenant_documents.go
	// Questions are the verification questions (tenant_questions.go).
	Questions TenantQuestions `json:"questions"`
	// Recovery is what users who cannot sign in may do themselves
	// (tenant_recovery.go).
	Recovery TenantRecovery `json:"recovery"`
	// Consents are what the organisation asks its users to consent to
	// (tenant_consents.go).
	Consents []TenantConsent `json:"consents"`
	// Registration is whether people may create an account themselves
	// (tenant_registration.go).
	Registration TenantRegistration `json:"registration"`
	Sessions     TenantSessions     `json:"sessions"` // tenant_sessions.go
	// StepUp is when a recent sign-in confirms a step-up by itself
	// (tenant_stepup.go).
	StepUp TenantStepUp `json:"step_up"`
	// Invitations is whether employees may invite people who have no
	// account yet (tenant_invitations.go).
	Invitations TenantInvitations `json:"invitations"`
}

// TenantApplication is an application of the organisation; Roles, when
// not empty, are the roles whose users see it.
type TenantApplication struct {
	api.Application
	Roles []string `json:"roles,omitempty"`
}

// maxApplications bounds the applications of a tenant.
const maxApplications = 200

//go:embed demo_tenant.json
var demoTenant []byte

// DemoTenant is the demo's configuration, which serve --demo and the
// desktop app's embedded server use when given none.
func DemoTenant() Tenant {
	t, err := ReadTenant(bytes.NewReader(demoTenant))
	if err != nil {
		panic("demo_tenant.json: " + err.Error())
	}
	return t
}

// LoadTenant reads the configuration file at path.
func LoadTenant(path string) (Tenant, error) {
	f, err := os.Open(path)
	if err != nil {
		return Tenant{}, fmt.Errorf("configuration file: %w", err)
	}
	defer f.Close()
	t, err := ReadTenant(f)
	if err != nil {
		return Tenant{}, fmt.Errorf("configuration file %s: %w", path, err)
	}
	return t, nil
}

// ReadTenant reads a configuration and checks it; its errors name the
// field and say what is wrong.
func ReadTenant(r io.Reader) (Tenant, error) {
	var t Tenant
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return Tenant{}, fmt.Errorf("not valid JSON of a configuration: %w", err)
	}
	return t, t.check()
}

func (t Tenant) check() error {
	var errs []error
	p := t.PasswordPolicy
	if p.MinLength < 0 || p.MinLength > api.MaxPasswordLen || p.MinClasses < 0 || p.MinClasses > 4 || p.History < 0 || p.History > 50 {
		errs = append(errs, errors.New("password_policy: min_length is 0 to 1024, min_classes 0 to 4, history 0 to 50 (0: the default)"))
	}
	if len(t.Applications) > maxApplications {
		errs = append(errs, fmt.Errorf("applications: at most %d", maxApplications))
	}
	for i, a := range t.Applications {
		where := fmt.Sprintf("applications[%d]", i)
		if strings.TrimSpace(a.Name) == "" || len(a.Name) > 100 {
			errs = append(errs, fmt.Errorf("%s.name: give a name of 1 to 100 characters", where))
		}
		if err := checkLink(a.URL); err != nil {
			errs = append(errs, fmt.Errorf("%s.url: %w", where, err))
		}
		for _, r := range a.Roles {
			if _, ok := rolePrivileges[r]; !ok {
				errs = append(errs, fmt.Errorf("%s.roles: %q is not a role (%s)", where, r, strings.Join(Roles(), ", ")))
			}
		}
	}
	if t.VaultURL != "" {
		if err := checkLink(t.VaultURL); err != nil {
			errs = append(errs, fmt.Errorf("vault_url: %w", err))
		}
	}
	if err := t.checkOrganisation(); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, t.checkContacts()...)
	errs = append(errs, t.Profile.check()...)
	if err := t.Documents.check(); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, t.Questions.check()...)
	errs = append(errs, t.Recovery.check()...)
	errs = append(errs, checkConsents(t.Consents)...)
	errs = append(errs, t.checkRegistration()...)
	errs = append(errs, t.checkInvitations()...)
	if err := t.Sessions.check(); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, t.StepUp.check()...)
	return errors.Join(errs...)
}

// checkLink accepts an absolute https:// URL, which the app opens in the
// browser: nothing else (no file:, javascript: or plain http:).
func checkLink(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("%q is not an https:// address", raw)
	}
	return nil
}

// isZero reports whether t configures nothing.
func (t Tenant) isZero() bool {
	return t.Organisation == "" && t.PasswordPolicy == (api.PasswordPolicy{}) && len(t.Applications) == 0 && t.VaultURL == "" && t.Profile.isZero() &&
		len(t.ContactFields) == 0 && len(t.TemplateContacts) == 0 && t.Documents.isZero() && t.Questions.isZero() &&
		t.Recovery == (TenantRecovery{}) && len(t.Consents) == 0 &&
		t.Registration == (TenantRegistration{}) && t.Sessions.isZero() && t.StepUp.isZero() && t.Invitations.isZero()
}

// applicationsFor are the applications a user of role sees.
func (t Tenant) applicationsFor(role string) []api.Application {
	out := []api.Application{}
	for _, a := range t.Applications {
		if len(a.Roles) == 0 || slices.Contains(a.Roles, role) {
			out = append(out, a.Application)
		}
	}
	return out
}
