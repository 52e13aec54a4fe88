package api

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Sponsored invitations. An employee (the sponsor) invites someone who
// has no account yet from one of the organisation's invitation
// templates: the invitee's name, email address and the template's other
// fields. Creating one is approvable (OpInvitationCreate): without a
// policy it is SENT at once; under a step-up the sponsor confirms first;
// under approvers it waits IN_APPROVAL and is SENT when approved. The
// invitee opens the emailed link (the server's page /invite/{token}),
// chooses a username and password, and the account exists: ACCEPTED. A
// SENT invitation nobody accepted in time is EXPIRED; the sponsor may
// recall it (RECALLED) or resend it (a new link; the old one no longer
// works).

// OpInvitationCreate creates a sponsored invitation; target: the
// template id; params: the invitee's data.
const OpInvitationCreate Operation = "invitation.create"

// InvitationStatus is where an invitation stands.
type InvitationStatus string

const (
	InvitationInApproval InvitationStatus = "IN_APPROVAL"
	InvitationSent       InvitationStatus = "SENT"
	InvitationAccepted   InvitationStatus = "ACCEPTED"
	InvitationExpired    InvitationStatus = "EXPIRED"
	InvitationRecalled   InvitationStatus = "RECALLED"
	// InvitationDeclined: the approval request was declined, revoked or
	// expired, so the invitation was never sent.
	InvitationDeclined InvitationStatus = "DECLINED"
)

// InvitationStatuses lists the statuses, as the list filter takes them.
var InvitationStatuses = []InvitationStatus{InvitationInApproval, InvitationSent, InvitationAccepted,
	InvitationExpired, InvitationRecalled, InvitationDeclined}

// Open reports whether the invitation may still be recalled or deleted:
// IN_APPROVAL or SENT.
func (s InvitationStatus) Open() bool { return s == InvitationInApproval || s == InvitationSent }

// Events of an invitation's history.
const (
	InvitationEventCreated  = "created"
	InvitationEventApproved = "approved"
	InvitationEventSent     = "sent"
	InvitationEventResent   = "resent"
	InvitationEventAccepted = "accepted"
	InvitationEventExpired  = "expired"
	InvitationEventRecalled = "recalled"
	InvitationEventDeclined = "declined"
)

// InvitationField is a field a template asks of the invitee besides the
// name and email address: one of the organisation's profile fields,
// which the new account gets.
type InvitationField struct {
	ID        string `json:"id"`
	Label     string `json:"label"`
	Required  bool   `json:"required"`
	MaxLength int    `json:"max_length"` // characters
}

// InvitationTemplate is one way to invite (GET /invitation-templates).
type InvitationTemplate struct {
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	Description string            `json:"description,omitempty"`
	Fields      []InvitationField `json:"fields"`
	LinkDays    int               `json:"link_days"` // how long the emailed link works
}

// InvitationTemplatesResponse answers GET /invitation-templates. Approval
// says up front what creating an invitation takes: none (sent at once),
// self (a step-up) or approvers.
type InvitationTemplatesResponse struct {
	Templates []InvitationTemplate `json:"templates"`
	Approval  ApprovalMode         `json:"approval"`
}

// CreateInvitationRequest is the body of POST /invitations.
type CreateInvitationRequest struct {
	TemplateID string            `json:"template_id"`
	Name       string            `json:"name"`
	Email      string            `json:"email"`
	Fields     map[string]string `json:"fields,omitempty"` // by InvitationField.ID
}

// Limits of an invitation's fields.
const (
	maxInvitationFields     = 50
	maxInvitationFieldValue = 1000
)

// Validate checks each field's form; the server checks the template's
// fields, and that the address has no account and no open invitation.
// A template field's error is named "fields.<id>".
func (r CreateInvitationRequest) Validate() error {
	f := fieldErrors{}
	f.check(strings.TrimSpace(r.TemplateID) != "" && len(r.TemplateID) <= 100, "template_id", "Choose a template.")
	name := strings.TrimSpace(r.Name)
	f.check(name != "", "name", "Enter the name of the person you invite.")
	f.check(utf8.RuneCountInString(name) <= MaxDisplayNameLen, "name", fmt.Sprintf("The name is at most %d characters.", MaxDisplayNameLen))
	f.check(utf8.ValidString(name) && printable(name), "name", "The name contains characters that are not allowed.")
	email := NormalizeEmail(r.Email)
	f.check(email != "", "email", msgEmailMissing)
	f.check(ValidEmail(email), "email", msgEmailInvalid)
	f.check(len(r.Fields) <= maxInvitationFields, "fields", "Too many fields.")
	for id, v := range r.Fields {
		f.check(len(v) <= maxInvitationFieldValue && utf8.ValidString(v) && printable(v), "fields."+id, "This value is too long or contains characters that are not allowed.")
	}
	return f.err()
}

// InvitationEvent is one step of an invitation's history.
type InvitationEvent struct {
	At    time.Time `json:"at"`
	Event string    `json:"event"` // InvitationEvent…
}

// Invitation is one of the sponsor's invitations.
type Invitation struct {
	ID           string            `json:"id"`
	TemplateID   string            `json:"template_id"`
	TemplateName string            `json:"template_name"`
	Name         string            `json:"name"`
	Email        string            `json:"email"`
	Fields       map[string]string `json:"fields"`
	Status       InvitationStatus  `json:"status"`
	CreatedAt    time.Time         `json:"created_at"`
	SentAt       *time.Time        `json:"sent_at,omitempty"`    // the newest link's
	ExpiresAt    *time.Time        `json:"expires_at,omitempty"` // when the newest link stops working
	// ResendAt is when Resend may send a new link; absent unless SENT.
	ResendAt *time.Time `json:"resend_at,omitempty"`
	// Username is the account the invitee made; only once ACCEPTED.
	Username string `json:"username,omitempty"`
	// RequestID is the approval request of an invitation IN_APPROVAL.
	RequestID string            `json:"request_id,omitempty"`
	History   []InvitationEvent `json:"history"` // oldest first
}

// InvitationsResponse answers GET /invitations, newest first.
type InvitationsResponse struct {
	Invitations []Invitation `json:"invitations"`
}

// InvitationResponse answers the calls on one invitation.
type InvitationResponse struct {
	Invitation Invitation `json:"invitation"`
}
