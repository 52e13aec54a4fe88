package client

import (
	"context"
	"net/http"
	"net/url"

	"selfservice/api"
)

// InvitationTemplates lists the templates the user may invite from, and
// what creating an invitation takes (api.ModeNone, ModeSelf or
// ModeApprovers).
func (c *Client) InvitationTemplates(ctx context.Context) (api.InvitationTemplatesResponse, error) {
	var out api.InvitationTemplatesResponse
	err := c.do(ctx, http.MethodGet, "/invitation-templates", nil, &out)
	return out, err
}

// Invitations lists the user's invitations, newest first; status, when
// not empty, keeps those of one status.
func (c *Client) Invitations(ctx context.Context, status api.InvitationStatus) ([]api.Invitation, error) {
	path := "/invitations"
	if status != "" {
		path += "?status=" + url.QueryEscape(string(status))
	}
	var out api.InvitationsResponse
	err := c.do(ctx, http.MethodGet, path, nil, &out)
	return out.Invitations, err
}

// Invitation returns one of the user's invitations with its history.
func (c *Client) Invitation(ctx context.Context, id string) (api.Invitation, error) {
	var out api.InvitationResponse
	err := c.do(ctx, http.MethodGet, "/invitations/"+url.PathEscape(id), nil, &out)
	return out.Invitation, err
}

// CreateInvitation invites someone. Approvable (invitation.create): a
// step-up is an approval_required error; sent to approvers, an
// approval_pending error carries the request, and the invitation waits
// IN_APPROVAL.
func (c *Client) CreateInvitation(ctx context.Context, req api.CreateInvitationRequest) (api.Invitation, error) {
	var out api.InvitationResponse
	err := c.do(ctx, http.MethodPost, "/invitations", req, &out)
	return out.Invitation, err
}

// ResendInvitation sends a SENT invitation again with a new link; the
// old link stops working. Too soon after the last is resend_too_soon.
func (c *Client) ResendInvitation(ctx context.Context, id string) (api.Invitation, error) {
	return c.invitationAction(ctx, id, "resend")
}

// RecallInvitation recalls a SENT invitation: its link stops working.
func (c *Client) RecallInvitation(ctx context.Context, id string) (api.Invitation, error) {
	return c.invitationAction(ctx, id, "recall")
}

func (c *Client) invitationAction(ctx context.Context, id, action string) (api.Invitation, error) {
	var out api.InvitationResponse
	err := c.do(ctx, http.MethodPost, "/invitations/"+url.PathEscape(id)+"/"+action, nil, &out)
	return out.Invitation, err
}

// DeleteInvitation deletes an invitation IN_APPROVAL (its approval
// request is revoked) or SENT.
func (c *Client) DeleteInvitation(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodDelete, "/invitations/"+url.PathEscape(id), nil, nil)
}
