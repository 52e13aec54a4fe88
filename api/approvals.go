package api

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// The approval process. Some operations are approvable: the server's
// policy for the operation says whether it runs at once (ModeNone), only
// after the user proves possession of one of their ACTIVE tokens again
// (ModeSelf, "step-up"), or only after approvers have approved it
// (ModeApprovers).
//
// Step-up: the request is answered 403 approval_required, whose details
// (see ApprovalRequired) name an approval; the user confirms it through
// POST /approvals/{id}/challenge and /verify, and the client repeats the
// request with the approval's id in the ApprovalHeader (see
// WithApproval).
//
// Approvers: the request is answered 202 with an ApprovalRequest, which
// the client returns as an approval_pending error (see ApprovalPending).

// Operation names an approvable operation. A new approvable operation is
// a new constant here, listed in Operations, and a server handler that
// asks for approval before it runs.
type Operation string

const (
	OpTokenEnroll  Operation = "token.enroll"  // target: the template id
	OpTokenDisable Operation = "token.disable" // target: the token id
	OpTokenDelete  Operation = "token.delete"  // target: the token id
	OpTokenAddress Operation = "token.address" // target: the token id; moves an SMS or email token to a new address
	// OpContactUpdate changes or removes a contact value; target: the
	// field id; params: the new value, or remove.
	OpContactUpdate Operation = "contact.update"
	// OpPasswordUpdate changes the user's password; target: the user id;
	// no parameters: the passwords are never part of an approval (the
	// approval is bound to the new password by a keyed hash the server
	// alone can make).
	OpPasswordUpdate Operation = "password.update"
)

// Operations lists every approvable operation.
var Operations = []Operation{OpTokenEnroll, OpTokenDisable, OpTokenDelete, OpTokenAddress, OpContactUpdate, OpPasswordUpdate, OpAccountDelete, OpInvitationCreate}

// OpQuestionReveal shows the user their answer to a verification
// question (target: the question id). It always needs a step-up: it has
// no policy, and is not in Operations.
const OpQuestionReveal Operation = "question.reveal"

// ApprovalMode is how an operation is approved.
type ApprovalMode string

const (
	ModeNone      ApprovalMode = "none"      // runs at once
	ModeSelf      ApprovalMode = "self"      // the user confirms with one of their tokens (step-up)
	ModeApprovers ApprovalMode = "approvers" // approvers must approve it first
)

// ApprovalModes lists the modes.
var ApprovalModes = []ApprovalMode{ModeNone, ModeSelf, ModeApprovers}

// WithApproval returns a context whose requests carry approvalID in the
// ApprovalHeader: the id of a confirmed step-up, or of an APPROVED
// request whose action the requester finishes. The client sends it with
// every request made with this context.
func WithApproval(ctx context.Context, approvalID string) context.Context {
	return context.WithValue(ctx, approvalKey{}, approvalID)
}

// ApprovalFrom returns the approval id WithApproval put in ctx, or "".
func ApprovalFrom(ctx context.Context) string {
	id, _ := ctx.Value(approvalKey{}).(string)
	return id
}

type approvalKey struct{}

// StepUp is the details of an approval_required error: the approval to
// confirm, the tokens it can be confirmed with (the user's ACTIVE tokens,
// as at sign-in), and until when it can be confirmed and used.
type StepUp struct {
	ApprovalID string        `json:"approval_id"`
	Methods    []LoginMethod `json:"methods"`
	ExpiresAt  time.Time     `json:"expires_at"`
}

// ApprovalRequired reports whether err is an approval_required error and
// returns its details.
func ApprovalRequired(err error) (*StepUp, bool) {
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeApprovalRequired {
		return nil, false
	}
	var out StepUp
	if !decodeDetails(e.Details, &out) || out.ApprovalID == "" {
		return nil, false
	}
	return &out, true
}

// ApprovalPending reports whether err is the client's approval_pending
// error (the server accepted the request as an approval request) and
// returns that request.
func ApprovalPending(err error) (*ApprovalRequest, bool) {
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeApprovalPending {
		return nil, false
	}
	var out struct {
		Request ApprovalRequest `json:"request"`
	}
	if !decodeDetails(e.Details, &out) || out.Request.ID == "" {
		return nil, false
	}
	return &out.Request, true
}

// decodeDetails reads an error's details into out, whether they were
// built in this process or decoded from JSON.
func decodeDetails(details map[string]any, out any) bool {
	raw, err := json.Marshal(details)
	return err == nil && json.Unmarshal(raw, out) == nil
}

// ApprovalStatus is the state of a step-up approval.
type ApprovalStatus string

const (
	ApprovalOpen     ApprovalStatus = "OPEN"     // waiting for the user to confirm it
	ApprovalVerified ApprovalStatus = "VERIFIED" // confirmed; the request may be repeated with it once
	ApprovalUsed     ApprovalStatus = "USED"     // a repeated request used it up
	ApprovalExpired  ApprovalStatus = "EXPIRED"  // not confirmed or used in time
	ApprovalFailed   ApprovalStatus = "FAILED"   // too many failed attempts to confirm it
)

// Approval is a step-up approval: one operation on one target with one
// set of parameters, for one user.
type Approval struct {
	ID        string         `json:"id"`
	Operation Operation      `json:"operation"`
	Target    string         `json:"target"`
	Status    ApprovalStatus `json:"status"`
	ExpiresAt time.Time      `json:"expires_at"`
}

// ApprovalResponse answers GET /approvals/{id} and its verify call.
type ApprovalResponse struct {
	Approval Approval `json:"approval"`
}

// ApprovalChallengeRequest chooses the token to confirm an approval
// with, POST /approvals/{id}/challenge.
type ApprovalChallengeRequest struct {
	TokenID string `json:"token_id"`
}

// VerifyApprovalRequest confirms an approval, POST /approvals/{id}/verify:
// a token and exactly one of a code, a security key's answer to the
// challenge, the id of the push request the challenge made (answered
// push_pending until the phone answers: poll), and an emergency access
// code.
type VerifyApprovalRequest struct {
	TokenID       string          `json:"token_id"`
	OTP           string          `json:"otp,omitempty"`
	WebAuthn      json.RawMessage `json:"webauthn,omitempty"`
	PushID        string          `json:"push_id,omitempty"`
	EmergencyCode string          `json:"emergency_code,omitempty"`
}

// RequestStatus is the state of an approval request.
type RequestStatus string

const (
	RequestInApproval RequestStatus = "IN_APPROVAL" // waiting for the approvers
	RequestApproved   RequestStatus = "APPROVED"    // fully approved; see ApprovalRequest.AwaitsRequester
	RequestRejected   RequestStatus = "REJECTED"    // an approver declined it
	RequestRevoked    RequestStatus = "REVOKED"     // the requester withdrew it
	RequestExpired    RequestStatus = "EXPIRED"     // not decided, or not finished, in time
)

// DecisionValue is an approver's decision.
type DecisionValue string

const (
	DecisionApproved DecisionValue = "APPROVED"
	DecisionDeclined DecisionValue = "DECLINED"
)

// RequestEvent is an event in a request's history.
type RequestEvent string

const (
	EventCreated  RequestEvent = "created"
	EventApproved RequestEvent = "approved" // one approver approved
	EventDeclined RequestEvent = "declined" // one approver declined
	EventRevoked  RequestEvent = "revoked"
	EventExpired  RequestEvent = "expired"
	EventExecuted RequestEvent = "executed" // the action ran
)

// Filters of the request lists.
const (
	FilterPending = "pending" // requests still open
	FilterAll     = "all"
)

// Person names a user taking part in a request.
type Person struct {
	ID          string `json:"id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
}

// Decision is an approver's current decision, with its required comment.
type Decision struct {
	Approver Person        `json:"approver"`
	Decision DecisionValue `json:"decision"`
	Comment  string        `json:"comment"`
	At       time.Time     `json:"at"`
}

// HistoryEntry is one event of a request.
type HistoryEntry struct {
	At      time.Time    `json:"at"`
	Event   RequestEvent `json:"event"`
	Actor   *Person      `json:"actor,omitempty"` // absent for the server's own events: expired, and executed by the final approval
	Comment string       `json:"comment,omitempty"`
}

// ApprovalRequest is an operation waiting for, or decided by, approvers:
// the approval request entity (not the body of a call). Parameters are
// exactly what the action runs with, and never hold secrets.
type ApprovalRequest struct {
	ID          string            `json:"id"`
	Operation   Operation         `json:"operation"`
	Target      string            `json:"target"`
	TargetLabel string            `json:"target_label"` // the target as the user knows it: a token's label, a template's name
	Parameters  map[string]string `json:"parameters"`
	Status      RequestStatus     `json:"status"`
	Requester   Person            `json:"requester"`
	Approvers   []Person          `json:"approvers"`
	Required    int               `json:"required"` // approvals needed
	Decisions   []Decision        `json:"decisions"`
	History     []HistoryEntry    `json:"history"`
	CreatedAt   time.Time         `json:"created_at"`
	ExpiresAt   time.Time         `json:"expires_at"` // deadline of the current step: the decision, or the requester finishing
	ExecutedAt  *time.Time        `json:"executed_at,omitempty"`
}

// Approvals counts the approvers who approved.
func (r ApprovalRequest) Approvals() int {
	n := 0
	for _, d := range r.Decisions {
		if d.Decision == DecisionApproved {
			n++
		}
	}
	return n
}

// AwaitsRequester reports whether the request is approved but its action
// has not run: the requester finishes it by repeating the original call
// with WithApproval(ctx, r.ID) and r.Parameters (token.enroll, whose
// secret or security key only the requester can receive).
func (r ApprovalRequest) AwaitsRequester() bool {
	return r.Status == RequestApproved && r.ExecutedAt == nil
}

// ApprovalRequestResponse answers the calls that return one request, and
// an approvable call sent to approvers (202).
type ApprovalRequestResponse struct {
	Request ApprovalRequest `json:"request"`
}

// ApprovalRequestsResponse answers GET /requests and GET /inbox, newest
// first.
type ApprovalRequestsResponse struct {
	Requests []ApprovalRequest `json:"requests"`
}

// DecisionRequest approves or declines a request,
// POST /inbox/{id}/approve and /decline.
type DecisionRequest struct {
	Comment string `json:"comment"`
}
