//go:build cgo

package hw

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"

	libfido2 "github.com/keys-pub/go-libfido2"
)

// Info reads authenticatorGetInfo and, for keys with PIN support, the PIN
// retries.
func (d *libfido2Device) Info(ctx context.Context) (Info, error) {
	path := d.currentPath()
	var raw *libfido2.DeviceInfo
	retries := -1
	err := run(ctx, path, func(dev *libfido2.Device) error {
		var err error
		if raw, err = dev.Info(); err != nil {
			return err
		}
		if slices.ContainsFunc(raw.Options, func(o libfido2.Option) bool { return o.Name == "clientPin" }) {
			if n, err := dev.RetryCount(); err == nil {
				retries = n
			}
		}
		return nil
	})
	if err != nil {
		return Info{}, fail("get info", path, err, nil)
	}
	info := Info{
		Versions:   raw.Versions,
		Extensions: raw.Extensions,
		AAGUID:     raw.AAGUID,
		Options:    make(map[string]bool, len(raw.Options)),
		PINRetries: retries,
		Transports: []string{transportOf(path)},
	}
	for _, o := range raw.Options {
		info.Options[o.Name] = o.Value == libfido2.True
	}
	return info, nil
}

// MakeCredential creates a credential on the key.
func (d *libfido2Device) MakeCredential(ctx context.Context, req MakeCredentialRequest, events func(Event)) (Attestation, error) {
	if err := checkMakeCredential(req); err != nil {
		return Attestation{}, err
	}
	typ, err := libfido2Algorithm(req.Algorithms)
	if err != nil {
		return Attestation{}, err
	}
	if err := d.needPIN(ctx, req.PIN, req.UserVerification, events); err != nil {
		return Attestation{}, err
	}
	path := d.currentPath()
	excluded, err := excludedOnKey(ctx, path, req.RP.ID, req.Exclude)
	if err != nil {
		return Attestation{}, fail("check excluded credentials", path, err, events)
	}
	if excluded {
		return Attestation{}, ErrCredentialExcluded
	}

	opts := &libfido2.MakeCredentialOpts{
		RK: optionValue(req.ResidentKey),
		// A PIN verifies the user already; "uv" asks for the key's own
		// verification and only goes without one.
		UV: optionValue(req.UserVerification && req.PIN == ""),
	}
	emit(events, Event{Kind: TouchKey})
	var att *libfido2.Attestation
	err = run(ctx, path, func(dev *libfido2.Device) error {
		var err error
		att, err = dev.MakeCredential(req.ClientDataHash,
			libfido2.RelyingParty{ID: req.RP.ID, Name: req.RP.Name},
			libfido2.User{ID: req.User.ID, Name: req.User.Name, DisplayName: req.User.DisplayName},
			typ, req.PIN, opts)
		return err
	})
	if err != nil {
		return Attestation{}, fail("make credential", path, err, events)
	}
	authData, err := unwrapAuthData(att.AuthData)
	if err != nil {
		return Attestation{}, err
	}
	out := Attestation{
		Format:       att.Format,
		AuthData:     authData,
		CredentialID: att.CredentialID,
		Algorithm:    int(att.CredentialType),
		Signature:    att.Sig,
	}
	if len(att.Cert) > 0 {
		out.Certificates = [][]byte{att.Cert}
	}
	return out, nil
}

// GetAssertion signs in with a credential on the key.
func (d *libfido2Device) GetAssertion(ctx context.Context, req GetAssertionRequest, events func(Event)) (Assertion, error) {
	if req.RPID == "" || len(req.ClientDataHash) != sha256.Size {
		return Assertion{}, errors.New("get assertion: rp id and a 32-byte client data hash are required")
	}
	if err := d.needPIN(ctx, req.PIN, req.UserVerification, events); err != nil {
		return Assertion{}, err
	}
	path := d.currentPath()
	opts := &libfido2.AssertionOpts{UV: optionValue(req.UserVerification && req.PIN == "")}
	if req.SkipUserPresence {
		opts.UP = libfido2.False
	} else {
		emit(events, Event{Kind: TouchKey})
	}
	allow := slices.DeleteFunc(slices.Clone(req.Allow), func(id []byte) bool { return len(id) == 0 })
	var a *libfido2.Assertion
	err := run(ctx, path, func(dev *libfido2.Device) error {
		var err error
		a, err = dev.Assertion(req.RPID, req.ClientDataHash, allow, req.PIN, opts)
		return err
	})
	if err != nil {
		return Assertion{}, fail("get assertion", path, err, events)
	}
	authData, err := unwrapAuthData(a.AuthDataCBOR)
	if err != nil {
		return Assertion{}, err
	}
	return Assertion{
		CredentialID: a.CredentialID,
		AuthData:     authData,
		Signature:    a.Sig,
		UserHandle:   a.User.ID,
	}, nil
}

// needPIN reports PINNeeded and returns ErrPINRequired when the user must
// be verified, no PIN was given, and the key cannot verify by itself; a
// key without a PIN gives ErrPINNotSet. Keys asked for "uv" without
// built-in verification would fail with a less clear error.
func (d *libfido2Device) needPIN(ctx context.Context, pin string, wantUV bool, events func(Event)) error {
	if pin != "" || !wantUV {
		return nil
	}
	info, err := d.Info(ctx)
	switch {
	case err != nil:
		return err
	case info.BuiltInUV():
		return nil
	case info.PINSet():
		emit(events, Event{Kind: PINNeeded, RetriesLeft: info.PINRetries})
		return ErrPINRequired
	}
	return ErrPINNotSet
}

// excludedOnKey reports whether the key holds one of the excluded
// credentials for rpID. go-libfido2 cannot pass an exclude list, so it
// asks for an assertion without user presence for each ID: the key
// answers only for credentials it holds. A key that refuses such silent
// probes is treated as holding none of them.
func excludedOnKey(ctx context.Context, path, rpID string, exclude [][]byte) (bool, error) {
	probeHash := sha256.Sum256([]byte("exclude list probe"))
	for _, id := range exclude {
		if len(id) == 0 {
			continue
		}
		err := run(ctx, path, func(dev *libfido2.Device) error {
			_, err := dev.Assertion(rpID, probeHash[:], [][]byte{id}, "", &libfido2.AssertionOpts{UP: libfido2.False})
			return err
		})
		switch {
		case err == nil, errors.Is(err, libfido2.ErrUserPresenceRequired): // U2F: known handle, needs a touch
			return true, nil
		case errors.Is(err, ErrCancelled), errors.Is(err, ErrTimeout), errors.Is(err, ErrNeedsAdmin):
			return false, err
		case errors.Is(err, libfido2.ErrNoCredentials), errors.Is(err, libfido2.ErrInvalidCredential),
			errors.Is(err, libfido2.ErrUnsupportedOption), errors.Is(err, libfido2.ErrInvalidOption),
			errors.Is(err, libfido2.ErrPinRequired), errors.Is(err, libfido2.ErrUPRequired):
			continue
		default:
			return false, err
		}
	}
	return false, nil
}

// libfido2Algorithm picks the first of the requested COSE algorithms that
// libfido2 can make; none requested means ES256.
func libfido2Algorithm(algorithms []int) (libfido2.CredentialType, error) {
	if len(algorithms) == 0 {
		return libfido2.ES256, nil
	}
	for _, alg := range algorithms {
		switch alg {
		case AlgES256:
			return libfido2.ES256, nil
		case AlgEdDSA:
			return libfido2.EDDSA, nil
		case AlgRS256:
			return libfido2.RS256, nil
		}
	}
	return 0, fmt.Errorf("algorithms %v: %w", algorithms, ErrNotSupported)
}
