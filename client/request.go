package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/go-resty/resty/v2"

	"selfservice/api"
)

// do sends one API request with body (JSON, when not nil) and decodes a
// 2xx answer into out (when not nil). Reads (GET) are tried again after a
// short wait when the server could not be reached or answered 502, 503 or
// 504; other methods are sent once, because repeating them could change
// data twice.
func (c *Client) do(ctx context.Context, method, path string, body, out any) error {
	attempts := 1
	if method == http.MethodGet {
		attempts += len(c.backoff)
	}
	var err error
	for attempt := range attempts {
		if attempt > 0 {
			if werr := wait(ctx, c.backoff[attempt-1]); werr != nil {
				if errors.Is(werr, context.Canceled) {
					return cancelled(werr)
				}
				return c.timeoutError(werr)
			}
		}
		var retry bool
		retry, err = c.send(ctx, method, path, body, out)
		if !retry {
			return err
		}
	}
	return err
}

// send makes one attempt; retry says whether another one may help.
func (c *Client) send(ctx context.Context, method, path string, body, out any) (retry bool, err error) {
	reqCtx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	req := c.request(reqCtx)
	if body != nil {
		req.SetHeader("Content-Type", "application/json").SetBody(body)
	}
	if id := api.ApprovalFrom(ctx); id != "" {
		req.SetHeader(api.ApprovalHeader, id)
	}
	resp, err := req.Execute(method, c.baseURL+path)
	if err != nil {
		return c.transportError(ctx, err)
	}
	return c.decode(resp, out)
}

// request starts a request with the session token, if any.
func (c *Client) request(ctx context.Context) *resty.Request {
	req := c.http.R().SetContext(ctx)
	if token := c.sessionToken(); token != "" {
		req.SetAuthToken(token)
	}
	return req
}

// decode turns an answer into out or into an *api.Error. A 202 answer
// to an approvable call carries the approval request the server made
// instead of acting: it becomes an approval_pending error.
func (c *Client) decode(resp *resty.Response, out any) (retry bool, err error) {
	status := resp.StatusCode()
	if status == http.StatusAccepted {
		return false, c.approvalPending(resp)
	}
	if status >= 200 && status < 300 {
		if out == nil {
			return false, nil
		}
		if err := json.Unmarshal(resp.Body(), out); err != nil {
			return false, c.badResponse(status, err)
		}
		return false, nil
	}

	return c.errorAnswer(status, resp.Header(), resp.Body())
}

// errorAnswer turns a non-2xx answer into its *api.Error.
func (c *Client) errorAnswer(status int, header http.Header, body []byte) (retry bool, err error) {
	retry = status == http.StatusBadGateway || status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout
	var env api.ErrorEnvelope
	if json.Unmarshal(body, &env) != nil || env.Error == nil || env.Error.Code == "" {
		return retry, c.badResponse(status, nil)
	}
	apiErr := env.Error
	apiErr.Status = status
	apiErr.RetryAfter = parseRetryAfter(header.Get("Retry-After"), time.Now())
	return retry, apiErr
}

// wait pauses for d unless ctx ends first.
func wait(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// approvalPending is the error for a 202 answer: the approval request
// the server made, in its details.
func (c *Client) approvalPending(resp *resty.Response) error {
	var body api.ApprovalRequestResponse
	if err := json.Unmarshal(resp.Body(), &body); err != nil || body.Request.ID == "" {
		return c.badResponse(resp.StatusCode(), err)
	}
	return &api.Error{
		Code:    api.CodeApprovalPending,
		Message: "This action needs approval, and your request was sent to the approvers. You can follow it under My requests.",
		Details: map[string]any{"request": body.Request},
		Status:  resp.StatusCode(),
	}
}
