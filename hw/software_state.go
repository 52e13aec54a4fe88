package hw

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// StateStore keeps the software authenticator's state between runs of the
// app. The state holds the credentials' private keys and a salted hash of
// the PIN (never the PIN itself); a store may encrypt it.
type StateStore interface {
	// Load returns the saved state, or nil and no error when nothing was
	// saved yet.
	Load() ([]byte, error)
	// Save replaces the saved state.
	Save(state []byte) error
}

// FileStore keeps the state in a JSON file readable by its owner only
// (mode 0600), replaced atomically on every change.
type FileStore string

// Load reads the file; a missing file is an empty state.
func (f FileStore) Load() ([]byte, error) {
	data, err := os.ReadFile(string(f))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return data, err
}

// Save writes the file through a temporary file in the same directory,
// creating the directory (mode 0700) if needed.
func (f FileStore) Save(state []byte) error {
	dir := filepath.Dir(string(f))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".virtual-key-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing left to remove
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(state); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), string(f))
}

// softwareState is everything the software authenticator remembers.
type softwareState struct {
	Version      int                  `json:"version"`
	PIN          *pinHash             `json:"pin,omitempty"`
	PINRetries   int                  `json:"pinRetries"`
	Credentials  []softwareCredential `json:"credentials,omitempty"`
	Fingerprints []Fingerprint        `json:"fingerprints,omitempty"`
}

const softwareStateVersion = 1

func freshState() softwareState {
	return softwareState{Version: softwareStateVersion, PINRetries: maxPINRetries}
}

// softwareCredential is one credential with its private key.
type softwareCredential struct {
	ID        []byte       `json:"id"`
	RP        RelyingParty `json:"rp"`
	User      User         `json:"user"`
	Resident  bool         `json:"resident"`
	Key       []byte       `json:"key"` // PKCS #8 DER of the P-256 private key
	SignCount uint32       `json:"signCount"`
}

// pinHash is a PBKDF2-SHA256 hash of the PIN with its salt.
type pinHash struct {
	Salt       []byte `json:"salt"`
	Iterations int    `json:"iterations"`
	Hash       []byte `json:"hash"`
}

// pinHashIterations makes guessing a PIN from a copied state file slow.
const pinHashIterations = 100_000

func hashPIN(pin string) (*pinHash, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	hash, err := pbkdf2.Key(sha256.New, pin, salt, pinHashIterations, 32)
	if err != nil {
		return nil, fmt.Errorf("hash pin: %w", err)
	}
	return &pinHash{Salt: salt, Iterations: pinHashIterations, Hash: hash}, nil
}

func (h *pinHash) matches(pin string) bool {
	hash, err := pbkdf2.Key(sha256.New, pin, h.Salt, h.Iterations, len(h.Hash))
	return err == nil && subtle.ConstantTimeCompare(hash, h.Hash) == 1
}
