package api

import "time"

// Proofs a token gives, as a challenge call says: what the verify call
// that follows needs.
const (
	ProofOTP      = "otp"      // type the code the token shows, or the code sent to it (Delivery)
	ProofWebAuthn = "webauthn" // answer WebAuthn with the security key (WebAuthn)
	ProofPush     = "push"     // confirm on the phone; poll verify with Push.ID
)

// ChallengeResponse answers the calls that prepare a token for a proof:
// POST /auth/login/{login_id}/challenge, POST /tokens/{id}/challenge and
// POST /approvals/{id}/challenge. Proof says what the verify call needs;
// WebAuthn is set for a security key, Delivery for an SMS or email token
// (the code was sent), Push for a push token (a push request waits on
// the phone).
type ChallengeResponse struct {
	Proof    string           `json:"proof"`
	WebAuthn *WebAuthnOptions `json:"webauthn,omitempty"`
	Delivery *CodeDelivery    `json:"delivery,omitempty"`
	Push     *PushChallenge   `json:"push,omitempty"`
}

// Delivery channels: how a message reaches the user.
const (
	ChannelSMS   = "sms"
	ChannelEmail = "email"
)

// CodeDelivery says where a one-time code was sent and for how long it
// holds. The user may ask for another (the challenge call again) from
// ResendAt on; before that the call fails with resend_too_soon.
type CodeDelivery struct {
	Channel   string    `json:"channel"`    // ChannelSMS or ChannelEmail
	SentTo    string    `json:"sent_to"`    // the address, masked: "+49 •••• ••12", "d•••@example.com"
	ExpiresAt time.Time `json:"expires_at"` // the code is refused after this
	ResendAt  time.Time `json:"resend_at"`  // the earliest time to ask for another code
}

// PushChallenge is a push request waiting for an answer on the phone.
// The desktop polls the verify call with its ID: push_pending until the
// phone answers, push_denied when the user refused, push_expired after
// ExpiresAt. Number is the number the app shows and the user picks on
// the phone (number matching); 0 for a request without one.
type PushChallenge struct {
	ID        string    `json:"id"`
	ExpiresAt time.Time `json:"expires_at"`
	Number    int       `json:"number,omitempty"`
}
