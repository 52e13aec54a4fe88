package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-resty/resty/v2"

	"selfservice/api"
)

// transportError maps a failure to get any answer into an *api.Error, or
// into the context's error when the caller cancelled. retry says whether
// trying again may help.
func (c *Client) transportError(ctx context.Context, err error) (retry bool, _ error) {
	if errors.Is(ctx.Err(), context.Canceled) {
		return false, cancelled(ctx.Err())
	}
	// The request URL may hold a login id: keep it out of the cause.
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}

	var (
		verifyErr    *tls.CertificateVerificationError
		authorityErr x509.UnknownAuthorityError
		hostErr      x509.HostnameError
		invalidErr   x509.CertificateInvalidError
		netErr       net.Error
	)
	switch {
	case errors.Is(err, resty.ErrResponseBodyTooLarge):
		return false, c.badResponse(0, err)
	case errors.As(err, &verifyErr), errors.As(err, &authorityErr), errors.As(err, &hostErr), errors.As(err, &invalidErr):
		return false, &api.Error{
			Code:    api.CodeCertificateInvalid,
			Message: fmt.Sprintf("The certificate of the server at %s is not trusted, so the app did not connect. Check the address; if it is right, ask IT for your organisation's CA bundle.", c.server),
			Cause:   err,
		}
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return false, c.timeoutError(err)
	}
	return true, &api.Error{
		Code:    api.CodeUnreachable,
		Message: fmt.Sprintf("Cannot reach the server at %s: check the address and your network connection.", c.server),
		Cause:   err,
	}
}

// timeoutError is the error for a request that ran out of time.
func (c *Client) timeoutError(cause error) *api.Error {
	return &api.Error{
		Code:    api.CodeTimeout,
		Message: fmt.Sprintf("The server at %s did not answer in time. Try again in a moment; if it keeps happening, check your network connection.", c.server),
		Cause:   cause,
	}
}

// badResponse is the error for an answer that is not the API's JSON.
func (c *Client) badResponse(status int, cause error) *api.Error {
	msg := fmt.Sprintf("The server at %s gave an answer the app does not understand", c.server)
	if status != 0 {
		msg += fmt.Sprintf(" (HTTP %d %s)", status, http.StatusText(status))
	}
	return &api.Error{
		Code:    api.CodeBadResponse,
		Message: msg + ". Check that the address is the one of your Selfservice server.",
		Status:  status,
		Cause:   cause,
	}
}

// cancelled wraps the error of a context the caller cancelled.
func cancelled(err error) error {
	return fmt.Errorf("request cancelled: %w", err)
}

// parseRetryAfter reads a Retry-After header: seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0
		}
		return time.Duration(secs) * time.Second
	}
	if at, err := http.ParseTime(v); err == nil && at.After(now) {
		return at.Sub(now)
	}
	return 0
}
