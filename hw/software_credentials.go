package hw

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
)

// MakeCredential creates a P-256 credential. A key with a PIN needs it for
// user verification and for discoverable credentials; a credential in
// req.Exclude for the same relying party gives ErrCredentialExcluded after
// the touch, as on a real key.
func (s *Software) MakeCredential(ctx context.Context, req MakeCredentialRequest, events func(Event)) (Attestation, error) {
	if err := contextError(ctx); err != nil {
		return Attestation{}, err
	}
	if err := checkMakeCredential(req); err != nil {
		return Attestation{}, err
	}
	if len(req.Algorithms) > 0 && !slices.Contains(req.Algorithms, AlgES256) {
		return Attestation{}, fmt.Errorf("algorithms %v: only ES256: %w", req.Algorithms, ErrNotSupported)
	}

	s.mu.Lock()
	uv, byFinger, err := s.verifyUser(req.PIN, req.UserVerification, req.ResidentKey)
	excluded := slices.ContainsFunc(s.state.Credentials, func(c softwareCredential) bool {
		return c.RP.ID == req.RP.ID && containsID(req.Exclude, c.ID)
	})
	full := req.ResidentKey && s.residentCount() >= maxResidentCredentials
	s.mu.Unlock()
	if err != nil {
		return Attestation{}, s.pinNeeded(err, events)
	}
	if full {
		return Attestation{}, ErrKeyStoreFull
	}
	if err := s.touch(ctx, events); err != nil {
		return Attestation{}, err
	}
	if excluded {
		return Attestation{}, ErrCredentialExcluded
	}

	cred, pub, err := newSoftwareCredential(req)
	if err != nil {
		return Attestation{}, err
	}
	coseKey, err := coseES256Key(pub)
	if err != nil {
		return Attestation{}, err
	}
	flags := byte(flagUserPresent)
	if uv || byFinger {
		flags |= flagUserVerified
	}
	att := Attestation{
		Format:       s.format,
		AuthData:     authenticatorData(req.RP.ID, flags, cred.SignCount, attestedCredentialData(softwareAAGUID, cred.ID, coseKey)),
		CredentialID: cred.ID,
		Algorithm:    AlgES256,
	}
	if s.format == FormatPacked {
		if att.Signature, err = cred.sign(att.AuthData, req.ClientDataHash); err != nil {
			return Attestation{}, err
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if cred.Resident {
		// A new discoverable credential replaces the account's old one.
		s.state.Credentials = slices.DeleteFunc(s.state.Credentials, func(c softwareCredential) bool {
			return c.Resident && c.RP.ID == cred.RP.ID && bytes.Equal(c.User.ID, cred.User.ID)
		})
	}
	s.state.Credentials = append(s.state.Credentials, cred)
	if err := s.save(); err != nil {
		return Attestation{}, err
	}
	return att, nil
}

// GetAssertion signs with a credential of req.RPID: one from req.Allow, or
// the newest discoverable one when Allow is empty. Each assertion raises
// the credential's signature counter.
func (s *Software) GetAssertion(ctx context.Context, req GetAssertionRequest, events func(Event)) (Assertion, error) {
	if err := contextError(ctx); err != nil {
		return Assertion{}, err
	}
	if req.RPID == "" || len(req.ClientDataHash) != sha256.Size {
		return Assertion{}, errors.New("get assertion: rp id and a 32-byte client data hash are required")
	}

	s.mu.Lock()
	uv, byFinger, err := s.verifyUser(req.PIN, req.UserVerification, false)
	i := s.findCredential(req.RPID, req.Allow)
	var id []byte
	if i >= 0 {
		id = s.state.Credentials[i].ID
	}
	s.mu.Unlock()
	if err != nil {
		return Assertion{}, s.pinNeeded(err, events)
	}
	if id == nil {
		return Assertion{}, ErrNoCredentials
	}
	flags := byte(0)
	if !req.SkipUserPresence || byFinger {
		if err := s.touch(ctx, events); err != nil {
			return Assertion{}, err
		}
		flags |= flagUserPresent
	}
	if uv || byFinger {
		flags |= flagUserVerified
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	i = slices.IndexFunc(s.state.Credentials, func(c softwareCredential) bool { return bytes.Equal(c.ID, id) })
	if i < 0 {
		return Assertion{}, ErrNoCredentials // deleted while waiting for the touch
	}
	cred := &s.state.Credentials[i]
	cred.SignCount++
	authData := authenticatorData(req.RPID, flags, cred.SignCount, nil)
	sig, err := cred.sign(authData, req.ClientDataHash)
	if err != nil {
		return Assertion{}, err
	}
	if err := s.save(); err != nil {
		return Assertion{}, err
	}
	a := Assertion{CredentialID: cred.ID, AuthData: authData, Signature: sig}
	if cred.Resident {
		a.UserHandle = cred.User.ID
	}
	return a, nil
}

// verifyUser decides how a MakeCredential or GetAssertion verifies the
// user: with the given PIN (uv), with an enrolled fingerprint at the touch
// (byFinger), or not at all. needPINIfSet: a key with a PIN needs it even
// without wantUV. The caller holds s.mu.
func (s *Software) verifyUser(pin string, wantUV, needPINIfSet bool) (uv, byFinger bool, err error) {
	if pin != "" {
		if err := s.checkPIN(pin); err != nil {
			return false, false, err
		}
		return true, false, nil
	}
	pinSet := s.state.PIN != nil
	need := wantUV || (needPINIfSet && pinSet)
	switch {
	case !need:
		return false, false, nil
	case s.fingerprints && len(s.state.Fingerprints) > 0:
		return false, true, nil
	case pinSet && s.state.PINRetries <= 0:
		return false, false, ErrPINBlocked
	case pinSet:
		return false, false, ErrPINRequired
	default:
		return false, false, ErrPINNotSet
	}
}

// findCredential returns the index of the credential to sign with, or -1.
// The caller holds s.mu.
func (s *Software) findCredential(rpID string, allow [][]byte) int {
	if len(allow) > 0 {
		return slices.IndexFunc(s.state.Credentials, func(c softwareCredential) bool {
			return c.RP.ID == rpID && containsID(allow, c.ID)
		})
	}
	for i := len(s.state.Credentials) - 1; i >= 0; i-- {
		if c := s.state.Credentials[i]; c.Resident && c.RP.ID == rpID {
			return i
		}
	}
	return -1
}

// residentCount counts discoverable credentials; the caller holds s.mu.
func (s *Software) residentCount() int {
	n := 0
	for _, c := range s.state.Credentials {
		if c.Resident {
			n++
		}
	}
	return n
}

func checkMakeCredential(req MakeCredentialRequest) error {
	switch {
	case len(req.ClientDataHash) != sha256.Size:
		return errors.New("make credential: the client data hash must be 32 bytes")
	case req.RP.ID == "":
		return errors.New("make credential: rp id is required")
	case len(req.User.ID) == 0 || len(req.User.ID) > 64:
		return errors.New("make credential: user id must be 1 to 64 bytes")
	}
	return nil
}

func newSoftwareCredential(req MakeCredentialRequest) (softwareCredential, *ecdsa.PublicKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return softwareCredential{}, nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return softwareCredential{}, nil, err
	}
	id := make([]byte, 32)
	if _, err := rand.Read(id); err != nil {
		return softwareCredential{}, nil, err
	}
	return softwareCredential{
		ID:       id,
		RP:       req.RP,
		User:     req.User,
		Resident: req.ResidentKey,
		Key:      der,
	}, &key.PublicKey, nil
}

// sign makes an ES256 signature over authData and the client data hash,
// as attestation and assertion signatures are.
func (c softwareCredential) sign(authData, clientDataHash []byte) ([]byte, error) {
	parsed, err := x509.ParsePKCS8PrivateKey(c.Key)
	if err != nil {
		return nil, fmt.Errorf("virtual key credential: %w", err)
	}
	key, ok := parsed.(*ecdsa.PrivateKey)
	if !ok {
		return nil, errors.New("virtual key credential: not an ecdsa key")
	}
	digest := sha256.Sum256(append(append([]byte(nil), authData...), clientDataHash...))
	return ecdsa.SignASN1(rand.Reader, key, digest[:])
}

func containsID(ids [][]byte, id []byte) bool {
	return slices.ContainsFunc(ids, func(x []byte) bool { return bytes.Equal(x, id) })
}
