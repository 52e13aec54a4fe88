package api

import (
	"encoding/json"
	"time"
)

// HealthResponse answers GET /health.
type HealthResponse struct {
	Status string `json:"status"`
}

// Enrollment states of a user.
const (
	EnrollmentFull    = "full"    // has at least one ACTIVE token
	EnrollmentPartial = "partial" // has none yet; may only enroll a first token
)

// User is the signed-in user as the app sees them.
type User struct {
	ID          string `json:"id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Role        string `json:"role"`
	Enrollment  string `json:"enrollment"`
}

// MeResponse answers GET /me. Preferences are the user's, which the app
// applies as soon as they are signed in. Approvals lists what the
// approvable operations need before they run (see ApprovalNeed).
type MeResponse struct {
	User        User           `json:"user"`
	Privileges  []Privilege    `json:"privileges"`
	Preferences Preferences    `json:"preferences"`
	Approvals   []ApprovalNeed `json:"approvals"`
}

// LoginRequest is the first sign-in step, POST /auth/login.
type LoginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// LoginMethod is one way to finish signing in: an ACTIVE token. Name is
// the name the user gave it ("Work phone"), Label its serial; Hint is
// the masked address of an SMS or email token. Default marks the method
// the user prefers, which the app preselects. They go only to a caller
// who proved the password (or is signed in), never before.
type LoginMethod struct {
	TokenID string    `json:"token_id"`
	Type    TokenType `json:"type"`
	Label   string    `json:"label"`
	Name    string    `json:"name,omitempty"`
	Hint    string    `json:"hint,omitempty"`
	Default bool      `json:"default,omitempty"`
}

// LoginResponse answers POST /auth/login. Either LoginID and Methods are
// set (a second factor is needed), or the user has no ACTIVE token yet and
// SessionToken, ExpiresAt and EnrollmentRequired are set: that session may
// only enroll tokens until one is ACTIVE.
type LoginResponse struct {
	LoginID            string        `json:"login_id,omitempty"`
	Methods            []LoginMethod `json:"methods,omitempty"`
	SessionToken       string        `json:"session_token,omitempty"`
	ExpiresAt          *time.Time    `json:"expires_at,omitempty"`
	EnrollmentRequired bool          `json:"enrollment_required,omitempty"`
}

// VerifyLoginRequest is the second sign-in step,
// POST /auth/login/{login_id}/verify: a code from an OTP token (or the
// code sent to an SMS or email token), the PublicKeyCredential JSON (an
// assertion) of a FIDO2 token, the id of the push request the login's
// challenge sent to a push token (answered push_pending until the phone
// answers: poll), or with TokenID EmergencyTokenID an emergency access
// code. Exactly one of OTP, WebAuthn, PushID and EmergencyCode is set.
type VerifyLoginRequest struct {
	TokenID       string          `json:"token_id"`
	OTP           string          `json:"otp,omitempty"`
	WebAuthn      json.RawMessage `json:"webauthn,omitempty"`
	PushID        string          `json:"push_id,omitempty"`
	EmergencyCode string          `json:"emergency_code,omitempty"`
}

// SessionResponse answers a completed sign-in.
type SessionResponse struct {
	SessionToken string    `json:"session_token"`
	ExpiresAt    time.Time `json:"expires_at"`
}

// TokenType is the kind of authentication method.
type TokenType string

const (
	TypeTOTP  TokenType = "totp"  // time-based authenticator app
	TypeHOTP  TokenType = "hotp"  // counter-based authenticator app
	TypeFIDO2 TokenType = "fido2" // FIDO2 security key or passkey (WebAuthn)
	TypeSMS   TokenType = "sms"   // codes sent by SMS to the token's Address
	TypeEmail TokenType = "email" // codes sent by email to the token's Address
	TypePush  TokenType = "push"  // the push authenticator app: confirm on the phone
	// TypeEmergency is an emergency access code: not a token, but offered
	// with the tokens at sign-in and step-up, with token id
	// EmergencyTokenID, while the user has a usable one.
	TypeEmergency TokenType = "emergency"
)

// TokenStatus is the lifecycle state of a token.
type TokenStatus string

const (
	StatusPending  TokenStatus = "PENDING" // enrolled, not yet activated by a first code
	StatusActive   TokenStatus = "ACTIVE"
	StatusDisabled TokenStatus = "DISABLED"
	StatusObsolete TokenStatus = "OBSOLETE" // expired by its template's validity
)

// TokenTemplate is an admin-defined kind of token a user may enroll.
type TokenTemplate struct {
	ID            string    `json:"id"`
	Name          string    `json:"name"`
	Type          TokenType `json:"type"`
	Description   string    `json:"description"`
	MaxPerUser    int       `json:"max_per_user"` // 0 means no limit
	InUse         int       `json:"in_use"`       // how many of the caller's tokens use it
	UserCanDelete bool      `json:"user_can_delete"`
	Order         int       `json:"order"`
	Algorithm     string    `json:"algorithm,omitempty"` // SHA1, SHA256, SHA512; OTP templates only
	Digits        int       `json:"digits,omitempty"`    // OTP templates only
	Period        int       `json:"period,omitempty"`    // seconds, TOTP only
	// WebAuthn says how a FIDO2 template registers keys; nil for others.
	WebAuthn *WebAuthnSettings `json:"webauthn,omitempty"`
	// Hardware marks the template of hardware OTP tokens: they are not
	// enrolled with POST /tokens but claimed by serial number with POST
	// /tokens/claim. Its tokens are HOTP or TOTP, as the device is.
	Hardware bool `json:"hardware,omitempty"`
	// ContactFields, on an SMS or email template, name the contact
	// fields whose confirmed values its tokens must use; empty: any
	// address, which the first code confirms.
	ContactFields []string `json:"contact_fields,omitempty"`
}

// Available reports whether the caller may enroll one more token of it.
func (t TokenTemplate) Available() bool {
	return t.MaxPerUser == 0 || t.InUse < t.MaxPerUser
}

// TemplatesResponse answers GET /token-templates.
type TemplatesResponse struct {
	Templates []TokenTemplate `json:"templates"`
}

// Token is one authentication method of the user. Secret data is never
// part of it.
type Token struct {
	ID          string      `json:"id"`
	TemplateID  string      `json:"template_id"`
	Type        TokenType   `json:"type"`
	Label       string      `json:"label"`
	Description string      `json:"description"`
	Status      TokenStatus `json:"status"`
	Deletable   bool        `json:"deletable"`
	CreatedAt   time.Time   `json:"created_at"`
	LastUsedAt  *time.Time  `json:"last_used_at,omitempty"`
	// Address is where an SMS or email token's codes go: a phone number
	// in international form (+4915112345678) or an email address. Empty
	// for other tokens. It is the user's own, so it is shown in full.
	Address string `json:"address,omitempty"`
	// Credential describes the registered key of an activated FIDO2
	// token; nil for other tokens.
	Credential *Credential `json:"credential,omitempty"`
	// Default marks the user's preferred sign-in method (PUT
	// /account/default-method), preselected at sign-in and step-up.
	Default bool `json:"default,omitempty"`
}

// TokensResponse answers GET /tokens.
type TokensResponse struct {
	Tokens []Token `json:"tokens"`
}

// TokenResponse answers the calls that return one token.
type TokenResponse struct {
	Token Token `json:"token"`
}

// CreateTokenRequest starts an enrollment, POST /tokens.
type CreateTokenRequest struct {
	TemplateID  string `json:"template_id"`
	Description string `json:"description"`
	// Address is the phone number (SMS templates) or email address (email
	// templates) the codes go to; empty for other templates.
	Address string `json:"address,omitempty"`
}

// Provisioning is what an authenticator app needs, returned once at
// enrollment and never again.
type Provisioning struct {
	OTPAuthURI string `json:"otpauth_uri"`
	Secret     string `json:"secret"` // base32, no padding
	Algorithm  string `json:"algorithm"`
	Digits     int    `json:"digits"`
	Period     int    `json:"period,omitempty"`
}

// CreateTokenResponse answers POST /tokens with the PENDING token and
// one of: Provisioning (authenticator-app tokens), WebAuthn (FIDO2
// tokens), Delivery (SMS and email tokens: where the first code went) or
// Push (the push authenticator app's provisioning payload).
type CreateTokenResponse struct {
	Token        Token             `json:"token"`
	Provisioning *Provisioning     `json:"provisioning,omitempty"`
	WebAuthn     *WebAuthnOptions  `json:"webauthn,omitempty"`
	Delivery     *CodeDelivery     `json:"delivery,omitempty"`
	Push         *PushProvisioning `json:"push,omitempty"`
}

// OTPRequest proves possession of a token, for activate and test: a code
// from an OTP token (or the code an SMS or email token was sent), the
// PublicKeyCredential JSON of a FIDO2 token, or the id of the push
// request a push token's challenge made. Exactly one is set.
type OTPRequest struct {
	OTP      string          `json:"otp,omitempty"`
	WebAuthn json.RawMessage `json:"webauthn,omitempty"`
	PushID   string          `json:"push_id,omitempty"`
}

// ResyncRequest carries two consecutive codes.
type ResyncRequest struct {
	OTP1 string `json:"otp1"`
	OTP2 string `json:"otp2"`
}

// UpdateTokenRequest changes what the user may edit, PATCH /tokens/{id}.
type UpdateTokenRequest struct {
	Description string `json:"description"`
}

// ChangeAddressRequest moves an SMS or email token to a new address,
// PUT /tokens/{id}/address. A code goes to the new address; the token
// keeps the old one until ConfirmAddress (POST /tokens/{id}/address/confirm
// with that code in an OTPRequest) succeeds.
type ChangeAddressRequest struct {
	Address string `json:"address"`
}
