package hw

import (
	"context"
	"errors"
	"fmt"
)

// Errors a caller can act on. Both the libfido2 implementation and the
// software authenticator return these (possibly wrapped), so check them
// with errors.Is.
var (
	// ErrNoDevice: no authenticator is plugged in, or it was removed.
	ErrNoDevice = errors.New("no fido2 device")
	// ErrNoPermission: a key is plugged in but this user may not open it
	// (on Linux the hidraw device lacks a udev rule granting access).
	ErrNoPermission = errors.New("no permission to open the fido2 device")
	// ErrNeedsAdmin: Windows lets only administrators talk to security keys
	// directly.
	ErrNeedsAdmin = errors.New("fido2 device access needs administrator rights")
	// ErrPINRequired: the operation needs the key's PIN and none was given.
	ErrPINRequired = errors.New("pin required")
	// ErrPINNotSet: the operation needs a PIN but the key has none yet.
	ErrPINNotSet = errors.New("pin not set")
	// ErrPINAlreadySet: SetPIN on a key that has a PIN; use ChangePIN.
	ErrPINAlreadySet = errors.New("pin already set")
	// ErrWrongPIN: the PIN was wrong. The error is a *WrongPINError that
	// tells how many attempts are left.
	ErrWrongPIN = errors.New("wrong pin")
	// ErrPINBlocked: too many wrong PINs; only a reset makes the key usable.
	ErrPINBlocked = errors.New("pin blocked")
	// ErrPINAuthBlocked: three wrong PINs in a row; the key takes no more
	// PINs until it is removed and inserted again.
	ErrPINAuthBlocked = errors.New("pin temporarily blocked until the key is reinserted")
	// ErrPINPolicy: the new PIN breaks the key's rules (at least 4
	// characters, at most 63 bytes, or the key's own minimum).
	ErrPINPolicy = errors.New("pin does not meet the key's policy")
	// ErrTimeout: the action timed out, for example the key was not touched.
	ErrTimeout = errors.New("action timed out")
	// ErrCancelled: the caller cancelled the operation.
	ErrCancelled = errors.New("operation cancelled")
	// ErrDenied: the user or the key declined the operation.
	ErrDenied = errors.New("operation denied")
	// ErrNotSupported: this key (or this build) cannot do the operation.
	ErrNotSupported = errors.New("operation not supported by this key")
	// ErrNotCompiledIn: the app was built without libfido2.
	ErrNotCompiledIn = errors.New("FIDO2 support not compiled in")
	// ErrCredentialExcluded: the key already holds a credential for this
	// account (it is already registered).
	ErrCredentialExcluded = errors.New("key already registered")
	// ErrNoCredentials: the key holds no credential the relying party
	// accepts.
	ErrNoCredentials = errors.New("no matching credential on the key")
	// ErrKeyStoreFull: the key has no room for another discoverable
	// credential or fingerprint.
	ErrKeyStoreFull = errors.New("key storage full")
	// ErrResetTooLate: the key refused the reset because it came too long
	// after the key was inserted.
	ErrResetTooLate = errors.New("reset must follow insertion of the key within seconds")
)

// WrongPINError is returned for a wrong PIN; errors.Is(err, ErrWrongPIN)
// holds for it.
type WrongPINError struct {
	// RetriesLeft is the number of attempts left before the PIN is
	// blocked, or -1 when the key did not say.
	RetriesLeft int
}

func (e *WrongPINError) Error() string {
	if e.RetriesLeft < 0 {
		return "wrong pin"
	}
	return fmt.Sprintf("wrong pin, %d retries left", e.RetriesLeft)
}

// Is makes errors.Is(err, ErrWrongPIN) true.
func (e *WrongPINError) Is(target error) bool { return target == ErrWrongPIN }

// contextError turns an ended context into ErrCancelled or ErrTimeout (the
// context's own error stays in the chain); nil while the context is live.
func contextError(ctx context.Context) error {
	err := ctx.Err()
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%w: %w", ErrTimeout, err)
	default:
		return fmt.Errorf("%w: %w", ErrCancelled, err)
	}
}
