package api

import (
	"strings"
	"time"
)

// Privacy and data. The organisation lists the consents it asks for (its
// configuration): each user grants or declines each one, and a new
// version of a consent asks again. The user downloads a copy of what the
// server holds about them (AccountExport), and may delete their account,
// after a step-up, whatever the approval policies say (OpAccountDelete).

// ConsentState is where a user stands on a consent.
type ConsentState string

const (
	ConsentGranted  ConsentState = "granted"
	ConsentDeclined ConsentState = "declined"
	// ConsentNotAsked: never answered, or answered for an earlier version
	// of the consent. It counts as declined: every consent is off until
	// the user grants it.
	ConsentNotAsked ConsentState = "not_asked"
)

// Consent is one consent of the organisation with the user's answer
// (GET /account/consents).
type Consent struct {
	ID          string       `json:"id"`
	Title       string       `json:"title"`
	Description string       `json:"description"`
	URL         string       `json:"url,omitempty"` // the full text, https://
	Version     int          `json:"version"`       // the current version
	State       ConsentState `json:"state"`
	// AnsweredAt and AnsweredVersion are when the user last answered and
	// for which version; absent when they never did. An answer for an
	// earlier version leaves State not_asked.
	AnsweredAt      *time.Time `json:"answered_at,omitempty"`
	AnsweredVersion int        `json:"answered_version,omitempty"`
}

// Granted reports whether the user grants c now.
func (c Consent) Granted() bool { return c.State == ConsentGranted }

// ConsentsResponse answers GET /account/consents, in the organisation's
// order.
type ConsentsResponse struct {
	Consents []Consent `json:"consents"`
}

// SetConsentRequest is the body of PUT /account/consents/{id}, which
// answers the consent's current version and returns the Consent.
type SetConsentRequest struct {
	Granted *bool `json:"granted"`
}

// Validate checks that the answer is given.
func (r SetConsentRequest) Validate() error {
	f := fieldErrors{}
	f.check(r.Granted != nil, "granted", "Say whether you grant this consent: true or false.")
	return f.err()
}

// OpAccountDelete deletes the user's account (target: the user's id). It
// always needs a step-up; a policy in mode approvers also sends it to
// approvers first (see DELETE /account). It is in Operations so that it
// may have such a policy; modes none and self both mean a step-up.
const OpAccountDelete Operation = "account.delete"

// DeletionSummary answers GET /account/deletion: what deleting the
// account removes, counted, and what it keeps. Everything of the user is
// removed; only the decisions they gave on other users' requests stay,
// without their name, so that those requests keep their history.
type DeletionSummary struct {
	Username            string `json:"username"` // to type as the confirmation
	Tokens              int    `json:"tokens"`
	ContactValues       int    `json:"contact_values"`
	ProfileFields       int    `json:"profile_fields"`
	VerificationAnswers int    `json:"verification_answers"`
	Documents           int    `json:"documents"`
	Requests            int    `json:"requests"`
	Consents            int    `json:"consents"`
	Sessions            int    `json:"sessions"`
	Messages            int    `json:"messages"`
	AnonymisedDecisions int    `json:"anonymised_decisions"` // decisions on others' requests, kept without the user's name
	ApprovalNeeded      bool   `json:"approval_needed"`      // approvers must approve the deletion first
}

// DeleteAccountRequest is the body of DELETE /account: the user's
// username, typed as the confirmation.
type DeleteAccountRequest struct {
	Username string `json:"username"`
}

// Validate checks that the username is typed.
func (r DeleteAccountRequest) Validate() error {
	f := fieldErrors{}
	f.check(strings.TrimSpace(r.Username) != "", "username", "Type your username to confirm.")
	f.check(len(r.Username) <= 200, "username", "This is not your username.")
	return f.err()
}

// ExportFormatVersion is the version of AccountExport's format; it
// changes when a field is renamed or removed (new fields keep it).
const ExportFormatVersion = 1

// AccountExport is the copy of the user's data (GET /account/export):
// everything the server holds about them, except secrets (no password
// hash, token seeds or counters, session tokens, codes, nor the answers
// to verification questions). Lists are empty, never absent. Documents
// are listed; their content is downloaded from Documents.
type AccountExport struct {
	FormatVersion int       `json:"format_version"`
	ExportedAt    time.Time `json:"exported_at"`

	User          ExportUser            `json:"user"`
	Profile       ExportProfile         `json:"profile"`
	Contacts      []ExportContact       `json:"contacts"`
	ContactChange []ExportContactChange `json:"pending_contact_changes"`
	Tokens        []Token               `json:"tokens"`
	Questions     []ExportAnswer        `json:"verification_questions"`
	Documents     []Document            `json:"documents"`
	Requests      []ExportRequest       `json:"approval_requests"`
	Decisions     []ExportDecision      `json:"approval_decisions"`
	Consents      []ExportConsent       `json:"consents"`
	ConsentLog    []ExportConsent       `json:"consent_history"`
	Messages      []ExportMessage       `json:"messages"`
	Invitations   []Invitation          `json:"invitations"`      // those the user sponsored
	Sessions      []Session             `json:"sessions"`         // never their tokens
	SignIns       []SignInAttempt       `json:"sign_in_activity"` // newest first
}

// ExportUser is the user's account.
type ExportUser struct {
	ID          string    `json:"id"`
	Username    string    `json:"username"`
	DisplayName string    `json:"display_name"`
	Role        string    `json:"role"`
	Enrollment  string    `json:"enrollment"`
	CreatedAt   time.Time `json:"created_at"`
}

// ExportProfile is the profile: the values of the organisation's profile
// fields, by field id, and the preferences.
type ExportProfile struct {
	Fields      map[string]string `json:"fields"`
	Preferences Preferences       `json:"preferences"`
}

// ExportContact is a contact value.
type ExportContact struct {
	FieldID    string     `json:"field_id"`
	Value      string     `json:"value"`
	Preferred  bool       `json:"preferred"`
	VerifiedAt *time.Time `json:"verified_at,omitempty"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// ExportContactChange is a contact change waiting for its code (never
// the code).
type ExportContactChange struct {
	FieldID   string    `json:"field_id"`
	Value     string    `json:"value"`
	Remove    bool      `json:"remove"`
	SentTo    string    `json:"sent_to"`
	SentAt    time.Time `json:"sent_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// ExportAnswer is a verification question the user answered: when, never
// the answer.
type ExportAnswer struct {
	QuestionID string    `json:"question_id"`
	Question   string    `json:"question,omitempty"` // its text, while the catalog has it
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// ExportRequest is an approval request the user made, with its history.
type ExportRequest struct {
	ID          string            `json:"id"`
	Operation   Operation         `json:"operation"`
	TargetLabel string            `json:"target_label"`
	Parameters  map[string]string `json:"parameters"`
	Status      RequestStatus     `json:"status"`
	CreatedAt   time.Time         `json:"created_at"`
	ExecutedAt  *time.Time        `json:"executed_at,omitempty"`
	History     []ExportEvent     `json:"history"`
}

// ExportEvent is a step of a request's history: by the user, or by one
// of its approvers (not named).
type ExportEvent struct {
	At      time.Time    `json:"at"`
	Event   RequestEvent `json:"event"`
	ByMe    bool         `json:"by_me"`
	Comment string       `json:"comment,omitempty"`
}

// ExportDecision is a decision the user gave on someone else's request.
type ExportDecision struct {
	RequestID string       `json:"request_id"`
	Operation Operation    `json:"operation"`
	Event     RequestEvent `json:"event"` // approved or declined
	Comment   string       `json:"comment"`
	At        time.Time    `json:"at"`
}

// ExportConsent is an answer to a consent: the current one, or one of
// the history.
type ExportConsent struct {
	ID      string    `json:"id"`
	Version int       `json:"version"`
	Granted bool      `json:"granted"`
	At      time.Time `json:"at"`
}

// ExportMessage is a message the server sent the user (never its text,
// which may hold a code or link).
type ExportMessage struct {
	At      time.Time  `json:"at"`
	Channel string     `json:"channel"` // email or sms
	To      string     `json:"to"`
	Subject string     `json:"subject,omitempty"`
	Status  string     `json:"status"`
	SentAt  *time.Time `json:"sent_at,omitempty"`
}
