package client

import (
	"context"
	"io"
	"net/http"
	"net/url"

	"selfservice/api"
)

// Privacy and data: the consents, the copy of the user's data, and the
// deletion of the account.

// Consents returns the organisation's consents with the user's answers:
// GET /account/consents.
func (c *Client) Consents(ctx context.Context) (api.ConsentsResponse, error) {
	var out api.ConsentsResponse
	err := c.do(ctx, http.MethodGet, "/account/consents", nil, &out)
	return out, err
}

// SetConsent grants or declines the consent id, for its current version:
// PUT /account/consents/{id}.
func (c *Client) SetConsent(ctx context.Context, id string, granted bool) (api.Consent, error) {
	var out api.Consent
	err := c.do(ctx, http.MethodPut, "/account/consents/"+url.PathEscape(id), api.SetConsentRequest{Granted: &granted}, &out)
	return out, err
}

// ExportAccount writes the copy of the user's data (api.AccountExport's
// JSON) to w and returns its size: GET /account/export. It streams, and
// calls progress, when not nil, with the bytes received so far and the
// size (-1 while unknown).
func (c *Client) ExportAccount(ctx context.Context, w io.Writer, progress func(received, total int64)) (int64, error) {
	return c.download(ctx, "/account/export", w, progress)
}

// DeletionSummary says what deleting the account removes:
// GET /account/deletion.
func (c *Client) DeletionSummary(ctx context.Context) (api.DeletionSummary, error) {
	var out api.DeletionSummary
	err := c.do(ctx, http.MethodGet, "/account/deletion", nil, &out)
	return out, err
}

// DeleteAccount deletes the user's account: DELETE /account, with the
// username typed as the confirmation. It fails with approval_required
// first; repeat it with the confirmed approval in ctx (api.WithApproval).
// When approvers must approve, it fails with approval_pending (see
// api.ApprovalPending) instead of deleting.
func (c *Client) DeleteAccount(ctx context.Context, req api.DeleteAccountRequest) error {
	return c.do(ctx, http.MethodDelete, "/account", req, nil)
}
