package client

import (
	"context"
	"net/http"
	"net/url"

	"selfservice/api"
)

// IssueEmergencyCode issues an emergency access code to another user:
// POST /users/{username}/emergency-code. The answer is the only time the
// code is shown. Sign-in and step-up use it through VerifyLogin and
// VerifyApproval with token id api.EmergencyTokenID.
func (c *Client) IssueEmergencyCode(ctx context.Context, username string, req api.IssueEmergencyCodeRequest) (api.EmergencyCodeResponse, error) {
	var out api.EmergencyCodeResponse
	err := c.do(ctx, http.MethodPost, "/users/"+url.PathEscape(username)+"/emergency-code", req, &out)
	return out, err
}

// EmergencyHolder looks up another user before issuing them a code:
// GET /users/{username}/emergency-code, their name and the validity of
// the code they hold now.
func (c *Client) EmergencyHolder(ctx context.Context, username string) (api.EmergencyHolderResponse, error) {
	var out api.EmergencyHolderResponse
	err := c.do(ctx, http.MethodGet, "/users/"+url.PathEscape(username)+"/emergency-code", nil, &out)
	return out, err
}
