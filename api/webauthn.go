package api

import "encoding/json"

// The wire types of FIDO2 security keys (WebAuthn). The WebAuthn
// structures themselves travel as raw JSON in their standard form
// (base64url for binary fields): the server builds and checks them with a
// WebAuthn library, the app hands them to the key, and this package stays
// free of both.

// Requirement levels of WebAuthn user verification and resident keys.
const (
	WebAuthnDiscouraged = "discouraged"
	WebAuthnPreferred   = "preferred"
	WebAuthnRequired    = "required"
)

// WebAuthnSettings are how a FIDO2 template registers keys, so that the
// app can explain them before the user touches the key.
type WebAuthnSettings struct {
	// UserVerification: does the key have to check a PIN or fingerprint
	// (required), do so when it can (preferred), or not (discouraged)?
	UserVerification string `json:"user_verification"`
	// ResidentKey: is the credential stored on the key (a passkey)?
	ResidentKey string `json:"resident_key"`
	// Passwordless: may the key sign in without username and password?
	Passwordless bool `json:"passwordless"`
}

// Credential describes the key registered for a FIDO2 token. None of it
// is secret: the credential ID is what the key lists for its passkeys, so
// the app can tell which passkeys belong to this account.
type Credential struct {
	ID                string   `json:"id"`                 // credential ID, base64url without padding
	AAGUID            string   `json:"aaguid"`             // the key model, as a UUID
	AttestationFormat string   `json:"attestation_format"` // e.g. packed, none
	Transports        []string `json:"transports,omitempty"`
	BackupEligible    bool     `json:"backup_eligible"` // may be synced to other devices
	BackupState       bool     `json:"backup_state"`    // is synced now
}

// WebAuthnOptions carry the options for the key: under "publicKey", the
// standard PublicKeyCredentialCreationOptions JSON (to register a key) or
// PublicKeyCredentialRequestOptions JSON (to sign in or test).
type WebAuthnOptions struct {
	PublicKey json.RawMessage `json:"publicKey"`
}

// LoginChallengeRequest asks for the options to sign in with a FIDO2
// token, POST /auth/login/{login_id}/challenge.
type LoginChallengeRequest struct {
	TokenID string `json:"token_id"`
}

// PasswordlessResponse answers POST /auth/passwordless: the options for a
// passkey, with no credentials listed, and the login to verify them in.
type PasswordlessResponse struct {
	LoginID  string          `json:"login_id"`
	WebAuthn WebAuthnOptions `json:"webauthn"`
}

// PasswordlessVerifyRequest finishes a passwordless sign-in with the
// key's assertion, POST /auth/passwordless/{login_id}/verify.
type PasswordlessVerifyRequest struct {
	WebAuthn json.RawMessage `json:"webauthn"`
}
