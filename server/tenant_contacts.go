package server

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"selfservice/api"
)

// maxContactFields bounds the contact fields of a tenant.
const maxContactFields = 30

// fieldID is the form of a contact field's id: it is part of URLs.
var fieldID = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// checkContacts checks the contact fields and which templates use them.
func (t Tenant) checkContacts() []error {
	var errs []error
	if len(t.ContactFields) > maxContactFields {
		errs = append(errs, fmt.Errorf("contact_fields: at most %d", maxContactFields))
	}
	seen := map[string]bool{}
	for i, f := range t.ContactFields {
		where := fmt.Sprintf("contact_fields[%d]", i)
		switch {
		case !fieldID.MatchString(f.ID):
			errs = append(errs, fmt.Errorf("%s.id: %q must be 1 to 40 lower-case letters, digits and _, starting with a letter", where, f.ID))
		case seen[f.ID]:
			errs = append(errs, fmt.Errorf("%s.id: %q is used twice", where, f.ID))
		}
		seen[f.ID] = true
		if strings.TrimSpace(f.Label) == "" || len(f.Label) > 100 {
			errs = append(errs, fmt.Errorf("%s.label: give a label of 1 to 100 characters", where))
		}
		if !slices.Contains(api.ContactTypes, f.Type) {
			errs = append(errs, fmt.Errorf("%s.type: %q is not one of %s", where, f.Type, joinNames(api.ContactTypes)))
		} else if f.Type == api.ContactText && (f.Verify || f.Notify || f.Locked) {
			errs = append(errs, fmt.Errorf("%s: a TEXT field cannot be sent a code, so verify, notify and locked are for EMAIL and PHONE fields only", where))
		}
	}
	for tpl, fields := range t.TemplateContacts {
		for _, id := range fields {
			f, ok := t.contactField(id)
			switch {
			case !ok:
				errs = append(errs, fmt.Errorf("template_contacts.%s: %q is not one of the contact_fields", tpl, id))
			case !f.Verify:
				errs = append(errs, fmt.Errorf("template_contacts.%s: %q has no verify flag, so its values are never verified and could not be used", tpl, id))
			}
		}
	}
	return errs
}

// contactField returns the contact field id.
func (t Tenant) contactField(id string) (api.ContactField, bool) {
	i := slices.IndexFunc(t.ContactFields, func(f api.ContactField) bool { return f.ID == id })
	if i < 0 {
		return api.ContactField{}, false
	}
	return t.ContactFields[i], true
}
