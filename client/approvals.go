package client

import (
	"context"
	"net/http"
	"net/url"

	"selfservice/api"
)

// The calls of the approval process. An approvable call (CreateToken,
// DisableToken, DeleteToken) may fail with approval_required: confirm
// the approval of its details (api.ApprovalRequired) with
// ApprovalChallenge and VerifyApproval, then repeat the call with
// api.WithApproval(ctx, approvalID). It may also fail with
// approval_pending (api.ApprovalPending): the server sent it to
// approvers as an approval request instead.

// Approval returns a step-up approval, to follow its state:
// GET /approvals/{id}.
func (c *Client) Approval(ctx context.Context, id string) (api.Approval, error) {
	var out api.ApprovalResponse
	err := c.do(ctx, http.MethodGet, approvalPath(id), nil, &out)
	return out.Approval, err
}

// ApprovalChallenge prepares one of the user's ACTIVE tokens to confirm
// an approval: for a security key, the options to answer with it:
// POST /approvals/{id}/challenge.
func (c *Client) ApprovalChallenge(ctx context.Context, id string, req api.ApprovalChallengeRequest) (api.ChallengeResponse, error) {
	var out api.ChallengeResponse
	err := c.do(ctx, http.MethodPost, approvalPath(id)+"/challenge", req, &out)
	return out, err
}

// VerifyApproval confirms an approval with a code (req.OTP) or a security
// key's answer to ApprovalChallenge (req.WebAuthn):
// POST /approvals/{id}/verify.
func (c *Client) VerifyApproval(ctx context.Context, id string, req api.VerifyApprovalRequest) (api.Approval, error) {
	var out api.ApprovalResponse
	err := c.do(ctx, http.MethodPost, approvalPath(id)+"/verify", req, &out)
	return out.Approval, err
}

// Requests lists the user's approval requests, newest first: those still
// open (filter api.FilterPending) or all (api.FilterAll):
// GET /requests?status=….
func (c *Client) Requests(ctx context.Context, filter string) ([]api.ApprovalRequest, error) {
	return c.requestList(ctx, "/requests", filter)
}

// Request returns one of the user's approval requests with its history:
// GET /requests/{id}.
func (c *Client) Request(ctx context.Context, id string) (api.ApprovalRequest, error) {
	return c.requestCall(ctx, http.MethodGet, "/requests/"+url.PathEscape(id), nil)
}

// RevokeRequest withdraws one of the user's requests while its action has
// not run: POST /requests/{id}/revoke.
func (c *Client) RevokeRequest(ctx context.Context, id string) (api.ApprovalRequest, error) {
	return c.requestCall(ctx, http.MethodPost, "/requests/"+url.PathEscape(id)+"/revoke", nil)
}

// Inbox lists the requests the user is an approver of, newest first:
// those waiting for a decision (api.FilterPending) or all
// (api.FilterAll): GET /inbox?status=….
func (c *Client) Inbox(ctx context.Context, filter string) ([]api.ApprovalRequest, error) {
	return c.requestList(ctx, "/inbox", filter)
}

// InboxRequest returns a request the user is an approver of:
// GET /inbox/{id}.
func (c *Client) InboxRequest(ctx context.Context, id string) (api.ApprovalRequest, error) {
	return c.requestCall(ctx, http.MethodGet, inboxPath(id), nil)
}

// ApproveRequest approves a request, with a comment:
// POST /inbox/{id}/approve. The approval that completes a request runs
// its action.
func (c *Client) ApproveRequest(ctx context.Context, id string, req api.DecisionRequest) (api.ApprovalRequest, error) {
	return c.requestCall(ctx, http.MethodPost, inboxPath(id)+"/approve", req)
}

// DeclineRequest declines a request, with a comment, which rejects it:
// POST /inbox/{id}/decline.
func (c *Client) DeclineRequest(ctx context.Context, id string, req api.DecisionRequest) (api.ApprovalRequest, error) {
	return c.requestCall(ctx, http.MethodPost, inboxPath(id)+"/decline", req)
}

func (c *Client) requestList(ctx context.Context, path, filter string) ([]api.ApprovalRequest, error) {
	if filter != "" {
		path += "?status=" + url.QueryEscape(filter)
	}
	var out api.ApprovalRequestsResponse
	err := c.do(ctx, http.MethodGet, path, nil, &out)
	return out.Requests, err
}

// requestCall sends a request answered with {"request":…}.
func (c *Client) requestCall(ctx context.Context, method, path string, body any) (api.ApprovalRequest, error) {
	var out api.ApprovalRequestResponse
	err := c.do(ctx, method, path, body, &out)
	return out.Request, err
}

func approvalPath(id string) string {
	return "/approvals/" + url.PathEscape(id)
}

func inboxPath(id string) string {
	return "/inbox/" + url.PathEscape(id)
}
