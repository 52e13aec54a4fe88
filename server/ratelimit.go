package server

import (
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Anonymous calls (the sign-in steps, passwordless and QR sign-in, the
// phone's calls) are the ones anyone on the internet can make: each is
// rate limited per source and in total, before it does any work. The
// limits protect this server's CPU, memory and database; the state that
// protects users (password lockouts, message caps) is in the database,
// shared by every server on it.

// maxSources bounds how many sources the limiter tracks; a source whose
// bucket is full again is forgotten first, which changes nothing for it.
const maxSources = 100_000

// limiter is a token bucket per source and one for all of them.
type limiter struct {
	total     *rate.Limiter
	perSource rate.Limit
	burst     int // of a source

	mu        sync.Mutex
	sources   map[string]*rate.Limiter
	lastSweep time.Time
}

// newLimiter allows perSource requests a second from each source, in
// bursts of up to burst, and total requests a second from all of them
// (in bursts of a second's worth).
func newLimiter(perSource, total float64, burst int) *limiter {
	return &limiter{
		total:     rate.NewLimiter(rate.Limit(total), max(burst, int(total))),
		perSource: rate.Limit(perSource),
		burst:     burst,
		sources:   make(map[string]*rate.Limiter),
	}
}

// allow takes one request of source at now from both buckets, or says
// how long to wait when either is empty.
func (l *limiter) allow(source string, now time.Time) (ok bool, retryAfter time.Duration) {
	l.mu.Lock()
	b := l.sources[source]
	if b == nil {
		if len(l.sources) >= maxSources && !l.sweep(now) {
			l.mu.Unlock()
			return false, time.Second
		}
		b = rate.NewLimiter(l.perSource, l.burst)
		l.sources[source] = b
	}
	l.mu.Unlock()

	mine := b.ReserveN(now, 1)
	if wait := mine.DelayFrom(now); wait > 0 {
		mine.CancelAt(now)
		return false, wait
	}
	all := l.total.ReserveN(now, 1)
	if wait := all.DelayFrom(now); wait > 0 {
		all.CancelAt(now)
		mine.CancelAt(now)
		return false, wait
	}
	return true, 0
}

// sweep forgets the sources whose bucket is full again, at most once a
// second, and reports whether there is room for a new one. l.mu is held.
func (l *limiter) sweep(now time.Time) bool {
	if now.Sub(l.lastSweep) >= time.Second {
		l.lastSweep = now
		for source, b := range l.sources {
			if b.TokensAt(now) >= float64(l.burst) {
				delete(l.sources, source)
			}
		}
	}
	return len(l.sources) < maxSources
}

// clientSource is who a request comes from, as the limits and lockouts
// count it: the client's IP address, an IPv6 address cut to its /64 (one
// subscriber's network). Behind a proxy the server trusts (TrustedProxies),
// it is the last address in X-Forwarded-For that is not such a proxy.
func (s *Server) clientSource(r *http.Request) string {
	addr := remoteAddr(r.RemoteAddr)
	if s.trusted(addr) {
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break // a forged or broken entry: stop at the last good hop
			}
			addr = hop.Unmap()
			if !s.trusted(addr) {
				break
			}
		}
	}
	if !addr.IsValid() {
		return "unknown"
	}
	if addr.Is6() {
		prefix, _ := addr.Prefix(64)
		return prefix.String()
	}
	return addr.String()
}

func (s *Server) trusted(addr netip.Addr) bool {
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// remoteAddr parses http.Request.RemoteAddr ("host:port").
func remoteAddr(hostport string) netip.Addr {
	if ap, err := netip.ParseAddrPort(hostport); err == nil {
		return ap.Addr().Unmap()
	}
	addr, _ := netip.ParseAddr(hostport)
	return addr.Unmap()
}

// limitAnonymous refuses with rate_limited when the request's source, or
// all anonymous callers together, are over their rate.
func (s *Server) limitAnonymous(r *http.Request) error {
	if ok, wait := s.limits.allow(s.clientSource(r), s.now()); !ok {
		return errRateLimited(wait)
	}
	return nil
}
