//go:build cgo

package hw

import (
	"errors"
	"fmt"

	libfido2 "github.com/keys-pub/go-libfido2"
)

// CTAP status codes that go-libfido2 has no named error for; it returns
// them as libfido2.Error{Code}. Values from libfido2's fido/err.h.
const (
	ctapFPDatabaseFull        = 0x17
	ctapCredentialExcluded    = 0x19
	ctapUnsupportedExtension  = 0x16
	ctapUnsupportedAlgorithm  = 0x26
	ctapKeyStoreFull          = 0x28
	ctapUserActionTimeout     = 0x2f
	ctapPINBlocked            = 0x32
	ctapPINAuthInvalid        = 0x33
	ctapUVBlocked             = 0x3c
	ctapUVInvalid             = 0x3f
	ctapUnauthorizedPermisson = 0x40
)

// libfido2Errors maps go-libfido2's named errors to this package's.
var libfido2Errors = []struct{ from, to error }{
	{libfido2.ErrPinInvalid, ErrWrongPIN},
	{libfido2.ErrPinRequired, ErrPINRequired},
	{libfido2.ErrPinNotSet, ErrPINNotSet},
	{libfido2.ErrPinAuthBlocked, ErrPINAuthBlocked},
	{libfido2.ErrPinPolicyViolation, ErrPINPolicy},
	{libfido2.ErrActionTimeout, ErrTimeout},
	{libfido2.ErrUserPresenceRequired, ErrTimeout}, // a U2F key was not touched in time
	{libfido2.ErrKeepaliveCancel, ErrCancelled},
	{libfido2.ErrNoCredentials, ErrNoCredentials},
	{libfido2.ErrInvalidCredential, ErrNoCredentials},
	{libfido2.ErrOperationDenied, ErrDenied},
	{libfido2.ErrNotAllowed, ErrDenied},
	{libfido2.ErrInvalidCommand, ErrNotSupported},
	{libfido2.ErrUnsupportedOption, ErrNotSupported},
	{libfido2.ErrInvalidOption, ErrNotSupported},
	{libfido2.ErrUPRequired, ErrNotSupported},
	{libfido2.ErrNotFIDO2, ErrNotSupported},
}

// libfido2Codes maps the CTAP codes go-libfido2 leaves unnamed.
var libfido2Codes = map[int]error{
	ctapFPDatabaseFull:        ErrKeyStoreFull,
	ctapCredentialExcluded:    ErrCredentialExcluded,
	ctapUnsupportedExtension:  ErrNotSupported,
	ctapUnsupportedAlgorithm:  ErrNotSupported,
	ctapKeyStoreFull:          ErrKeyStoreFull,
	ctapUserActionTimeout:     ErrTimeout,
	ctapPINBlocked:            ErrPINBlocked,
	ctapUVBlocked:             ErrPINRequired, // built-in verification is blocked: fall back to the PIN
	ctapUVInvalid:             ErrDenied,      // e.g. the fingerprint was not recognised
	ctapUnauthorizedPermisson: ErrDenied,
}

// mapLibfido2Error returns the typed error for an error of go-libfido2,
// or nil when it has none.
func mapLibfido2Error(err error) error {
	for _, m := range libfido2Errors {
		if errors.Is(err, m.from) {
			return m.to
		}
	}
	var coded libfido2.Error
	if errors.As(err, &coded) {
		return libfido2Codes[coded.Code]
	}
	return nil
}

// isLibfido2Code reports whether err is the unnamed CTAP code.
func isLibfido2Code(err error, code int) bool {
	var coded libfido2.Error
	return errors.As(err, &coded) && coded.Code == code
}

// fail is the one place where the errors of an operation on the key at
// path become this package's errors. A wrong PIN gets the retries left (or
// becomes ErrPINBlocked when none are left); a
// missing PIN reports PINNeeded; an error libfido2 gives no meaning to is
// explained by the device node when it is gone or not accessible. The
// libfido2 text stays in the message, not in the chain.
func fail(op, path string, err error, events func(Event)) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, ErrCancelled) || errors.Is(err, ErrTimeout) || errors.Is(err, ErrNeedsAdmin) {
		return err // from run: already typed
	}
	typed := mapLibfido2Error(err)
	switch {
	case typed == ErrWrongPIN:
		retries := pinRetries(path)
		if retries == 0 { // as the software authenticator: the last wrong PIN blocks
			return fmt.Errorf("%s: %w", op, ErrPINBlocked)
		}
		return fmt.Errorf("%s: %w", op, &WrongPINError{RetriesLeft: retries})
	case typed == ErrPINRequired:
		emit(events, Event{Kind: PINNeeded, RetriesLeft: pinRetries(path)})
	case typed == nil:
		typed = accessError(path)
	}
	if typed == nil {
		return fmt.Errorf("%s: %v", op, err)
	}
	return fmt.Errorf("%s: %w (%v)", op, typed, err)
}

// pinRetries asks the key how many PIN attempts are left; -1 when it
// cannot tell.
func pinRetries(path string) int {
	dev, err := libfido2.NewDevice(path)
	if err != nil {
		return -1
	}
	n, err := dev.RetryCount()
	if err != nil {
		return -1
	}
	return n
}
