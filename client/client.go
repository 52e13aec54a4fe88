// Package client is the typed HTTP client of the Selfservice API. Every
// method takes a context first, returns the wire types of package api, and
// fails with an *api.Error that callers inspect with errors.Is and
// errors.As. Only a cancelled context is returned as the context's own
// error (wrapped), so that callers can stay silent about it.
//
// The server address must use https://, except for loopback hosts
// (127.0.0.0/8, ::1, localhost) where http:// is allowed for local
// development and the embedded demo server.
package client

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/go-resty/resty/v2"

	"selfservice/api"
)

// DefaultTimeout bounds one request when Options.Timeout is zero.
const DefaultTimeout = 15 * time.Second

const defaultUserAgent = "Selfservice"

// maxResponseBytes bounds what the client reads from one answer.
const maxResponseBytes = 4 << 20

// Options tune a Client. The zero value is ready to use.
type Options struct {
	CABundle string // optional PEM file with extra trusted CAs
	// Proxy is the proxy every request goes through (http://, https://
	// or socks5://host:port). Empty: the proxy of the environment
	// (HTTPS_PROXY, NO_PROXY…), if any.
	Proxy     string
	Timeout   time.Duration // per request attempt, default 15s
	UserAgent string
	// Device names this computer and app to the server
	// (api.DeviceHeader), sent with every request: the user sees it in
	// their sessions and sign-in activity. Never secret.
	Device string
}

// Client talks to one Selfservice server. It is safe for concurrent use.
type Client struct {
	http    *resty.Client
	baseURL string // the API root, ending in api.BasePath
	server  string // scheme://host[:port] for messages
	timeout time.Duration
	backoff []time.Duration // waits between attempts of a retried read

	mu    sync.RWMutex
	token string
}

// New makes a client for the server at serverURL (for example
// "https://selfservice.example.com"). It fails with an *api.Error:
// insecure_url for http:// to a host that is not loopback, and
// invalid_request for an address or CA bundle that cannot be used.
func New(serverURL string, opts Options) (*Client, error) {
	server, err := parseServerURL(serverURL)
	if err != nil {
		return nil, err
	}
	hc, err := newHTTPClient(opts.CABundle, opts.Proxy)
	if err != nil {
		return nil, err
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.UserAgent == "" {
		opts.UserAgent = defaultUserAgent
	}

	rc := resty.NewWithClient(hc).
		SetDebug(false).
		SetDisableWarn(true).
		SetLogger(silentLogger{}).
		SetResponseBodyLimit(maxResponseBytes).
		SetHeader("User-Agent", opts.UserAgent).
		SetHeader("Accept", "application/json")
	if opts.Device != "" {
		rc.SetHeader(api.DeviceHeader, opts.Device)
	}

	return &Client{
		http:    rc,
		baseURL: server.apiRoot,
		server:  server.origin,
		timeout: opts.Timeout,
		backoff: []time.Duration{100 * time.Millisecond, 300 * time.Millisecond},
	}, nil
}

// SetSessionToken sets the session token sent as a bearer token with every
// request; "" sends none. It is safe to call while requests run.
func (c *Client) SetSessionToken(token string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.token = token
}

func (c *Client) sessionToken() string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.token
}

// Health asks whether the server is up: GET /health.
func (c *Client) Health(ctx context.Context) (api.HealthResponse, error) {
	var out api.HealthResponse
	err := c.do(ctx, http.MethodGet, "/health", nil, &out)
	return out, err
}

// silentLogger keeps resty quiet: the client never logs requests, bodies
// or tokens.
type silentLogger struct{}

func (silentLogger) Errorf(string, ...any) {}
func (silentLogger) Warnf(string, ...any)  {}
func (silentLogger) Debugf(string, ...any) {}
