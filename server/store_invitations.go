package server

import (
	"context"
	"time"

	"selfservice/api"
)

// InvitationStore keeps the sponsored invitations (migrations
// sqlite/0023, postgres/0012) with their history. An invitation's link
// is a LinkRecord of its sponsor with the invitation as subject.
type InvitationStore interface {
	// CreateInvitation stores a new invitation with its history.
	CreateInvitation(ctx context.Context, inv InvitationRecord) error
	// Invitation returns one by id, or ErrNotFound.
	Invitation(ctx context.Context, id string) (InvitationRecord, error)
	// InvitationByRequest returns the invitation that waits for the
	// approval request requestID, or ErrNotFound.
	InvitationByRequest(ctx context.Context, requestID string) (InvitationRecord, error)
	// Invitations lists a sponsor's invitations, newest first.
	Invitations(ctx context.Context, sponsorID string) ([]InvitationRecord, error)
	// InvitationsTo lists the invitations to an email address (in any
	// case) that are IN_APPROVAL or SENT, whoever sent them.
	InvitationsTo(ctx context.Context, email string) ([]InvitationRecord, error)
	// UpdateInvitation loads an invitation, calls change with it and
	// saves its status, request, link times and accepted username, and
	// the events change appended to its history. When change fails
	// nothing is saved and its error is returned. ErrNotFound as for
	// Invitation.
	UpdateInvitation(ctx context.Context, id string, change func(inv *InvitationRecord) error) (InvitationRecord, error)
	// DeleteInvitation deletes one; ErrNotFound when it is gone.
	DeleteInvitation(ctx context.Context, id string) error
	// ExpireInvitations marks the SENT invitations whose link expired
	// by now EXPIRED, each with an expired event at its expiry, and
	// returns how many.
	ExpireInvitations(ctx context.Context, now time.Time) (int, error)
}

// InvitationRecord is a stored invitation.
type InvitationRecord struct {
	ID         string
	SponsorID  string
	TemplateID string
	Name       string
	Email      string
	Fields     map[string]string // the template's profile fields, by id
	Status     api.InvitationStatus
	RequestID  string    // the approval request while IN_APPROVAL
	CreatedAt  time.Time //
	SentAt     time.Time // the newest link's; zero until sent
	ExpiresAt  time.Time // when the newest link stops working
	// AcceptedUsername is the account the invitee made.
	AcceptedUsername string
	History          []InvitationEventRecord // oldest first
}

// InvitationEventRecord is one step of an invitation's history.
type InvitationEventRecord struct {
	At    time.Time
	Event string // api.InvitationEvent…
}
