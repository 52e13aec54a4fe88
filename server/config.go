package server

import (
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/protocol"

	"selfservice/server/notify"
)

// Config tunes a Server. The zero value of each field means its default.
type Config struct {
	Issuer          string           // otpauth issuer shown in authenticator apps and named in messages, default Tenant.Organisation, else "Selfservice"
	SessionIdle     time.Duration    // a session ends after this long unused, default 30m
	SessionAbsolute time.Duration    // and this long after sign-in in any case, default 12h
	LoginTTL        time.Duration    // the first sign-in step's login_id lives this long, default 5m
	MaxFailures     int              // failed password or code attempts before a lockout, default 5
	Lockout         time.Duration    // how long a lockout lasts (sent as Retry-After), default 5m
	MaxBodyBytes    int64            // largest accepted request body, default 64 KiB
	Now             func() time.Time // the clock, default time.Now; tests inject one
	Logger          *slog.Logger     // one line per request, never secrets; default slog.Default()

	// Secrets holds the server's secret keys; sent codes are stored as an
	// HMAC under a key derived from them. Required: give the store the
	// same box (WithSecretBox), which seals the token seeds with it.
	Secrets *SecretBox

	// WebAuthn relying party of FIDO2 security keys.
	RPID          string        // the domain keys bind credentials to, default "localhost"
	RPDisplayName string        // the name a key may show, default Issuer
	RPOrigins     []string      // origins allowed in the client data, default "https://" + RPID
	ChallengeTTL  time.Duration // how long a security key challenge may be answered, default 2m

	// Approvals.
	ApprovalTTL time.Duration // a step-up approval must be confirmed and used within this, default 5m
	RequestTTL  time.Duration // approvers must decide (and a requester then finish) within this, default 7 days

	// Messages. A channel without a sender cannot be used: its templates
	// are not offered and sending on it fails with delivery_unavailable.
	EmailSender notify.Sender // nil: no email
	SMSSender   notify.Sender // nil: no SMS
	// OutboxRetries is how many times the outbox tries a message before it
	// gives up, default 8; it waits OutboxBackoff after the first failure
	// and twice as long after each next one, default 5s (at most 10m).
	OutboxRetries int
	OutboxBackoff time.Duration

	// SMS and email codes.
	CodeTTL    time.Duration // a sent code works this long, default 5m
	CodeResend time.Duration // the least time between two codes sent to one token, default 20s
	CodeDigits int           // digits of a sent code when the template names none, default 6

	// Tenant is the organisation's configuration (tenant.go): the
	// password policy (password_change.go), whose zero fields take their
	// defaults (12 characters, 2 kinds, the last 5 passwords refused),
	// and the users' applications.
	Tenant Tenant

	// How many SMS and emails the server sends in any 24 hours (see
	// caps.go): to one user, and to everyone together. A call that would
	// send one more is refused, so that nobody runs up an SMS bill or
	// floods mailboxes by asking again and again, whatever the tokens.
	DailySMSPerUser   int // default 10
	DailyEmailPerUser int // default 20
	DailySMS          int // default 1,000
	DailyEmail        int // default 10,000

	// The push authenticator app.
	PublicURL       string        // the server's address as phones reach it, put in provisioning and QR sign-in payloads; without it push tokens and QR sign-in are off
	ProvisioningTTL time.Duration // a provisioning payload works this long, default 10m
	PushTTL         time.Duration // a push request (and a QR sign-in) may be answered this long, default 2m
	RecentAuth      time.Duration // enrolling a push token needs a sign-in or step-up with another method this recent, else a step-up; default 10m

	// Abuse resistance of the calls anyone can make (see ratelimit.go).
	SourceRate     float64        // anonymous calls a second from one source (an IP address, an IPv6 /64), default 20
	SourceBurst    int            // of which this many at once, default 60
	AnonymousRate  float64        // anonymous calls a second from all sources together, default 500
	TrustedProxies []netip.Prefix // proxies whose X-Forwarded-For names the client; default none
	MaxHashes      int            // password checks running at once (64 MiB each), default half the CPUs, 2 to 8
	HashWait       time.Duration  // how long a sign-in waits for a free check before it gets server_busy, default 2s
}

// DefaultRPID is the relying party ID of a server not told otherwise; it
// suits the desktop app's demo mode, whose native client sends the origin
// "https://localhost".
const DefaultRPID = "localhost"

func (c Config) withDefaults() Config {
	if c.Issuer == "" {
		c.Issuer = c.Tenant.Organisation
	}
	if c.Issuer == "" {
		c.Issuer = "Selfservice"
	}
	if c.SessionIdle <= 0 {
		c.SessionIdle = 30 * time.Minute
	}
	if c.SessionAbsolute <= 0 {
		c.SessionAbsolute = 12 * time.Hour
	}
	if c.LoginTTL <= 0 {
		c.LoginTTL = 5 * time.Minute
	}
	if c.MaxFailures <= 0 {
		c.MaxFailures = 5
	}
	if c.Lockout <= 0 {
		c.Lockout = 5 * time.Minute
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 64 << 10
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.RPID == "" {
		c.RPID = DefaultRPID
	}
	if c.RPDisplayName == "" {
		c.RPDisplayName = c.Issuer
	}
	if len(c.RPOrigins) == 0 {
		c.RPOrigins = []string{"https://" + c.RPID}
	}
	if c.ChallengeTTL <= 0 {
		c.ChallengeTTL = 2 * time.Minute
	}
	if c.ApprovalTTL <= 0 {
		c.ApprovalTTL = 5 * time.Minute
	}
	if c.RequestTTL <= 0 {
		c.RequestTTL = 7 * 24 * time.Hour
	}
	if c.OutboxRetries <= 0 {
		c.OutboxRetries = 8
	}
	if c.OutboxBackoff <= 0 {
		c.OutboxBackoff = 5 * time.Second
	}
	if c.SourceRate <= 0 {
		c.SourceRate = 20
	}
	if c.SourceBurst <= 0 {
		c.SourceBurst = 60
	}
	if c.AnonymousRate <= 0 {
		c.AnonymousRate = 500
	}
	if c.MaxHashes <= 0 {
		c.MaxHashes = min(max(runtime.NumCPU()/2, 2), 8)
	}
	if c.HashWait <= 0 {
		c.HashWait = 2 * time.Second
	}
	if c.CodeTTL <= 0 {
		c.CodeTTL = 5 * time.Minute
	}
	if c.Tenant.PasswordPolicy.MinLength <= 0 {
		c.Tenant.PasswordPolicy.MinLength = 12
	}
	if c.Tenant.PasswordPolicy.MinClasses <= 0 {
		c.Tenant.PasswordPolicy.MinClasses = 2
	}
	if c.Tenant.PasswordPolicy.History <= 0 {
		c.Tenant.PasswordPolicy.History = 5
	}
	if c.DailySMSPerUser <= 0 {
		c.DailySMSPerUser = 10
	}
	if c.DailyEmailPerUser <= 0 {
		c.DailyEmailPerUser = 20
	}
	if c.DailySMS <= 0 {
		c.DailySMS = 1_000
	}
	if c.DailyEmail <= 0 {
		c.DailyEmail = 10_000
	}
	if c.CodeResend <= 0 {
		c.CodeResend = 20 * time.Second
	}
	if c.CodeDigits <= 0 {
		c.CodeDigits = 6
	}
	if c.ProvisioningTTL <= 0 {
		c.ProvisioningTTL = 10 * time.Minute
	}
	if c.PushTTL <= 0 {
		c.PushTTL = 2 * time.Minute
	}
	if c.RecentAuth <= 0 {
		c.RecentAuth = 10 * time.Minute
	}
	return c
}

// Validate checks the settings that have no safe default when wrong: the
// secret keys, the relying party ID and origins. Its errors name the setting and say how
// to fix it. New panics on a Config that fails Validate, so programs call
// Validate first to report the problem.
func (c Config) Validate() error {
	c = c.withDefaults()
	if c.Secrets == nil {
		return errors.New("no server secret key: the server stores sent codes and token seeds protected by it")
	}
	if err := protocol.ValidateRPID(c.RPID); err != nil || strings.ToLower(c.RPID) != c.RPID {
		return fmt.Errorf("relying party ID %q is not usable: give a lower-case domain name without scheme, port or path, such as example.com", c.RPID)
	}
	for _, origin := range c.RPOrigins {
		if err := validateOrigin(origin, c.RPID); err != nil {
			return fmt.Errorf("relying party origin %q: %w", origin, err)
		}
	}
	if c.PublicURL != "" {
		if err := validatePublicURL(c.PublicURL); err != nil {
			return fmt.Errorf("public address %q: %w", c.PublicURL, err)
		}
	}
	if c.Tenant.Recovery.PasswordReset && c.PublicURL == "" {
		return errors.New("recovery.password_reset needs the server's public address (--public-url): the reset link in the email points to it")
	}
	if reg := c.Tenant.Registration; reg.Enabled && reg.activation() && c.PublicURL == "" {
		return errors.New("registration.enabled needs the server's public address (--public-url): the activation link in the email points to it")
	}
	return nil
}

// validatePublicURL checks the address phones reach the server at:
// https (http only for localhost), a host, and no query or fragment; a
// path is kept (a server behind a proxy under /selfservice).
func validatePublicURL(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "" || u.Opaque != "":
		return fmt.Errorf("write it as https://host, https://host:port or https://host/path")
	case u.Scheme != "https" && !(u.Scheme == "http" && isLoopbackHost(u.Hostname())):
		return fmt.Errorf("use https:// (http:// is only for localhost): phones send their answers there")
	case u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		return fmt.Errorf("a public address has no query, fragment or user name")
	}
	return nil
}

// validateOrigin checks one allowed origin: scheme://host[:port], exactly
// as a client sends it, on the relying party ID's domain.
func validateOrigin(origin, rpID string) error {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return fmt.Errorf("write it as https://host or https://host:port")
	}
	switch {
	case u.Scheme != "https" && !(u.Scheme == "http" && isLoopbackHost(u.Hostname())):
		return fmt.Errorf("use https:// (http:// is only for localhost)")
	case u.Path == "/":
		return fmt.Errorf("remove the trailing slash: clients send the origin without one")
	case u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		return fmt.Errorf("an origin has no path, query or user name; write it as https://host or https://host:port")
	}
	host := strings.ToLower(u.Hostname())
	if host != rpID && !strings.HasSuffix(host, "."+rpID) {
		return fmt.Errorf("the host must be the relying party ID %s or one of its subdomains", rpID)
	}
	return nil
}

func isLoopbackHost(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}
