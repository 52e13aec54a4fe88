package server

import (
	"log/slog"
	"time"
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
}

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
	return c
}
