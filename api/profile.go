package api

import (
	"fmt"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // time zones work on computers without a zone database (Windows)
	"unicode/utf8"
)

// The user's profile (GET and PATCH /account/profile): the display name,
// the fields the organisation keeps about them (some set by the
// organisation only), and the preferences by which the app speaks and
// shows dates.

// Limits of a profile.
const (
	MaxDisplayNameLen  = 100 // characters
	MaxProfileFieldLen = 500 // characters of any field's value; an organisation's fields may allow fewer
	MaxLanguageTagLen  = 35  // a BCP 47 tag, such as "de" or "pt-BR"
)

// Preferences say how the user wants the app to speak and show times.
// Each is "" until the user chooses: the app then follows the computer.
type Preferences struct {
	Language   string `json:"language"`    // a BCP 47 tag: "en", "de", "pt-BR"
	TimeZone   string `json:"time_zone"`   // an IANA time zone name: "Europe/Prague"
	DateFormat string `json:"date_format"` // the ID of one of DateFormats
}

// DateFormat is a way of writing a date the app knows. Layout is the
// date's layout in Go's time format; the app writes the month names of
// DateMedium in the user's language.
type DateFormat struct {
	ID     string
	Layout string
}

// The IDs of the date formats.
const (
	DateISO      = "iso"       // 2026-03-14
	DateDotted   = "dmy_dot"   // 14.03.2026
	DateUS       = "mdy_slash" // 03/14/2026
	DateDMYSlash = "dmy_slash" // 14/03/2026
	DateMedium   = "d_mon_y"   // 14 Mar 2026
)

// DateFormats are the date formats the app knows, in the order offered.
var DateFormats = []DateFormat{
	{DateISO, "2006-01-02"},
	{DateDotted, "02.01.2006"},
	{DateUS, "01/02/2006"},
	{DateDMYSlash, "02/01/2006"},
	{DateMedium, "2 Jan 2006"},
}

// DateFormatByID returns the date format id, and false for an unknown id.
func DateFormatByID(id string) (DateFormat, bool) {
	i := slices.IndexFunc(DateFormats, func(f DateFormat) bool { return f.ID == id })
	if i < 0 {
		return DateFormat{}, false
	}
	return DateFormats[i], true
}

//go:generate go run gen_timezones.go

// ValidTimeZone reports whether name is a time zone of the IANA
// database, such as "Europe/Berlin" or "UTC".
func ValidTimeZone(name string) bool {
	if name == "" || name == "Local" || len(name) > 64 {
		return false
	}
	_, err := time.LoadLocation(name)
	return err == nil
}

// ProfileField is one field of the profile. A field that is not
// Editable is set by the organisation (job title, department): the user
// sees it but cannot change it.
type ProfileField struct {
	ID        string `json:"id"`
	Label     string `json:"label"`
	Value     string `json:"value"`
	Editable  bool   `json:"editable"`
	MaxLength int    `json:"max_length"` // characters
}

// Profile answers GET and PATCH /account/profile. Languages and
// DateFormats are what the organisation offers to choose from (BCP 47
// tags and DateFormat IDs); every IANA time zone may be chosen.
type Profile struct {
	DisplayName         string         `json:"display_name"`
	DisplayNameEditable bool           `json:"display_name_editable"`
	Fields              []ProfileField `json:"fields"`
	Preferences         Preferences    `json:"preferences"`
	Languages           []string       `json:"languages"`
	DateFormats         []string       `json:"date_formats"`
}

// Field returns the field id, and false when the profile has none.
func (p Profile) Field(id string) (ProfileField, bool) {
	i := slices.IndexFunc(p.Fields, func(f ProfileField) bool { return f.ID == id })
	if i < 0 {
		return ProfileField{}, false
	}
	return p.Fields[i], true
}

// UpdateProfileRequest is the body of PATCH /account/profile: only what
// it sets changes (an empty one changes nothing). Fields maps field IDs to their new values (""
// empties a field). An empty Language, TimeZone or DateFormat goes back
// to following the computer. A refusal names each wrong part: the
// field errors are "display_name", "fields.ID", "language", "time_zone"
// and "date_format", and nothing is stored.
type UpdateProfileRequest struct {
	DisplayName *string           `json:"display_name,omitempty"`
	Fields      map[string]string `json:"fields,omitempty"`
	Language    *string           `json:"language,omitempty"`
	TimeZone    *string           `json:"time_zone,omitempty"`
	DateFormat  *string           `json:"date_format,omitempty"`
}

// Empty reports whether r changes nothing.
func (r UpdateProfileRequest) Empty() bool {
	return r.DisplayName == nil && len(r.Fields) == 0 && r.Language == nil && r.TimeZone == nil && r.DateFormat == nil
}

// ProfileFieldKey is the field error key of the profile field id.
func ProfileFieldKey(id string) string { return "fields." + id }

// Validate checks what does not depend on the organisation's
// configuration: lengths, characters, the form of a language tag, that
// the time zone and the date format exist. The server checks the rest
// (which fields exist and may be edited, which languages are offered).
func (r UpdateProfileRequest) Validate() error {
	f := fieldErrors{}
	if r.DisplayName != nil {
		name := strings.TrimSpace(*r.DisplayName)
		f.check(name != "", "display_name", "Enter a display name.")
		f.check(utf8.RuneCountInString(name) <= MaxDisplayNameLen, "display_name", "The display name is at most 100 characters.")
		f.check(utf8.ValidString(name) && printable(name), "display_name", "The display name contains characters that are not allowed.")
	}
	for id, value := range r.Fields {
		key := ProfileFieldKey(id)
		f.check(ValidProfileFieldID(id), key, "This is not a field of your profile.")
		f.check(utf8.ValidString(value) && printable(value), key, "The value contains characters that are not allowed.")
		f.check(utf8.RuneCountInString(value) <= MaxProfileFieldLen, key, fmt.Sprintf("The value is at most %d characters.", MaxProfileFieldLen))
	}
	if r.Language != nil {
		f.check(*r.Language == "" || validLanguageForm(*r.Language), "language", "Choose a language from the list.")
	}
	if r.TimeZone != nil {
		f.check(*r.TimeZone == "" || ValidTimeZone(*r.TimeZone), "time_zone", "Choose a time zone from the list, such as Europe/Berlin.")
	}
	if r.DateFormat != nil {
		_, known := DateFormatByID(*r.DateFormat)
		f.check(*r.DateFormat == "" || known, "date_format", "Choose a date format from the list.")
	}
	return f.err()
}

// ValidProfileFieldID reports whether id can name a profile field: 1 to
// 40 lower-case letters, digits and '_', starting with a letter.
func ValidProfileFieldID(id string) bool {
	if id == "" || len(id) > 40 || id[0] < 'a' || id[0] > 'z' {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// validLanguageForm reports whether tag looks like a BCP 47 tag: parts
// of 1 to 8 letters and digits joined by '-'. The server checks that
// its organisation offers it.
func validLanguageForm(tag string) bool {
	if len(tag) > MaxLanguageTagLen {
		return false
	}
	for part := range strings.SplitSeq(tag, "-") {
		if part == "" || len(part) > 8 {
			return false
		}
		for _, r := range part {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				return false
			}
		}
	}
	return true
}
