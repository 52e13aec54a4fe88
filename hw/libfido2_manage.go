//go:build cgo

package hw

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	libfido2 "github.com/keys-pub/go-libfido2"
)

// resetPollInterval is how often the reset ceremony looks for the key;
// well below ResetWindow.
const resetPollInterval = 100 * time.Millisecond

// SetPIN sets the first PIN.
func (d *libfido2Device) SetPIN(ctx context.Context, pin string) error {
	if err := checkPINPolicy(pin); err != nil {
		return err
	}
	path := d.currentPath()
	err := run(ctx, path, func(dev *libfido2.Device) error { return dev.SetPIN(pin, "") })
	if isLibfido2Code(err, ctapPINAuthInvalid) || errors.Is(err, libfido2.ErrNotAllowed) {
		return fmt.Errorf("set pin: %w", ErrPINAlreadySet)
	}
	return fail("set pin", path, err, nil)
}

// ChangePIN replaces the PIN: go-libfido2's SetPIN with the old PIN.
func (d *libfido2Device) ChangePIN(ctx context.Context, oldPIN, newPIN string) error {
	if err := checkPINPolicy(newPIN); err != nil {
		return err
	}
	if oldPIN == "" {
		return ErrPINRequired
	}
	path := d.currentPath()
	err := run(ctx, path, func(dev *libfido2.Device) error { return dev.SetPIN(newPIN, oldPIN) })
	return fail("change pin", path, err, nil)
}

// Credentials lists relying parties, then the credentials of each. Keys
// that keep only the hash of an RP ID report it empty; those relying
// parties are skipped, as go-libfido2 can only list by RP ID.
func (d *libfido2Device) Credentials(ctx context.Context, pin string) ([]RPCredentials, error) {
	if pin == "" {
		return nil, ErrPINRequired
	}
	path := d.currentPath()
	var out []RPCredentials
	err := run(ctx, path, func(dev *libfido2.Device) error {
		rps, err := dev.RelyingParties(pin)
		if err != nil {
			return err
		}
		for _, rp := range rps {
			if rp.ID == "" {
				continue
			}
			creds, err := dev.Credentials(rp.ID, pin)
			if err != nil {
				return err
			}
			entry := RPCredentials{RP: RelyingParty{ID: rp.ID, Name: rp.Name}}
			for _, c := range creds {
				entry.Credentials = append(entry.Credentials, Credential{
					ID:   c.ID,
					User: User{ID: c.User.ID, Name: c.User.Name, DisplayName: c.User.DisplayName},
				})
			}
			out = append(out, entry)
		}
		return nil
	})
	if err != nil {
		return nil, fail("list credentials", path, err, nil)
	}
	return out, nil
}

// DeleteCredential deletes a discoverable credential.
func (d *libfido2Device) DeleteCredential(ctx context.Context, pin string, credentialID []byte) error {
	if pin == "" {
		return ErrPINRequired
	}
	if len(credentialID) == 0 {
		return errors.New("delete credential: empty credential id")
	}
	path := d.currentPath()
	err := run(ctx, path, func(dev *libfido2.Device) error { return dev.DeleteCredential(credentialID, pin) })
	return fail("delete credential", path, err, nil)
}

// Reset runs the remove-insert-touch ceremony, then resets the key. The
// key may come back at another path; the device follows it.
func (d *libfido2Device) Reset(ctx context.Context, events func(Event)) error {
	ceremony := resetCeremony{lister: Libfido2{}, interval: resetPollInterval, now: time.Now}
	newPath, err := ceremony.run(ctx, d.currentPath(), events, func(ctx context.Context, path string) error {
		err := run(ctx, path, func(dev *libfido2.Device) error { return dev.Reset() })
		if errors.Is(err, libfido2.ErrNotAllowed) {
			return fmt.Errorf("reset: %w", ErrResetTooLate)
		}
		return fail("reset", path, err, events)
	})
	if newPath != "" {
		d.mu.Lock()
		d.path = newPath
		d.mu.Unlock()
	}
	return err
}

// Fingerprints lists the enrolled fingerprints.
func (d *libfido2Device) Fingerprints(ctx context.Context, pin string) ([]Fingerprint, error) {
	if pin == "" {
		return nil, ErrPINRequired
	}
	path := d.currentPath()
	var templates []libfido2.BioTemplate
	err := run(ctx, path, func(dev *libfido2.Device) error {
		var err error
		templates, err = dev.BioList(pin)
		return err
	})
	if err != nil {
		return nil, fail("list fingerprints", path, err, nil)
	}
	out := make([]Fingerprint, 0, len(templates))
	for _, t := range templates {
		id, err := hex.DecodeString(t.ID)
		if err != nil {
			return nil, fmt.Errorf("list fingerprints: %w", err)
		}
		out = append(out, Fingerprint{ID: id, Name: t.Name})
	}
	return out, nil
}

// EnrollFingerprint is not offered through go-libfido2: its BioEnroll
// prints prompts to standard output, waits a fixed 10 s per sample, and
// reports neither progress nor a way to cancel.
func (d *libfido2Device) EnrollFingerprint(context.Context, string, string, func(Event)) (Fingerprint, error) {
	return Fingerprint{}, fmt.Errorf("enroll fingerprint through go-libfido2: %w", ErrNotSupported)
}

// RenameFingerprint renames an enrolled fingerprint.
func (d *libfido2Device) RenameFingerprint(ctx context.Context, pin string, id []byte, name string) error {
	if pin == "" {
		return ErrPINRequired
	}
	path := d.currentPath()
	err := run(ctx, path, func(dev *libfido2.Device) error {
		return dev.BioSetTemplateName(pin, hex.EncodeToString(id), name)
	})
	return fail("rename fingerprint", path, err, nil)
}

// DeleteFingerprint deletes an enrolled fingerprint.
func (d *libfido2Device) DeleteFingerprint(ctx context.Context, pin string, id []byte) error {
	if pin == "" {
		return ErrPINRequired
	}
	path := d.currentPath()
	err := run(ctx, path, func(dev *libfido2.Device) error {
		return dev.BioDelete(pin, hex.EncodeToString(id))
	})
	return fail("delete fingerprint", path, err, nil)
}
