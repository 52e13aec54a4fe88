package app

import (
	"context"
	"os"
	"runtime"
	"strings"
	"unicode"

	"selfservice/api"
)

// The user's sessions and sign-in activity (api.PrivSessionsView,
// api.PrivSessionsManage). Ending this computer's own session, signing
// out everywhere and reporting a sign-in ("This wasn't me") sign the app
// out too: the session is then no longer signed in, and the screen goes
// back to the sign-in.

// ActivityLimit is how many sign-in attempts the app shows.
const ActivityLimit = 50

// Sessions lists the user's sessions, the newest first.
func (s *Session) Sessions(ctx context.Context) ([]api.Session, error) {
	return call(s, func(b Backend) ([]api.Session, error) { return b.Sessions(ctx) })
}

// EndSession signs one session out. When it is this computer's own, the
// app is signed out: it reports signedOut.
func (s *Session) EndSession(ctx context.Context, sess api.Session) (signedOut bool, err error) {
	cur := s.current()
	if cur == nil {
		return false, errSignedOut()
	}
	_, err = callOn(s, cur, func(b Backend) (struct{}, error) {
		return struct{}{}, b.EndSession(ctx, sess.ID)
	})
	if err != nil || !sess.Current {
		return false, err
	}
	s.forget(cur)
	return true, nil
}

// SignOutOthers ends every other session of the user and says how many
// ended; this one stays signed in.
func (s *Session) SignOutOthers(ctx context.Context) (int, error) {
	return call(s, func(b Backend) (int, error) { return b.SignOutSessions(ctx, api.SignOutOthers) })
}

// SignOutEverywhere ends every session of the user, this one too, so the
// app is signed out; it says how many ended.
func (s *Session) SignOutEverywhere(ctx context.Context) (int, error) {
	return endingAll(s, func(b Backend) (int, error) { return b.SignOutSessions(ctx, api.SignOutAll) })
}

// Activity lists the user's newest sign-in attempts.
func (s *Session) Activity(ctx context.Context) ([]api.SignInAttempt, error) {
	return call(s, func(b Backend) ([]api.SignInAttempt, error) { return b.Activity(ctx, ActivityLimit) })
}

// ReportSignIn says a sign-in attempt was not the user's: the server
// ends every session of theirs, this one too (so the app is signed out),
// and tells the helpdesk when it has an address for it.
func (s *Session) ReportSignIn(ctx context.Context, id string) (api.ReportResponse, error) {
	return endingAll(s, func(b Backend) (api.ReportResponse, error) { return b.ReportSignIn(ctx, id) })
}

// endingAll runs fn, a call that ends this session on success too, and
// then signs the app out.
func endingAll[T any](s *Session, fn func(Backend) (T, error)) (T, error) {
	cur := s.current()
	if cur == nil {
		var zero T
		return zero, errSignedOut()
	}
	v, err := callOn(s, cur, fn)
	if err == nil {
		s.forget(cur)
	}
	return v, err
}

// DeviceName is how this computer and app appear in the user's sessions
// and sign-in activity: "Selfservice 1.2 on Linux (build-07)". It is made
// of the app's version, the operating system and the host name, never a
// secret, and fits api.DeviceHeader.
func DeviceName(version string) string {
	name := "Selfservice"
	if version != "" {
		name += " " + version
	}
	name += " on " + osName(runtime.GOOS)
	if host, err := os.Hostname(); err == nil && host != "" {
		name += " (" + host + ")"
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, name)
	if runes := []rune(name); len(runes) > api.MaxDeviceLen {
		name = string(runes[:api.MaxDeviceLen])
	}
	return name
}

// osName is the operating system as people call it.
func osName(goos string) string {
	switch goos {
	case "linux":
		return "Linux"
	case "darwin":
		return "macOS"
	case "windows":
		return "Windows"
	case "freebsd":
		return "FreeBSD"
	}
	return goos
}
