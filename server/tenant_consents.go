package server

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"selfservice/api"
)

// TenantConsent is a consent the organisation asks its users for. Each
// is off until the user grants it; a new Version asks every user again.
type TenantConsent struct {
	ID          string `json:"id"` // lower-case letters, digits, '_' and '-'
	Title       string `json:"title"`
	Description string `json:"description"`
	URL         string `json:"url,omitempty"` // the full text, https://
	Version     int    `json:"version"`       // 1 and up
}

// maxConsents bounds the consents of a tenant.
const maxConsents = 50

var consentID = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,39}$`)

// checkConsents lists what is wrong with the consents, each error naming
// its place.
func checkConsents(consents []TenantConsent) []error {
	var errs []error
	if len(consents) > maxConsents {
		errs = append(errs, fmt.Errorf("consents: at most %d", maxConsents))
	}
	seen := map[string]bool{}
	for i, c := range consents {
		where := fmt.Sprintf("consents[%d]", i)
		switch {
		case !consentID.MatchString(c.ID):
			errs = append(errs, fmt.Errorf("%s.id: %q is not an id: use 1 to 40 lower-case letters, digits, '_' and '-', starting with a letter", where, c.ID))
		case seen[c.ID]:
			errs = append(errs, fmt.Errorf("%s.id: %q is the id of an earlier consent; each consent needs its own", where, c.ID))
		}
		seen[c.ID] = true
		if strings.TrimSpace(c.Title) == "" || utf8.RuneCountInString(c.Title) > 100 {
			errs = append(errs, fmt.Errorf("%s.title: give a title of 1 to 100 characters", where))
		}
		if strings.TrimSpace(c.Description) == "" || utf8.RuneCountInString(c.Description) > 1000 {
			errs = append(errs, fmt.Errorf("%s.description: give a description of 1 to 1000 characters", where))
		}
		if c.URL != "" {
			if err := checkLink(c.URL); err != nil {
				errs = append(errs, fmt.Errorf("%s.url: %w", where, err))
			}
		}
		if c.Version < 1 {
			errs = append(errs, fmt.Errorf("%s.version: give a version of 1 or more; raise it when the text changes, to ask every user again", where))
		}
	}
	return errs
}

// consent returns the organisation's consent id.
func (t Tenant) consent(id string) (TenantConsent, bool) {
	for _, c := range t.Consents {
		if c.ID == id {
			return c, true
		}
	}
	return TenantConsent{}, false
}

// apiConsent is c with the user's answer rec (nil: none).
func apiConsent(c TenantConsent, rec *ConsentRecord) api.Consent {
	out := api.Consent{ID: c.ID, Title: c.Title, Description: c.Description, URL: c.URL, Version: c.Version, State: api.ConsentNotAsked}
	if rec == nil {
		return out
	}
	at := rec.ChangedAt
	out.AnsweredAt, out.AnsweredVersion = &at, rec.Version
	if rec.Version == c.Version {
		out.State = api.ConsentDeclined
		if rec.Granted {
			out.State = api.ConsentGranted
		}
	}
	return out
}
