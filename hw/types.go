package hw

import (
	"slices"
	"strings"
)

// Transports of a device, named as in WebAuthn's AuthenticatorTransport
// where one applies.
const (
	TransportUSB      = "usb"
	TransportNFC      = "nfc"
	TransportInternal = "internal" // a platform authenticator such as Windows Hello
	TransportVirtual  = "virtual"  // the software authenticator; not a WebAuthn transport
)

// COSE algorithm identifiers used for credentials.
const (
	AlgES256 = -7   // ECDSA with P-256 and SHA-256
	AlgEdDSA = -8   // Ed25519
	AlgRS256 = -257 // RSASSA-PKCS1-v1_5 with SHA-256
)

// Attestation statement formats.
const (
	FormatPacked  = "packed"
	FormatNone    = "none"
	FormatFIDOU2F = "fido-u2f"
)

// DeviceInfo describes an authenticator found on this computer. Path is
// what Provider.Open takes.
type DeviceInfo struct {
	Path         string
	Product      string
	Manufacturer string
	Transport    string // one of the Transport constants
}

// Info is what an authenticator says about itself (authenticatorGetInfo).
type Info struct {
	Versions   []string // e.g. "U2F_V2", "FIDO_2_0", "FIDO_2_1"
	Extensions []string // e.g. "credProtect", "hmac-secret"
	AAGUID     []byte   // 16 bytes naming the authenticator model
	// Options as reported by the key: an absent option is not supported, a
	// present one is supported and its value says whether it is enabled.
	// Common names: "clientPin", "uv", "rk", "up", "credMgmt",
	// "bioEnroll", "makeCredUvNotRqd".
	Options map[string]bool
	// PINRetries is the number of PIN attempts left before the PIN is
	// blocked, or -1 when unknown (no PIN support, or the key did not say).
	PINRetries int
	// Transports the key can be reached over, as WebAuthn names them.
	Transports []string
}

// option reports whether the named option is present and true.
func (i Info) option(name string) bool { return i.Options[name] }

// SupportsPIN reports whether the key can have a PIN.
func (i Info) SupportsPIN() bool {
	_, ok := i.Options["clientPin"]
	return ok
}

// PINSet reports whether a PIN is set on the key. Once set, a PIN can only
// be removed by a reset, which also deletes every credential on the key.
func (i Info) PINSet() bool { return i.option("clientPin") }

// BuiltInUV reports whether the key verifies the user itself (for example
// with an enrolled fingerprint), without a PIN from the computer.
func (i Info) BuiltInUV() bool { return i.option("uv") }

// CanVerifyUser reports whether the key can verify the user now, by PIN or
// built-in verification.
func (i Info) CanVerifyUser() bool { return i.PINSet() || i.BuiltInUV() }

// SupportsResidentKeys reports whether the key can store discoverable
// credentials (passkeys).
func (i Info) SupportsResidentKeys() bool { return i.option("rk") }

// SupportsCredentialManagement reports whether stored credentials can be
// listed and deleted.
func (i Info) SupportsCredentialManagement() bool {
	return i.option("credMgmt") || i.option("credentialMgmtPreview")
}

// SupportsFingerprints reports whether the key has a fingerprint sensor
// that can enroll fingerprints.
func (i Info) SupportsFingerprints() bool {
	_, ok := i.Options["bioEnroll"]
	_, preview := i.Options["userVerificationMgmtPreview"]
	return ok || preview
}

// FIDO2 reports whether the key speaks CTAP2 (not only U2F).
func (i Info) FIDO2() bool {
	return slices.ContainsFunc(i.Versions, func(v string) bool { return strings.HasPrefix(v, "FIDO_") })
}

// RelyingParty names the site or service a credential belongs to.
type RelyingParty struct {
	ID   string // e.g. "example.com"
	Name string
}

// User is the account a credential belongs to, as the relying party named
// it. ID is the relying party's opaque user handle.
type User struct {
	ID          []byte
	Name        string
	DisplayName string
}

// MakeCredentialRequest asks an authenticator for a new credential
// (authenticatorMakeCredential).
type MakeCredentialRequest struct {
	// ClientDataHash is the SHA-256 hash of the clientDataJSON; the key
	// signs it, it never sees the client data itself.
	ClientDataHash []byte
	RP             RelyingParty
	User           User
	// Algorithms in order of preference (COSE identifiers); empty means
	// ES256.
	Algorithms []int
	// ResidentKey asks for a discoverable credential (a passkey stored on
	// the key).
	ResidentKey bool
	// UserVerification asks the key to verify the user (PIN or built-in).
	UserVerification bool
	// Exclude lists credential IDs the account already has; a key that
	// holds one of them refuses with ErrCredentialExcluded.
	Exclude [][]byte
	// PIN is the key's PIN, or empty. Without it a key that needs one
	// reports a PINNeeded event and returns ErrPINRequired.
	PIN string
}

// Attestation is the answer to MakeCredential.
type Attestation struct {
	Format string // FormatPacked, FormatNone or FormatFIDOU2F
	// AuthData is the raw authenticator data, with the attested credential
	// data (AAGUID, credential ID, public key).
	AuthData     []byte
	CredentialID []byte
	// Algorithm is the COSE algorithm of the new credential.
	Algorithm int
	// Signature is the attestation signature over AuthData and the client
	// data hash; empty for FormatNone.
	Signature []byte
	// Certificates is the attestation certificate chain (DER), leaf first;
	// empty for self attestation, where the credential key signs.
	Certificates [][]byte
}

// GetAssertionRequest asks an authenticator to sign in with a credential
// (authenticatorGetAssertion).
type GetAssertionRequest struct {
	RPID           string
	ClientDataHash []byte
	// Allow lists acceptable credential IDs. When empty the key uses a
	// discoverable credential for RPID (username-less sign-in).
	Allow [][]byte
	// UserVerification asks the key to verify the user (PIN or built-in).
	UserVerification bool
	// SkipUserPresence asks for an assertion without a touch. Keys and
	// relying parties rarely accept it; WebAuthn always wants presence.
	SkipUserPresence bool
	// PIN is the key's PIN, or empty; see MakeCredentialRequest.PIN.
	PIN string
}

// Assertion is the answer to GetAssertion.
type Assertion struct {
	CredentialID []byte
	AuthData     []byte // raw authenticator data
	Signature    []byte // over AuthData and the client data hash
	// UserHandle is the user ID stored with a discoverable credential;
	// empty for other credentials.
	UserHandle []byte
}

// Credential is a discoverable credential stored on a key.
type Credential struct {
	ID   []byte
	User User
}

// RPCredentials are the discoverable credentials a key holds for one
// relying party.
type RPCredentials struct {
	RP          RelyingParty
	Credentials []Credential
}

// Fingerprint is a fingerprint template enrolled on a key.
type Fingerprint struct {
	ID   []byte
	Name string
}
