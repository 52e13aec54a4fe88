package server

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"selfservice/api"
)

// caller is the signed-in user of a request.
type caller struct {
	user       UserRecord
	session    SessionRecord
	partial    bool // the user has no ACTIVE token yet and may only enroll one
	privileges []api.Privilege
}

// require fails with privilege_missing unless the caller has p.
func (c *caller) require(p api.Privilege) error {
	if !slices.Contains(c.privileges, p) {
		return errPrivilegeMissing(p)
	}
	return nil
}

// sessionTouchInterval is how often a session's use is recorded: a read
// writes nothing unless the session was last recorded this long ago, so
// reads do not queue behind the database's writers. A session therefore
// ends up to this much before SessionIdle after its very last use.
const sessionTouchInterval = time.Minute

// authenticate finds the session of the request's bearer token, slides
// its idle expiry (at most once every sessionTouchInterval), and loads
// its user.
func (s *Server) authenticate(r *http.Request) (*caller, error) {
	ctx := r.Context()
	token, ok := bearerToken(r)
	if !ok {
		return nil, errUnauthenticated()
	}
	hash := hashToken(token)
	sess, err := s.store.Session(ctx, hash)
	if errors.Is(err, ErrNotFound) {
		return nil, errUnauthenticated()
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	if !now.Before(sess.ExpiresAt()) {
		if err := s.store.DeleteSession(ctx, hash); err != nil && !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		return nil, errUnauthenticated()
	}
	if now.Sub(sess.LastSeenAt) >= sessionTouchInterval {
		sess.LastSeenAt = now
		sess.IdleExpiresAt = now.Add(s.cfg.SessionIdle)
		if err := s.store.TouchSession(ctx, hash, sess.LastSeenAt, sess.IdleExpiresAt); err != nil {
			if errors.Is(err, ErrNotFound) { // signed out meanwhile
				return nil, errUnauthenticated()
			}
			return nil, err
		}
	}
	user, err := s.store.UserByID(ctx, sess.UserID)
	if err != nil {
		return nil, err
	}
	active, err := s.store.CountActiveTokens(ctx, user.ID)
	if err != nil {
		return nil, err
	}
	partial := active == 0
	return &caller{
		user:       user,
		session:    sess,
		partial:    partial,
		privileges: sessionPrivileges(user.Role, partial),
	}, nil
}

// bearerToken reads "Authorization: Bearer <token>".
func bearerToken(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}

// newSession starts a session for a user who signed in with method from
// where they did, records the sign-in in their activity, and returns the
// session's token, which only the client keeps: the store has its hash.
func (s *Server) newSession(ctx context.Context, userID string, method api.SignInMethod, from signInSource) (string, SessionRecord, error) {
	token := randomToken(32)
	now := s.now()
	rec := SessionRecord{
		TokenHash:         hashToken(token),
		ID:                uuid.NewString(),
		UserID:            userID,
		CreatedAt:         now,
		LastSeenAt:        now,
		IdleExpiresAt:     now.Add(s.cfg.SessionIdle),
		AbsoluteExpiresAt: now.Add(s.cfg.SessionAbsolute),
		Device:            from.Device,
		IP:                from.IP,
	}
	if method != api.MethodPassword {
		rec.SecondFactor = method
	}
	if err := s.store.CreateSession(ctx, rec); err != nil {
		return "", SessionRecord{}, err
	}
	if err := s.addSignIn(ctx, userID, method, api.ResultSuccess, from); err != nil {
		return "", SessionRecord{}, err
	}
	return token, rec, nil
}

// checkLock fails with too_many_attempts while f is locked.
func (s *Server) checkLock(f Failures, what string) error {
	if wait := f.LockedUntil.Sub(s.now()); wait > 0 {
		return s.tooManyAttempts(wait, what)
	}
	return nil
}

// countFailure counts one more failed attempt and reports whether it
// locked f; a lock starts the count afresh.
func (s *Server) countFailure(f *Failures) bool {
	f.Count++
	if f.Count < s.cfg.MaxFailures {
		return false
	}
	f.Count = 0
	f.LockedUntil = s.now().Add(s.cfg.Lockout)
	return true
}

func apiUser(u UserRecord, partial bool) api.User {
	enrollment := api.EnrollmentFull
	if partial {
		enrollment = api.EnrollmentPartial
	}
	return api.User{
		ID:          u.ID,
		Username:    u.Username,
		DisplayName: u.DisplayName,
		Role:        u.Role,
		Enrollment:  enrollment,
	}
}
