package hw

import "context"

// Authenticator is one FIDO2 authenticator: a security key opened by path,
// or the software authenticator. Every method blocks until the key has
// answered or the context ends. Methods that take a PIN return
// ErrPINRequired when it is missing and the key needs one.
type Authenticator interface {
	// Info reports versions, options and PIN retries.
	Info(ctx context.Context) (Info, error)

	// MakeCredential creates a credential. It reports TouchKey while it
	// waits for the user and PINNeeded when a PIN is missing.
	MakeCredential(ctx context.Context, req MakeCredentialRequest, events func(Event)) (Attestation, error)
	// GetAssertion signs in with a credential. It reports TouchKey and
	// PINNeeded like MakeCredential.
	GetAssertion(ctx context.Context, req GetAssertionRequest, events func(Event)) (Assertion, error)

	// SetPIN sets the first PIN. A PIN cannot be removed without a reset.
	SetPIN(ctx context.Context, pin string) error
	// ChangePIN replaces the PIN; a wrong old PIN gives a *WrongPINError.
	ChangePIN(ctx context.Context, oldPIN, newPIN string) error

	// Credentials lists the discoverable credentials on the key, grouped by
	// relying party.
	Credentials(ctx context.Context, pin string) ([]RPCredentials, error)
	// DeleteCredential deletes one discoverable credential.
	DeleteCredential(ctx context.Context, pin string, credentialID []byte) error

	// Reset deletes every credential, the PIN and the fingerprints. Real
	// keys accept it only shortly after being plugged in, so it runs the
	// remove-insert-touch ceremony and reports RemoveKey, InsertKey and
	// TouchKey as it goes.
	Reset(ctx context.Context, events func(Event)) error

	// Fingerprints lists the enrolled fingerprints.
	Fingerprints(ctx context.Context, pin string) ([]Fingerprint, error)
	// EnrollFingerprint captures a new fingerprint, reporting TouchKey
	// before each sample and FingerprintSample after it.
	EnrollFingerprint(ctx context.Context, pin, name string, events func(Event)) (Fingerprint, error)
	// RenameFingerprint renames an enrolled fingerprint.
	RenameFingerprint(ctx context.Context, pin string, id []byte, name string) error
	// DeleteFingerprint deletes an enrolled fingerprint.
	DeleteFingerprint(ctx context.Context, pin string, id []byte) error
}

// Provider lists the authenticators it can reach and opens them.
type Provider interface {
	// Devices lists the authenticators present now: an empty list, not an
	// error, when there are none.
	Devices(ctx context.Context) ([]DeviceInfo, error)
	// Open returns the authenticator at path (a DeviceInfo.Path). It does
	// no I/O; errors show up on the first operation.
	Open(path string) (Authenticator, error)
}
