package ui

import (
	"errors"

	"fyne.io/fyne/v2/lang"

	"selfservice/hw"
)

// keyErrorMessage says what a security-key error means and what to do, or
// "" when err is not one. errorMessage calls it first.
func keyErrorMessage(err error) string {
	var wrongPIN *hw.WrongPINError
	switch {
	case errors.As(err, &wrongPIN):
		if wrongPIN.RetriesLeft >= 0 {
			return lang.L("The PIN is not correct. {{.Left}} attempts are left before the key locks.", map[string]any{"Left": wrongPIN.RetriesLeft})
		}
		return lang.L("The PIN is not correct. Try again.")
	case errors.Is(err, hw.ErrNoDevice):
		return lang.L("No security key was found. Insert your key and try again.")
	case errors.Is(err, hw.ErrNoPermission):
		return lang.L("A security key is plugged in, but this user may not open it. On Linux, udev must grant access to FIDO keys: systemd 244 or newer does so for the user signed in at the desktop; elsewhere install libfido2's udev rules. Then unplug the key and insert it again.")
	case errors.Is(err, hw.ErrNeedsAdmin):
		return lang.L("Windows lets only administrators manage security keys directly. Start Selfservice with \"Run as administrator\", or manage the key in Windows Settings > Accounts > Sign-in options > Security key.")
	case errors.Is(err, hw.ErrNotCompiledIn):
		return lang.L("This build of Selfservice cannot use security keys. Install the official package from your IT department.")
	case errors.Is(err, hw.ErrPINRequired):
		return lang.L("Enter your security key's PIN.")
	case errors.Is(err, hw.ErrPINNotSet):
		return lang.L("This key has no PIN yet, and one is required. Set a PIN in Security keys first.")
	case errors.Is(err, hw.ErrPINAlreadySet):
		return lang.L("This key already has a PIN. Use Change PIN instead.")
	case errors.Is(err, hw.ErrPINBlocked):
		return lang.L("The key's PIN is blocked after too many wrong attempts. Only a reset makes the key usable again, and a reset deletes everything on it.")
	case errors.Is(err, hw.ErrPINAuthBlocked):
		return lang.L("Too many wrong PINs in a row. Remove the key, insert it again, and retry.")
	case errors.Is(err, hw.ErrPINPolicy):
		return lang.L("The key does not accept this PIN. Use at least 4 characters (some keys need more).")
	case errors.Is(err, hw.ErrTimeout):
		return lang.L("The key was not touched in time. Try again and touch the key when it blinks.")
	case errors.Is(err, hw.ErrDenied):
		return lang.L("The key declined. Try again and confirm on the key.")
	case errors.Is(err, hw.ErrNotSupported):
		return lang.L("This security key does not support that.")
	case errors.Is(err, hw.ErrCredentialExcluded):
		return lang.L("This key is already registered to your account. Use another key, or keep using this one as it is.")
	case errors.Is(err, hw.ErrNoCredentials):
		return lang.L("This key is not registered for this account. Use the key you registered, or another sign-in method.")
	case errors.Is(err, hw.ErrKeyStoreFull):
		return lang.L("The key has no room left. Delete a passkey or fingerprint you no longer need, then try again.")
	case errors.Is(err, hw.ErrResetTooLate):
		return lang.L("The key accepts a reset only within seconds of being inserted. Start the reset again and insert the key when asked.")
	case errors.Is(err, hw.ErrRPIDMismatch):
		return lang.L("The server's security-key settings do not match its address. Contact your helpdesk.")
	}
	return ""
}
