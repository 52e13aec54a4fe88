package hw

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"unicode/utf8"
)

// SoftwarePath is the device path of the software authenticator.
const SoftwarePath = "virtual"

// softwareAAGUID names the software authenticator's model.
var softwareAAGUID = []byte("selfservice-vkey")

// Limits of the software authenticator, close to those of common keys.
const (
	maxPINRetries          = 8
	minPINRunes            = 4
	maxPINBytes            = 63
	maxResidentCredentials = 25
	maxFingerprints        = 5
	fingerprintSamples     = 4
)

// SoftwareOptions configure a software authenticator. The zero value is a
// key kept in memory that answers at once.
type SoftwareOptions struct {
	// Format of attestation statements: FormatPacked (self attestation,
	// the default) or FormatNone.
	Format string
	// Presence stands for the user touching the key. It returns nil when
	// the user touched, an error (ErrDenied, or ErrTimeout for a key that
	// gave up waiting) otherwise, and must return when ctx ends. Nil
	// means the touch happens at once.
	Presence func(ctx context.Context) error
	// Store keeps the state between runs; nil keeps it in memory only.
	Store StateStore
	// Fingerprints gives the key a simulated fingerprint sensor: each
	// sample is one call of Presence.
	Fingerprints bool
}

// Software is a FIDO2 authenticator in software: real P-256 credentials,
// real authenticator data and signatures, self ("packed") or no
// attestation, per-credential signature counters, discoverable
// credentials, a PIN with 8 retries. Tests use it in place of a key, and
// the demo offers it as the "virtual security key". It is also a Provider
// that lists itself. It is safe for concurrent use.
//
// Differences from a real key: it never blocks the PIN for the rest of a
// power cycle after three wrong attempts (there is no power cycle), and a
// discoverable sign-in uses the newest matching credential.
type Software struct {
	format       string
	presence     func(ctx context.Context) error
	store        StateStore
	fingerprints bool

	mu    sync.Mutex
	state softwareState
}

var _ Authenticator = (*Software)(nil)
var _ Provider = (*Software)(nil)

// NewSoftware returns a software authenticator, with the state opts.Store
// saved earlier if any.
func NewSoftware(opts SoftwareOptions) (*Software, error) {
	s := &Software{
		format:       opts.Format,
		presence:     opts.Presence,
		store:        opts.Store,
		fingerprints: opts.Fingerprints,
		state:        freshState(),
	}
	switch s.format {
	case "":
		s.format = FormatPacked
	case FormatPacked, FormatNone:
	default:
		return nil, fmt.Errorf("software authenticator: attestation format %q: %w", opts.Format, ErrNotSupported)
	}
	if s.presence == nil {
		s.presence = func(context.Context) error { return nil }
	}
	if s.store == nil {
		return s, nil
	}
	data, err := s.store.Load()
	if err != nil {
		return nil, fmt.Errorf("load virtual key state: %w", err)
	}
	if data == nil {
		return s, nil
	}
	if err := json.Unmarshal(data, &s.state); err != nil {
		return nil, fmt.Errorf("load virtual key state: %w", err)
	}
	if s.state.Version != softwareStateVersion || s.state.PINRetries < 0 || s.state.PINRetries > maxPINRetries {
		return nil, fmt.Errorf("load virtual key state: unknown version %d or bad pin retries", s.state.Version)
	}
	return s, nil
}

// Devices lists the software authenticator itself.
func (s *Software) Devices(ctx context.Context) ([]DeviceInfo, error) {
	if err := contextError(ctx); err != nil {
		return nil, err
	}
	return []DeviceInfo{{
		Path:         SoftwarePath,
		Product:      "Virtual security key",
		Manufacturer: "Selfservice",
		Transport:    TransportVirtual,
	}}, nil
}

// Open returns s for SoftwarePath.
func (s *Software) Open(path string) (Authenticator, error) {
	if path != SoftwarePath {
		return nil, fmt.Errorf("open %q: %w", path, ErrNoDevice)
	}
	return s, nil
}

// Info reports FIDO 2.1 with discoverable credentials, credential
// management and PIN support; bioEnroll and built-in UV when the sensor is
// simulated.
func (s *Software) Info(ctx context.Context) (Info, error) {
	if err := contextError(ctx); err != nil {
		return Info{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	options := map[string]bool{
		"rk":               true,
		"up":               true,
		"plat":             false,
		"clientPin":        s.state.PIN != nil,
		"credMgmt":         true,
		"makeCredUvNotRqd": true,
	}
	if s.fingerprints {
		options["bioEnroll"] = len(s.state.Fingerprints) > 0
		options["uv"] = len(s.state.Fingerprints) > 0
	}
	return Info{
		Versions:   []string{"FIDO_2_0", "FIDO_2_1"},
		Extensions: []string{},
		AAGUID:     append([]byte(nil), softwareAAGUID...),
		Options:    options,
		PINRetries: s.state.PINRetries,
	}, nil
}

// touch reports TouchKey and waits for Presence.
func (s *Software) touch(ctx context.Context, events func(Event)) error {
	emit(events, Event{Kind: TouchKey})
	err := s.presence(ctx)
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return contextError(ctx)
	case errors.Is(err, ErrTimeout), errors.Is(err, ErrDenied):
		return err
	default:
		return fmt.Errorf("%w: %w", ErrDenied, err)
	}
}

// save stores the state; the caller holds s.mu.
func (s *Software) save() error {
	if s.store == nil {
		return nil
	}
	data, err := json.Marshal(s.state)
	if err != nil {
		return err
	}
	if err := s.store.Save(data); err != nil {
		return fmt.Errorf("save virtual key state: %w", err)
	}
	return nil
}

// checkPIN verifies pin, counting retries down on a mismatch and back to
// the maximum on a match. The attempt that uses up the last retry returns
// ErrPINBlocked. The caller holds s.mu.
func (s *Software) checkPIN(pin string) error {
	if s.state.PIN == nil {
		return ErrPINNotSet
	}
	if s.state.PINRetries <= 0 {
		return ErrPINBlocked
	}
	if !s.state.PIN.matches(pin) {
		s.state.PINRetries--
		if err := s.save(); err != nil {
			return err
		}
		if s.state.PINRetries == 0 {
			return ErrPINBlocked
		}
		return &WrongPINError{RetriesLeft: s.state.PINRetries}
	}
	if s.state.PINRetries != maxPINRetries {
		s.state.PINRetries = maxPINRetries
		return s.save()
	}
	return nil
}

// requirePIN is the PIN check of management commands, which always need
// the PIN. The caller holds s.mu.
func (s *Software) requirePIN(pin string) error {
	switch {
	case s.state.PIN == nil:
		return ErrPINNotSet
	case s.state.PINRetries <= 0:
		return ErrPINBlocked
	case pin == "":
		return ErrPINRequired
	}
	return s.checkPIN(pin)
}

// pinNeeded reports PINNeeded when err says the PIN is missing; it returns
// err. The caller does not hold s.mu.
func (s *Software) pinNeeded(err error, events func(Event)) error {
	if errors.Is(err, ErrPINRequired) {
		s.mu.Lock()
		retries := s.state.PINRetries
		s.mu.Unlock()
		emit(events, Event{Kind: PINNeeded, RetriesLeft: retries})
	}
	return err
}

// checkPINPolicy enforces CTAP's PIN rules: valid UTF-8, at least 4
// characters, at most 63 bytes.
func checkPINPolicy(pin string) error {
	if !utf8.ValidString(pin) || utf8.RuneCountInString(pin) < minPINRunes || len(pin) > maxPINBytes {
		return ErrPINPolicy
	}
	return nil
}
