package hw

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
)

// errNoFingerprint: no enrolled fingerprint has the given ID.
var errNoFingerprint = errors.New("no fingerprint with this id")

// Fingerprints lists the enrolled fingerprints; it needs the PIN.
func (s *Software) Fingerprints(ctx context.Context, pin string) ([]Fingerprint, error) {
	if err := s.bioReady(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.requirePIN(pin); err != nil {
		return nil, err
	}
	return slices.Clone(s.state.Fingerprints), nil
}

// EnrollFingerprint takes fingerprintSamples samples, each one a call of
// Presence, reporting TouchKey before and FingerprintSample after each.
// An empty name becomes "Fingerprint N".
func (s *Software) EnrollFingerprint(ctx context.Context, pin, name string, events func(Event)) (Fingerprint, error) {
	if err := s.bioReady(ctx); err != nil {
		return Fingerprint{}, err
	}
	s.mu.Lock()
	err := s.requirePIN(pin)
	full := len(s.state.Fingerprints) >= maxFingerprints
	s.mu.Unlock()
	if err != nil {
		return Fingerprint{}, s.pinNeeded(err, events)
	}
	if full {
		return Fingerprint{}, ErrKeyStoreFull
	}
	for remaining := fingerprintSamples - 1; remaining >= 0; remaining-- {
		if err := s.touch(ctx, events); err != nil {
			return Fingerprint{}, err
		}
		emit(events, Event{Kind: FingerprintSample, SamplesRemaining: remaining, Sample: SampleGood})
	}

	id := make([]byte, 4)
	if _, err := rand.Read(id); err != nil {
		return Fingerprint{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if name == "" {
		name = fmt.Sprintf("Fingerprint %d", len(s.state.Fingerprints)+1)
	}
	fp := Fingerprint{ID: id, Name: name}
	s.state.Fingerprints = append(s.state.Fingerprints, fp)
	return fp, s.save()
}

// RenameFingerprint renames an enrolled fingerprint; it needs the PIN.
func (s *Software) RenameFingerprint(ctx context.Context, pin string, id []byte, name string) error {
	return s.changeFingerprint(ctx, pin, id, func(i int) {
		s.state.Fingerprints[i].Name = name
	})
}

// DeleteFingerprint deletes an enrolled fingerprint; it needs the PIN.
func (s *Software) DeleteFingerprint(ctx context.Context, pin string, id []byte) error {
	return s.changeFingerprint(ctx, pin, id, func(i int) {
		s.state.Fingerprints = slices.Delete(s.state.Fingerprints, i, i+1)
	})
}

// changeFingerprint applies change to the fingerprint with id, under the
// lock, and saves.
func (s *Software) changeFingerprint(ctx context.Context, pin string, id []byte, change func(i int)) error {
	if err := s.bioReady(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.requirePIN(pin); err != nil {
		return err
	}
	i := slices.IndexFunc(s.state.Fingerprints, func(f Fingerprint) bool { return bytes.Equal(f.ID, id) })
	if i < 0 {
		return errNoFingerprint
	}
	change(i)
	return s.save()
}

func (s *Software) bioReady(ctx context.Context) error {
	if err := contextError(ctx); err != nil {
		return err
	}
	if !s.fingerprints {
		return fmt.Errorf("fingerprints: %w", ErrNotSupported)
	}
	return nil
}
