package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"selfservice/api"
)

// Sessions lists the signed-in user's sessions, the newest first; the
// one of this client is Current.
func (c *Client) Sessions(ctx context.Context) ([]api.Session, error) {
	var out api.SessionsResponse
	err := c.do(ctx, http.MethodGet, "/account/sessions", nil, &out)
	return out.Sessions, err
}

// EndSession signs one of the user's sessions out; ending this client's
// own is signing out.
func (c *Client) EndSession(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodDelete, "/account/sessions/"+url.PathEscape(id), nil, nil)
}

// SignOutSessions ends the user's other sessions (api.SignOutOthers) or
// all of them (api.SignOutAll), and says how many ended.
func (c *Client) SignOutSessions(ctx context.Context, which string) (int, error) {
	var out api.SignOutResponse
	err := c.do(ctx, http.MethodPost, "/account/sessions/sign-out", api.SignOutRequest{Which: which}, &out)
	return out.SignedOut, err
}

// Activity lists the user's newest sign-in attempts, at most limit.
func (c *Client) Activity(ctx context.Context, limit int) ([]api.SignInAttempt, error) {
	var out api.ActivityResponse
	err := c.do(ctx, http.MethodGet, "/account/activity?limit="+strconv.Itoa(limit), nil, &out)
	return out.Attempts, err
}

// ReportSignIn tells the server that a sign-in attempt was not the
// user's: every session of the user ends, this one too, and the helpdesk
// is told.
func (c *Client) ReportSignIn(ctx context.Context, id string) (api.ReportResponse, error) {
	var out api.ReportResponse
	err := c.do(ctx, http.MethodPost, "/account/activity/"+url.PathEscape(id)+"/report", nil, &out)
	return out, err
}
