package server

import (
	"context"
	"time"
)

// SentCodeStore keeps the codes sent to SMS and email tokens (see
// migration 0007).
type SentCodeStore interface {
	// LastCodeSentAt returns when any code was last sent to the token,
	// whatever it was for; zero when none is kept.
	LastCodeSentAt(ctx context.Context, tokenID string) (time.Time, error)
	// SaveSentCode stores a code, replacing the one of its token, purpose
	// and key.
	SaveSentCode(ctx context.Context, c SentCodeRecord) error
	// UpdateSentCode loads the code of a token, purpose and key, calls
	// change with it, and saves its failures and use; when change fails
	// nothing is saved and its error is returned. ErrNotFound when there
	// is none.
	UpdateSentCode(ctx context.Context, tokenID, purpose, key string, change func(c *SentCodeRecord) error) (SentCodeRecord, error)
}

// SentCodeRecord is a code sent to an SMS or email token for one purpose.
type SentCodeRecord struct {
	TokenID   string
	Purpose   string // purposeLogin, purposeApproval, purposeTest, purposeRegister or purposeAddress
	Key       string // the login's or approval's id hash, or the token id
	CodeHash  string // the code's HMAC: see SecretBox.CodeMAC and sentCodeMessage
	Address   string // purposeAddress: the new address, which the code went to
	SentAt    time.Time
	ExpiresAt time.Time
	Failures  int       // wrong codes entered for it
	UsedAt    time.Time // zero until the code was accepted
}
