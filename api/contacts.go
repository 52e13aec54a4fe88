package api

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Contact details: the organisation configures the fields (a work email,
// a private mobile…), each user fills in their values. The app and the
// server check a value with the same NormalizeContact.

// ContactType is the kind of a contact field's value.
type ContactType string

const (
	ContactEmail ContactType = "EMAIL"
	ContactPhone ContactType = "PHONE"
	ContactText  ContactType = "TEXT"
)

// ContactTypes lists the types, as the configuration names them.
var ContactTypes = []ContactType{ContactEmail, ContactPhone, ContactText}

// MaxContactTextLen bounds a TEXT value, in characters.
const MaxContactTextLen = 200

// Channel is the delivery channel of the field's values: ChannelEmail,
// ChannelSMS, or "" for TEXT, to which nothing is sent.
func (t ContactType) Channel() string {
	switch t {
	case ContactEmail:
		return ChannelEmail
	case ContactPhone:
		return ChannelSMS
	}
	return ""
}

// ContactField is one field of the organisation's contact details.
type ContactField struct {
	ID    string      `json:"id"`
	Label string      `json:"label"`
	Type  ContactType `json:"type"`
	// Mandatory: the value cannot be removed.
	Mandatory bool `json:"mandatory,omitempty"`
	// Verify: a new value is stored only once the code sent to it is
	// confirmed (EMAIL and PHONE only).
	Verify bool `json:"verify,omitempty"`
	// Notify: the old and the new address are told of a change (EMAIL
	// and PHONE only).
	Notify bool `json:"notify,omitempty"`
	// Locked: removing the value needs the code sent to it (EMAIL and
	// PHONE only).
	Locked bool `json:"locked,omitempty"`
}

// ContactValue is the user's value of a field. Verified says the user
// confirmed it with a code sent to it; only verified values can receive
// the codes of SMS and email sign-in methods. Preferred (at most one
// value) is the channel the user is told things on.
type ContactValue struct {
	Field     string    `json:"field"`
	Value     string    `json:"value"`
	Verified  bool      `json:"verified"`
	Preferred bool      `json:"preferred"`
	UpdatedAt time.Time `json:"updated_at"`
	// UsedBy names the SMS or email sign-in methods whose codes go to
	// this value.
	UsedBy []string `json:"used_by,omitempty"`
}

// ContactsResponse answers GET /account/contacts: the organisation's
// fields, in its order, and the user's values.
type ContactsResponse struct {
	Fields []ContactField  `json:"fields"`
	Values []ContactValue  `json:"values"`
	Change []ContactChange `json:"pending,omitempty"` // changes waiting for their code
}

// ContactChange is a change waiting for the code sent to confirm it: a
// new value (sent to it) or, with Remove, the removal of a locked value
// (sent to the value itself).
type ContactChange struct {
	Field    string       `json:"field"`
	Value    string       `json:"value,omitempty"`
	Remove   bool         `json:"remove,omitempty"`
	Delivery CodeDelivery `json:"delivery"`
}

// SetContactRequest sets a field's value (PUT /account/contacts/{field}).
type SetContactRequest struct {
	Value string `json:"value"`
}

// Validate checks that a value was given; the server checks its form
// against the field's type with NormalizeContact.
func (r SetContactRequest) Validate() error {
	f := fieldErrors{}
	f.check(strings.TrimSpace(r.Value) != "", "value", "Enter a value, or remove the field instead.")
	f.check(len(r.Value) <= 4*MaxContactTextLen, "value", "This is far too long.")
	return f.err()
}

// ContactResponse answers a change of a contact value: either the value
// as stored (Contact), or, when the change waits for a code, the change
// and where the code went (Pending).
type ContactResponse struct {
	Contact *ContactValue  `json:"contact,omitempty"`
	Pending *ContactChange `json:"pending,omitempty"`
	Removed bool           `json:"removed,omitempty"`
}

// Messages of a wrong TEXT value.
const (
	msgTextMissing = "Enter a value, or remove the field instead."
	msgTextLong    = "Use at most 200 characters."
	msgTextControl = "Use one line of text, without tabs or control characters."
)

// NormalizeContact normalises a value for a field of type t and checks
// it. A wrong one gives an invalid_request error on the field "value"
// that says how to write it.
func NormalizeContact(t ContactType, s string) (string, error) {
	if channel := t.Channel(); channel != "" {
		return normalizeAddress(channel, s, "value")
	}
	s = strings.TrimSpace(s)
	f := fieldErrors{}
	f.check(s != "", "value", msgTextMissing)
	f.check(utf8.RuneCountInString(s) <= MaxContactTextLen, "value", msgTextLong)
	f.check(utf8.ValidString(s) && strings.IndexFunc(s, unicode.IsControl) < 0, "value", msgTextControl)
	if err := f.err(); err != nil {
		return "", err
	}
	return s, nil
}

// MaskContact hides most of an address of type t, as codes' deliveries
// do; TEXT values are shown as they are.
func MaskContact(t ContactType, value string) string {
	if channel := t.Channel(); channel != "" {
		return MaskAddress(channel, value)
	}
	return value
}
