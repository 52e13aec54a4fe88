package server

import (
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
)

// Config tunes a Server. The zero value of each field means its default.
type Config struct {
	Issuer          string           // otpauth issuer shown in authenticator apps, default "Selfservice"
	SessionIdle     time.Duration    // a session ends after this long unused, default 30m
	SessionAbsolute time.Duration    // and this long after sign-in in any case, default 12h
	LoginTTL        time.Duration    // the first sign-in step's login_id lives this long, default 5m
	MaxFailures     int              // failed password or code attempts before a lockout, default 5
	Lockout         time.Duration    // how long a lockout lasts (sent as Retry-After), default 5m
	MaxBodyBytes    int64            // largest accepted request body, default 64 KiB
	Now             func() time.Time // the clock, default time.Now; tests inject one
	Logger          *slog.Logger     // one line per request, never secrets; default slog.Default()

	// WebAuthn relying party of FIDO2 security keys.
	RPID          string        // the domain keys bind credentials to, default "localhost"
	RPDisplayName string        // the name a key may show, default Issuer
	RPOrigins     []string      // origins allowed in the client data, default "https://" + RPID
	ChallengeTTL  time.Duration // how long a security key challenge may be answered, default 2m

	// Approvals.
	ApprovalTTL time.Duration // a step-up approval must be confirmed and used within this, default 5m
	RequestTTL  time.Duration // approvers must decide (and a requester then finish) within this, default 7 days
}

// DefaultRPID is the relying party ID of a server not told otherwise; it
// suits the desktop app's demo mode, whose native client sends the origin
// "https://localhost".
const DefaultRPID = "localhost"

func (c Config) withDefaults() Config {
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
	return c
}

// Validate checks the settings that have no safe default when wrong: the
// relying party ID and origins. Its errors name the setting and say how
// to fix it. New panics on a Config that fails Validate, so programs call
// Validate first to report the problem.
func (c Config) Validate() error {
	c = c.withDefaults()
	if err := protocol.ValidateRPID(c.RPID); err != nil || strings.ToLower(c.RPID) != c.RPID {
		return fmt.Errorf("relying party ID %q is not usable: give a lower-case domain name without scheme, port or path, such as example.com", c.RPID)
	}
	for _, origin := range c.RPOrigins {
		if err := validateOrigin(origin, c.RPID); err != nil {
			return fmt.Errorf("relying party origin %q: %w", origin, err)
		}
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
