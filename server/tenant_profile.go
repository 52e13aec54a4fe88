package server

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/language"

	"selfservice/api"
)

// TenantProfile is the organisation's configuration of the users'
// profiles: whether users may change their display name, the fields it
// keeps about them (those not Editable it sets itself, with user
// set-field), and the languages and date formats users choose from.
type TenantProfile struct {
	DisplayNameEditable bool                 `json:"display_name_editable"`
	Fields              []TenantProfileField `json:"fields"`
	// Languages are BCP 47 tags in their canonical form ("de",
	// "pt-BR"); none: DefaultLanguages.
	Languages []string `json:"languages"`
	// DateFormats are api.DateFormat IDs; none: all of them.
	DateFormats []string `json:"date_formats"`
}

// TenantProfileField is one field of the profile.
type TenantProfileField struct {
	ID        string `json:"id"`    // lower-case letters, digits and '_'
	Label     string `json:"label"` // as the app shows it
	Editable  bool   `json:"editable"`
	MaxLength int    `json:"max_length"` // characters; 0: defaultFieldLength
}

// Limits of the profile configuration.
const (
	maxProfileFields   = 50
	maxLanguages       = 100
	defaultFieldLength = 100
)

// check lists what is wrong with p, each error naming its place.
func (p TenantProfile) check() []error {
	var errs []error
	if len(p.Fields) > maxProfileFields {
		errs = append(errs, fmt.Errorf("profile.fields: at most %d", maxProfileFields))
	}
	seen := map[string]bool{}
	for i, f := range p.Fields {
		where := fmt.Sprintf("profile.fields[%d]", i)
		switch {
		case !api.ValidProfileFieldID(f.ID):
			errs = append(errs, fmt.Errorf("%s.id: %q is not an id: use 1 to 40 lower-case letters, digits and '_', starting with a letter", where, f.ID))
		case seen[f.ID]:
			errs = append(errs, fmt.Errorf("%s.id: %q is the id of an earlier field; each field needs its own", where, f.ID))
		}
		seen[f.ID] = true
		if strings.TrimSpace(f.Label) == "" || utf8.RuneCountInString(f.Label) > 100 {
			errs = append(errs, fmt.Errorf("%s.label: give a label of 1 to 100 characters", where))
		}
		if f.MaxLength < 0 || f.MaxLength > api.MaxProfileFieldLen {
			errs = append(errs, fmt.Errorf("%s.max_length: 1 to %d characters (0: %d)", where, api.MaxProfileFieldLen, defaultFieldLength))
		}
	}
	errs = append(errs, checkLanguages(p.Languages)...)
	for i, id := range p.DateFormats {
		if _, ok := api.DateFormatByID(id); !ok {
			errs = append(errs, fmt.Errorf("profile.date_formats[%d]: %q is not a date format (%s)", i, id, strings.Join(dateFormatIDs(), ", ")))
		}
		if slices.Index(p.DateFormats, id) < i {
			errs = append(errs, fmt.Errorf("profile.date_formats[%d]: %q is listed twice", i, id))
		}
	}
	return errs
}

// checkLanguages checks that each tag is a BCP 47 tag in its canonical
// form, listed once.
func checkLanguages(tags []string) []error {
	var errs []error
	if len(tags) > maxLanguages {
		errs = append(errs, fmt.Errorf("profile.languages: at most %d", maxLanguages))
	}
	for i, tag := range tags {
		where := fmt.Sprintf("profile.languages[%d]", i)
		parsed, err := language.Parse(tag)
		switch {
		case err != nil || len(tag) > api.MaxLanguageTagLen:
			errs = append(errs, fmt.Errorf("%s: %q is not a BCP 47 language tag, such as \"de\" or \"pt-BR\"", where, tag))
		case parsed.String() != tag:
			errs = append(errs, fmt.Errorf("%s: write %q as %q", where, tag, parsed.String()))
		case slices.Index(tags, tag) < i:
			errs = append(errs, fmt.Errorf("%s: %q is listed twice", where, tag))
		}
	}
	return errs
}

func dateFormatIDs() []string {
	var ids []string
	for _, f := range api.DateFormats {
		ids = append(ids, f.ID)
	}
	return ids
}

// isZero reports whether p configures nothing.
func (p TenantProfile) isZero() bool {
	return !p.DisplayNameEditable && len(p.Fields) == 0 && len(p.Languages) == 0 && len(p.DateFormats) == 0
}

// DefaultLanguages are the languages offered when the organisation lists
// none: those the desktop app is translated into (a test checks them
// against its translation files).
var DefaultLanguages = []string{"en", "de", "fr", "cs"}

// languages are the languages users choose from.
func (p TenantProfile) languages() []string {
	if len(p.Languages) == 0 {
		return slices.Clone(DefaultLanguages)
	}
	return slices.Clone(p.Languages)
}

// dateFormats are the date formats users choose from.
func (p TenantProfile) dateFormats() []string {
	if len(p.DateFormats) == 0 {
		return dateFormatIDs()
	}
	return slices.Clone(p.DateFormats)
}

// field returns the field id, and false when there is none.
func (p TenantProfile) field(id string) (TenantProfileField, bool) {
	i := slices.IndexFunc(p.Fields, func(f TenantProfileField) bool { return f.ID == id })
	if i < 0 {
		return TenantProfileField{}, false
	}
	f := p.Fields[i]
	if f.MaxLength == 0 {
		f.MaxLength = defaultFieldLength
	}
	return f, true
}
