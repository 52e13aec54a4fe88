package app

import (
	"slices"
	"strings"
	"sync"

	"selfservice/api"
)

// Session is the signed-in state of the app: which server, which user,
// their privileges, and the backend to call with the session token. It is
// safe for concurrent use; it never holds its lock during network or
// keyring calls.
//
// The session token is saved in Secrets under the service AppID and the
// account "<server URL> <username>" (for example
// "https://selfservice.example.com alice"), so that the next start can
// resume it. Preferences keep only the server URL and the last username.
type Session struct {
	connect Connector
	secrets Secrets
	prefs   Preferences

	mu              sync.Mutex
	defaultURL      string
	rememberDefault bool
	serverLocked    bool      // IT allows defaultURL only (ApplyManaged)
	managedLanguage string    // IT's language before sign-in (ApplyManaged)
	cur             *signedIn // nil while signed out
	keyringProblem  error
	keyringReported bool
	onExpired       func()
	onPreferences   func(api.Preferences)
}

// signedIn is one completed sign-in.
type signedIn struct {
	backend Backend
	account string // keyring account
	stored  bool   // the token is in Secrets
	me      api.MeResponse
}

// errSignedOut answers calls that need a session while there is none.
func errSignedOut() error {
	return &api.Error{Code: api.CodeUnauthenticated, Message: "You are signed out. Sign in again."}
}

// NewSession returns a signed-out session. connect makes the backend for
// a server URL; secrets holds the session token (use keyring.New, or
// NewMemorySecrets when there is no keyring); prefs holds the server URL
// and the last username.
func NewSession(connect Connector, secrets Secrets, prefs Preferences) *Session {
	return &Session{connect: connect, secrets: secrets, prefs: prefs}
}

// SetDefaultServerURL sets the server URL used when none is saved, for a
// server chosen by the deployment or the embedded demo server. With
// remember=false the URL is only for this run: it wins over the saved
// one, and signing in to it does not save it in the preferences.
func (s *Session) SetDefaultServerURL(url string, remember bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.defaultURL = normalizeURL(url)
	s.rememberDefault = remember
}

// ServerURL is the server address to prefill: the one of this run's
// default (see SetDefaultServerURL), else the saved one, else the
// remembered default, else "".
func (s *Session) ServerURL() string {
	s.mu.Lock()
	def, remember, locked := s.defaultURL, s.rememberDefault, s.serverLocked
	s.mu.Unlock()
	if def != "" && (!remember || locked) {
		return def
	}
	if saved := s.prefs.String(PrefServerURL); saved != "" {
		return saved
	}
	return def
}

// LastUsername is the username of the last successful sign-in, or "".
func (s *Session) LastUsername() string {
	return s.prefs.String(PrefLastUsername)
}

// SignedIn reports whether a sign-in is complete and not yet ended.
func (s *Session) SignedIn() bool {
	return s.current() != nil
}

// User is the signed-in user, or the zero User.
func (s *Session) User() api.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return api.User{}
	}
	return s.cur.me.User
}

// Privileges lists what the signed-in user may do (nil when signed out).
func (s *Session) Privileges() []api.Privilege {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return nil
	}
	return slices.Clone(s.cur.me.Privileges)
}

// Can reports whether the signed-in user has privilege p.
func (s *Session) Can(p api.Privilege) bool {
	return api.Has(s.Privileges(), p)
}

// ApprovalNeed says what op on a token of templateID ("" without one)
// needs before it runs for the signed-in user, as the server's policy
// says: nothing (api.ModeNone), a step-up, or approvers. It is what the
// app tells the user before they submit; the server decides again.
func (s *Session) ApprovalNeed(op api.Operation, templateID string) api.ApprovalNeed {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return api.ApprovalNeed{Operation: op, TemplateID: templateID, Mode: api.ModeNone}
	}
	return api.NeedFor(s.cur.me.Approvals, op, templateID)
}

// EnrollmentRequired reports whether the signed-in user has no ACTIVE
// token yet: the session may only enroll one until it is activated.
func (s *Session) EnrollmentRequired() bool {
	return s.User().Enrollment == api.EnrollmentPartial
}

// KeyringProblem returns, once, the error that kept the session token out
// of the keyring (it wraps ErrSecretsUnavailable when there is no usable
// keyring); the session then lives in memory only. Later calls return nil.
func (s *Session) KeyringProblem() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.keyringProblem
	if err != nil {
		s.keyringProblem = nil
		s.keyringReported = true
	}
	return err
}

func (s *Session) current() *signedIn {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur
}

func (s *Session) noteKeyringProblem(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.keyringReported && s.keyringProblem == nil {
		s.keyringProblem = err
	}
}

// keyringAccount is the keyring account of a session:
// "<server URL> <username>".
func keyringAccount(serverURL, username string) string {
	return serverURL + " " + username
}

// normalizeURL trims spaces and trailing slashes so that one server has
// one keyring account.
func normalizeURL(url string) string {
	return strings.TrimRight(strings.TrimSpace(url), "/")
}
