package server

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxOrganisationLen bounds the organisation's name, which authenticator
// apps show beside each code.
const maxOrganisationLen = 60

// checkOrganisation names what is wrong with the organisation's name: it
// becomes the issuer of the otpauth URIs, whose label may not hold a
// colon (Key Uri Format: "issuer:account").
func (t Tenant) checkOrganisation() error {
	o := t.Organisation
	if o != strings.TrimSpace(o) || utf8.RuneCountInString(o) > maxOrganisationLen || strings.ContainsAny(o, ":\n\r\t") {
		return fmt.Errorf("organisation: give a name of at most %d characters without a colon or leading and trailing spaces", maxOrganisationLen)
	}
	return nil
}
