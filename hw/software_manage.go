package hw

import (
	"bytes"
	"cmp"
	"context"
	"slices"
)

// SetPIN sets the first PIN.
func (s *Software) SetPIN(ctx context.Context, pin string) error {
	if err := contextError(ctx); err != nil {
		return err
	}
	if err := checkPINPolicy(pin); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state.PIN != nil {
		return ErrPINAlreadySet
	}
	hash, err := hashPIN(pin)
	if err != nil {
		return err
	}
	s.state.PIN = hash
	s.state.PINRetries = maxPINRetries
	return s.save()
}

// ChangePIN replaces the PIN. A wrong old PIN counts against the retries.
func (s *Software) ChangePIN(ctx context.Context, oldPIN, newPIN string) error {
	if err := contextError(ctx); err != nil {
		return err
	}
	if err := checkPINPolicy(newPIN); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.requirePIN(oldPIN); err != nil {
		return err
	}
	hash, err := hashPIN(newPIN)
	if err != nil {
		return err
	}
	s.state.PIN = hash
	return s.save()
}

// Credentials lists the discoverable credentials by relying party, sorted
// by relying party ID; it needs the PIN.
func (s *Software) Credentials(ctx context.Context, pin string) ([]RPCredentials, error) {
	if err := contextError(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.requirePIN(pin); err != nil {
		return nil, err
	}
	var rps []RPCredentials
	for _, c := range s.state.Credentials {
		if !c.Resident {
			continue
		}
		i := slices.IndexFunc(rps, func(rp RPCredentials) bool { return rp.RP.ID == c.RP.ID })
		if i < 0 {
			rps = append(rps, RPCredentials{RP: c.RP})
			i = len(rps) - 1
		}
		rps[i].Credentials = append(rps[i].Credentials, Credential{ID: c.ID, User: c.User})
	}
	slices.SortFunc(rps, func(a, b RPCredentials) int { return cmp.Compare(a.RP.ID, b.RP.ID) })
	return rps, nil
}

// DeleteCredential deletes a discoverable credential; it needs the PIN.
func (s *Software) DeleteCredential(ctx context.Context, pin string, credentialID []byte) error {
	if err := contextError(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.requirePIN(pin); err != nil {
		return err
	}
	i := slices.IndexFunc(s.state.Credentials, func(c softwareCredential) bool {
		return c.Resident && bytes.Equal(c.ID, credentialID)
	})
	if i < 0 {
		return ErrNoCredentials
	}
	s.state.Credentials = slices.Delete(s.state.Credentials, i, i+1)
	return s.save()
}

// Reset forgets every credential, the PIN and the fingerprints after a
// touch. There is nothing to unplug, so it reports only TouchKey.
func (s *Software) Reset(ctx context.Context, events func(Event)) error {
	if err := contextError(ctx); err != nil {
		return err
	}
	if err := s.touch(ctx, events); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state = freshState()
	return s.save()
}
