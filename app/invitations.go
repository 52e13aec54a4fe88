package app

import (
	"context"

	"selfservice/api"
)

// Sponsored invitations (api.PrivInvitationView and the create, recall
// and delete privileges): the user invites someone without an account
// from one of the organisation's templates, follows where each
// invitation stands, sends it again, recalls or deletes it. Creating one
// is approvable (api.OpInvitationCreate): a step-up is confirmed as for
// any approvable call; one sent to approvers waits IN_APPROVAL, and the
// server sends it once approved.

// InvitationAction is something the user can do to one invitation.
type InvitationAction int

const (
	InvitationResend InvitationAction = iota
	InvitationRecall
	InvitationDelete
)

// InvitationTemplates lists the templates to invite from, and what
// creating an invitation takes.
func (s *Session) InvitationTemplates(ctx context.Context) (api.InvitationTemplatesResponse, error) {
	return call(s, func(b Backend) (api.InvitationTemplatesResponse, error) { return b.InvitationTemplates(ctx) })
}

// Invitations lists the user's invitations, newest first; status "" for
// all of them.
func (s *Session) Invitations(ctx context.Context, status api.InvitationStatus) ([]api.Invitation, error) {
	return call(s, func(b Backend) ([]api.Invitation, error) { return b.Invitations(ctx, status) })
}

// Invitation returns one invitation with its history.
func (s *Session) Invitation(ctx context.Context, id string) (api.Invitation, error) {
	return call(s, func(b Backend) (api.Invitation, error) { return b.Invitation(ctx, id) })
}

// CreateInvitation invites someone; the form is checked before anything
// is sent, with errors named as the server names them (name, email,
// fields.<id>).
func (s *Session) CreateInvitation(ctx context.Context, req api.CreateInvitationRequest) (api.Invitation, error) {
	if err := req.Validate(); err != nil {
		return api.Invitation{}, err
	}
	return call(s, func(b Backend) (api.Invitation, error) { return b.CreateInvitation(ctx, req) })
}

// ResendInvitation sends a SENT invitation again with a new link.
func (s *Session) ResendInvitation(ctx context.Context, id string) (api.Invitation, error) {
	return call(s, func(b Backend) (api.Invitation, error) { return b.ResendInvitation(ctx, id) })
}

// RecallInvitation recalls a SENT invitation.
func (s *Session) RecallInvitation(ctx context.Context, id string) (api.Invitation, error) {
	return call(s, func(b Backend) (api.Invitation, error) { return b.RecallInvitation(ctx, id) })
}

// DeleteInvitation deletes an invitation IN_APPROVAL or SENT.
func (s *Session) DeleteInvitation(ctx context.Context, id string) error {
	_, err := call(s, func(b Backend) (struct{}, error) { return struct{}{}, b.DeleteInvitation(ctx, id) })
	return err
}

// CanOnInvitation reports whether the user may do a to inv now, by
// their privileges and its status: resend and recall a SENT one, delete
// one IN_APPROVAL or SENT. The server checks both again.
func (s *Session) CanOnInvitation(inv api.Invitation, a InvitationAction) bool {
	switch a {
	case InvitationResend:
		return s.Can(api.PrivInvitationCreate) && inv.Status == api.InvitationSent
	case InvitationRecall:
		return s.Can(api.PrivInvitationRecall) && inv.Status == api.InvitationSent
	case InvitationDelete:
		return s.Can(api.PrivInvitationDelete) && inv.Status.Open()
	}
	return false
}
