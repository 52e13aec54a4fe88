package server

import (
	"time"

	"selfservice/api"
)

// The records of the approval process that a Store keeps.

// ApprovalPolicyRecord says how an operation is approved. TemplateID ""
// applies to every template; a policy for the template at hand wins.
type ApprovalPolicyRecord struct {
	Operation  api.Operation
	TemplateID string
	Mode       api.ApprovalMode
	// Mode approvers only: the approving users, or the role whose users
	// approve (Group), and how many approvals a request needs.
	ApproverIDs []string
	Group       string
	Required    int
}

// ApprovalRecord is a step-up approval. Its stored Status is OPEN,
// VERIFIED or USED; expiry and failures are judged when it is read (see
// Server.approvalStatus).
type ApprovalRecord struct {
	IDHash     string
	UserID     string
	Operation  api.Operation
	Target     string
	ParamsHash string
	Status     api.ApprovalStatus
	TokenID    string // the token that confirmed it
	Failures   int
	CreatedAt  time.Time
	ExpiresAt  time.Time
}

// RequestRecord is an approval request. Its stored Status is
// IN_APPROVAL, APPROVED, REJECTED or REVOKED; whether it expired is
// judged when it is read (see Server.requestStatus).
type RequestRecord struct {
	ID          string
	RequesterID string
	Operation   api.Operation
	Target      string
	TargetLabel string
	Parameters  map[string]string
	ParamsHash  string
	Status      api.RequestStatus
	ApproverIDs []string
	Required    int
	History     []HistoryRecord
	CreatedAt   time.Time
	ExpiresAt   time.Time
	ExecutedAt  time.Time // zero until the action ran
}

// HistoryRecord is one event of a request. ActorID is empty for the
// server's own events.
type HistoryRecord struct {
	At      time.Time
	Event   api.RequestEvent
	ActorID string
	Comment string
}
