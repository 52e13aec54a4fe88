package server

import (
	"context"
	"time"
)

// PushStore keeps what the push authenticator app needs (see migration
// 0008): provisioning codes, registered phones and push requests.
type PushStore interface {
	// SetProvisioning stores the open provisioning code of a token,
	// replacing the one it had. Provisioning returns one by the hash of
	// its code, or ErrNotFound. DeleteProvisioning uses a token's code
	// up; ErrNotFound when it has none, so that only one request can.
	SetProvisioning(ctx context.Context, p ProvisioningRecord) error
	Provisioning(ctx context.Context, codeHash string) (ProvisioningRecord, error)
	DeleteProvisioning(ctx context.Context, tokenID string) error

	// SaveDevice stores the phone of a push token, replacing one it had.
	// Device returns the phone registered for a token with the token's
	// user and status, or ErrNotFound.
	SaveDevice(ctx context.Context, d PushDeviceRecord) error
	Device(ctx context.Context, tokenID string) (PushDeviceRecord, error)

	// CreatePushRequest stores a push request. PushRequest returns one by
	// id, QRLoginRequest the qr-login request of a scope, or ErrNotFound.
	// PendingPushRequests lists a token's PENDING requests that have not
	// expired at now, oldest first. UpdatePushRequest loads a request,
	// calls change with it, and saves its token, user, status and answer
	// time; when change fails nothing is saved and its error is returned.
	CreatePushRequest(ctx context.Context, r PushRequestRecord) error
	PushRequest(ctx context.Context, id string) (PushRequestRecord, error)
	QRLoginRequest(ctx context.Context, scope string) (PushRequestRecord, error)
	PendingPushRequests(ctx context.Context, tokenID string, now time.Time) ([]PushRequestRecord, error)
	UpdatePushRequest(ctx context.Context, id string, change func(r *PushRequestRecord) error) (PushRequestRecord, error)
}

// ProvisioningRecord is the open provisioning code of a PENDING push
// token. Only the SHA-256 of the code is kept.
type ProvisioningRecord struct {
	TokenID   string
	UserID    string
	CodeHash  string
	ExpiresAt time.Time
}

// PushDeviceRecord is the phone of an activated push token. UserID and
// Status are the token's, read only.
type PushDeviceRecord struct {
	TokenID    string
	PublicKey  []byte // PKIX DER of a P-256 key
	DeviceName string
	CreatedAt  time.Time

	UserID string
	Status string
}

// States of a push request.
const (
	PushPending  = "PENDING"  // waiting for the phone's answer
	PushApproved = "APPROVED" // the user confirmed; the verify call may use it
	PushDenied   = "DENIED"   // the user refused
	PushUsed     = "USED"     // a verify call used the answer up
)

// PushRequestRecord is a question to a phone, bound to its Scope (see
// pushScope). A qr-login request has no TokenID and UserID until a phone
// answers it.
type PushRequestRecord struct {
	ID         string
	Kind       string // api.PushSignIn, …
	Scope      string
	TokenID    string
	UserID     string
	Summary    string
	Challenge  string
	Status     string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	AnsweredAt time.Time // zero until answered
	// Number matching: the number the computer shows (0: none) and the
	// three the phone offers; Device and IP say where the request came
	// from, as the phone shows it.
	Number  int
	Choices []int
	Device  string
	IP      string
}
