package server

import (
	"context"
	"errors"
	"time"

	"selfservice/api"
)

// Errors a Store returns.
var (
	ErrNotFound     = errors.New("not found")
	ErrConflict     = errors.New("already exists")
	ErrLimitReached = errors.New("template limit reached")
)

// Store keeps the server's data. SQLStore implements it; every method
// is safe for concurrent use, and the methods that take a callback run it
// inside one transaction so that rules checked there hold under
// concurrent requests.
type Store interface {
	// CreateUser adds a user; ErrConflict when the username is taken.
	CreateUser(ctx context.Context, u UserRecord) error
	// ActivateUser marks a user waiting for activation activated at;
	// ErrNotFound when the user is unknown or already activated.
	ActivateUser(ctx context.Context, userID string, at time.Time) error
	// UserByUsername and UserByID return ErrNotFound for an unknown user.
	UserByUsername(ctx context.Context, username string) (UserRecord, error)
	UserByID(ctx context.Context, id string) (UserRecord, error)

	// PasswordFailures returns the failed sign-in attempts for a username,
	// known or not, from one source (see clientSource; the zero value when
	// there are none).
	PasswordFailures(ctx context.Context, username, source string) (Failures, error)
	// UpdatePasswordFailures changes them atomically; a zero result
	// forgets them.
	UpdatePasswordFailures(ctx context.Context, username, source string, change func(f *Failures)) error

	// Templates lists the token templates in display order; Template
	// returns one or ErrNotFound.
	Templates(ctx context.Context) ([]TemplateRecord, error)
	Template(ctx context.Context, id string) (TemplateRecord, error)

	// Tokens lists a user's tokens, oldest first. Token returns one of
	// them, or ErrNotFound when it does not exist or belongs to someone
	// else.
	Tokens(ctx context.Context, userID string) ([]TokenRecord, error)
	Token(ctx context.Context, userID, tokenID string) (TokenRecord, error)
	// CountActiveTokens counts a user's ACTIVE tokens.
	CountActiveTokens(ctx context.Context, userID string) (int, error)
	// CreateToken adds a token (with its Credential, when set) unless the user already has maxPerUser
	// tokens of its template that are not OBSOLETE (ErrLimitReached);
	// maxPerUser 0 means no limit.
	CreateToken(ctx context.Context, t TokenRecord, maxPerUser int) error
	// UpdateToken loads a user's token, calls change with it and the
	// number of the user's ACTIVE tokens, and saves the changed token,
	// with its Credential when set; a credential ID registered already
	// gives ErrConflict.
	// When change returns an error nothing is saved and UpdateToken
	// returns that error. ErrNotFound as for Token.
	UpdateToken(ctx context.Context, userID, tokenID string, change func(t *TokenRecord, active int) error) (TokenRecord, error)
	// DeleteToken deletes a user's token when check, called with it and the
	// number of ACTIVE tokens, returns nil. ErrNotFound as for Token.
	DeleteToken(ctx context.Context, userID, tokenID string, check func(t TokenRecord, active int) error) error

	// CreateLogin stores a first sign-in step. Login returns it by the
	// hash of its id, or ErrNotFound. AddLoginFailure counts a wrong code
	// against it. DeleteLogin uses it up; ErrNotFound when it is already
	// gone, so that only one request can finish a sign-in.
	CreateLogin(ctx context.Context, l LoginRecord) error
	Login(ctx context.Context, idHash string) (LoginRecord, error)
	AddLoginFailure(ctx context.Context, idHash string) error
	DeleteLogin(ctx context.Context, idHash string) error

	// CreateSession stores a session. Session returns one by the hash of
	// its token, or ErrNotFound. TouchSession records its use and slides
	// its idle expiry. DeleteSession ends it.
	CreateSession(ctx context.Context, s SessionRecord) error
	Session(ctx context.Context, tokenHash string) (SessionRecord, error)
	TouchSession(ctx context.Context, tokenHash string, lastSeen, idleExpiresAt time.Time) error
	DeleteSession(ctx context.Context, tokenHash string) error
	// DeleteOtherSessions ends every session of userID but the one of
	// keepHash and returns how many of them had not expired at now.
	DeleteOtherSessions(ctx context.Context, userID, keepHash string, now time.Time) (int, error)

	// PreviousPasswords returns the hashes of the user's last n
	// passwords before the current one, newest first.
	PreviousPasswords(ctx context.Context, userID string, n int) ([]string, error)
	// ChangePassword makes newHash the user's password hash, if the
	// current one is still oldHash (ErrConflict otherwise), and keeps
	// the old one in the history, of which it keeps the newest keep.
	ChangePassword(ctx context.Context, userID, oldHash, newHash string, at time.Time, keep int) error

	// WebAuthnHandle returns the user's WebAuthn user handle, storing
	// newHandle as it when the user has none yet. UserByWebAuthnHandle
	// finds the user of a handle, or ErrNotFound.
	WebAuthnHandle(ctx context.Context, userID string, newHandle []byte) ([]byte, error)
	UserByWebAuthnHandle(ctx context.Context, handle []byte) (UserRecord, error)
	// TokenByCredentialID returns the token a FIDO2 credential is
	// registered for, whoever's it is, or ErrNotFound.
	TokenByCredentialID(ctx context.Context, credentialID []byte) (TokenRecord, error)

	// SaveChallenge stores an open WebAuthn challenge, replacing one with
	// the same key. TakeChallenge deletes the challenge with that key and
	// returns it, or ErrNotFound, so that a challenge is answered once.
	SaveChallenge(ctx context.Context, c ChallengeRecord) error
	TakeChallenge(ctx context.Context, key string) (ChallengeRecord, error)

	// PurgeExpired deletes the sign-in steps, sessions and WebAuthn
	// challenges expired at now, password lockouts that have ended,
	// step-up approvals expired for a day (until then, using one is
	// refused as expired rather than unknown), expired push requests and
	// provisioning codes, sent codes expired for a day, sign-in activity
	// older than activityRetention, and outbox
	// messages sent or given up more than outboxRetention ago. Server.Run
	// calls it once a minute; requests never do.
	PurgeExpired(ctx context.Context, now time.Time) error

	// Atomically runs fn in one transaction: every call fn makes on tx is
	// part of it, and it commits when fn returns nil and rolls back
	// otherwise. Inside fn, use tx only: a write through the outer store
	// would wait for the transaction to end. fn may run more than once
	// (PostgreSQL aborts a transaction that conflicts with a concurrent
	// one, and the store runs it again), so it only sets what it returns
	// through the store and the variables it assigns on every run.
	Atomically(ctx context.Context, fn func(tx Store) error) error

	// UsersWithRole lists the users of a role, by username.
	UsersWithRole(ctx context.Context, role string) ([]UserRecord, error)

	// SetApprovalPolicy adds or replaces the policy of its operation and
	// template. ApprovalPolicy returns one, or ErrNotFound.
	// ApprovalPolicies lists them all by operation and template.
	SetApprovalPolicy(ctx context.Context, p ApprovalPolicyRecord) error
	ApprovalPolicy(ctx context.Context, op api.Operation, templateID string) (ApprovalPolicyRecord, error)
	ApprovalPolicies(ctx context.Context) ([]ApprovalPolicyRecord, error)

	// CreateApproval stores a step-up approval. Approval returns one by
	// the hash of its id, or ErrNotFound. UpdateApproval loads one, calls
	// change with it, and saves its status, token and failures; when
	// change fails nothing is saved and its error is returned.
	CreateApproval(ctx context.Context, a ApprovalRecord) error
	Approval(ctx context.Context, idHash string) (ApprovalRecord, error)
	UpdateApproval(ctx context.Context, idHash string, change func(a *ApprovalRecord) error) (ApprovalRecord, error)

	// CreateRequest stores an approval request with its approvers and
	// history. Request returns one, or ErrNotFound. RequestsOf lists the
	// requests a user made, RequestsFor those a user is an approver of,
	// newest first. UpdateRequest loads a request, calls change with it,
	// and saves its status, expiry, execution time and the history
	// entries change appended (history is never rewritten); when change
	// fails nothing is saved and its error is returned.
	CreateRequest(ctx context.Context, r RequestRecord) error
	Request(ctx context.Context, id string) (RequestRecord, error)
	RequestsOf(ctx context.Context, requesterID string) ([]RequestRecord, error)
	RequestsFor(ctx context.Context, approverID string) ([]RequestRecord, error)
	UpdateRequest(ctx context.Context, id string, change func(r *RequestRecord) error) (RequestRecord, error)

	// IssueEmergencyCode stores a user's new emergency access code and
	// deactivates the one they had (reason "replaced"). EmergencyCode
	// returns a user's active code (not deactivated; it may be expired or
	// used up), or ErrNotFound. UpdateEmergencyCode loads it, calls change
	// with it, and saves its uses, failures and deactivation; when change
	// fails nothing is saved and its error is returned.
	// DeactivateEmergencyCode deactivates a user's active code, if any,
	// with the reason.
	IssueEmergencyCode(ctx context.Context, e EmergencyCodeRecord) error
	EmergencyCode(ctx context.Context, userID string) (EmergencyCodeRecord, error)
	UpdateEmergencyCode(ctx context.Context, userID string, change func(e *EmergencyCodeRecord) error) (EmergencyCodeRecord, error)
	DeactivateEmergencyCode(ctx context.Context, userID, reason string, now time.Time) error

	// AddHardwareToken imports a hardware token; ErrConflict when its
	// serial is imported already. HardwareTokens lists them by serial,
	// HardwareToken returns one by serial or ErrNotFound; both with the
	// holder of an assigned one. UpdateHardwareToken loads one, calls
	// change with it, and saves its counter, token and failures; when
	// change fails nothing is saved and its error is returned.
	AddHardwareToken(ctx context.Context, h HardwareTokenRecord) error
	HardwareTokens(ctx context.Context) ([]HardwareTokenRecord, error)
	HardwareToken(ctx context.Context, serial string) (HardwareTokenRecord, error)
	UpdateHardwareToken(ctx context.Context, serial string, change func(h *HardwareTokenRecord) error) (HardwareTokenRecord, error)

	OutboxStore
	SentCodeStore
	ContactStore
	PushStore
	ProfileStore
	DocumentStore
	QuestionStore
	LinkStore
	InvitationStore
	PrivacyStore
	SessionStore
	SignInStore
}

// UserRecord is a stored user.
type UserRecord struct {
	ID           string
	Username     string
	DisplayName  string
	Role         string
	PasswordHash string // argon2id, encoded with its parameters
	CreatedAt    time.Time
	Preferences  api.Preferences
	// PendingActivation: a self-registered account whose email address
	// is not confirmed yet; it cannot sign in.
	PendingActivation bool
}

// Failures counts wrong attempts at a password or a token's codes, and
// the lock they led to.
type Failures struct {
	Count       int
	LockedUntil time.Time // zero when not locked
	LastAt      time.Time // password failures only: when the last one was
}

// TemplateRecord is a stored token template.
type TemplateRecord struct {
	ID            string
	Name          string
	Type          api.TokenType
	Description   string
	MaxPerUser    int // 0 means no limit
	UserCanDelete bool
	Order         int
	Algorithm     string // SHA1, SHA256 or SHA512
	Digits        int
	Period        int // seconds; TOTP only

	// FIDO2 templates only.
	UserVerification string // api.WebAuthnDiscouraged, …Preferred or …Required
	ResidentKey      string // likewise
	Passwordless     bool   // its keys may sign in without username and password

	// Hardware marks the template of claimed hardware tokens: its tokens
	// take type, secret and settings from the device, not from it.
	Hardware bool
}

// TokenRecord is a stored token with its secret and code-checking state.
type TokenRecord struct {
	ID            string
	UserID        string
	TemplateID    string
	Type          api.TokenType
	Label         string
	Description   string
	Status        api.TokenStatus
	UserCanDelete bool // from the template, read only
	Secret        []byte
	Algorithm     string
	Digits        int
	Period        int   // seconds; TOTP only
	Counter       int64 // HOTP: the next counter value to accept
	LastStep      int64 // TOTP: the last accepted time step, 0 for none
	Drift         int64 // TOTP: time steps the device is ahead (negative: behind)
	Failures      Failures
	CreatedAt     time.Time
	LastUsedAt    time.Time // zero when never used
	Address       string    // SMS and email tokens: the phone number or email address codes go to

	// Credential is the registered key of a FIDO2 token, nil until the
	// token is activated.
	Credential *WebAuthnCredential
}

// WebAuthnCredential is the stored public part of a FIDO2 credential.
type WebAuthnCredential struct {
	ID                []byte
	PublicKey         []byte // COSE key
	SignCount         uint32
	AAGUID            []byte
	AttestationFormat string
	Transports        []string
	UserPresent       bool
	UserVerified      bool
	BackupEligible    bool
	BackupState       bool
}

// ChallengeRecord is an open WebAuthn challenge: the relying party's
// ceremony state, bound by its Key to a purpose and to a token, login or
// passwordless sign-in.
type ChallengeRecord struct {
	Key       string
	UserID    string // empty for a passwordless sign-in
	TokenID   string // empty for a passwordless sign-in
	Session   []byte // JSON
	ExpiresAt time.Time
}

// LoginRecord is a first sign-in step waiting for its one-time code.
type LoginRecord struct {
	IDHash    string
	UserID    string
	ExpiresAt time.Time
	Failures  int
}

// SessionRecord is a signed-in session.
type SessionRecord struct {
	TokenHash         string
	ID                string
	UserID            string
	CreatedAt         time.Time
	LastSeenAt        time.Time
	IdleExpiresAt     time.Time
	AbsoluteExpiresAt time.Time
	Device            string // as api.DeviceHeader named it at sign-in
	IP                string // the sign-in's source (clientSource)
	// SecondFactor is the method that finished the sign-in (a code, a
	// key, the phone; a QR code or passkey without password); "" when the
	// password alone signed it in. inGrace reads it.
	SecondFactor api.SignInMethod
}

// ExpiresAt is when the session ends unless it is used again: the sooner
// of its idle and absolute expiry.
func (s SessionRecord) ExpiresAt() time.Time {
	if s.IdleExpiresAt.Before(s.AbsoluteExpiresAt) {
		return s.IdleExpiresAt
	}
	return s.AbsoluteExpiresAt
}
