package server

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Secrets at rest. The server has one secret key (32 random bytes) and,
// while keys are rotated, older ones it still reads with. From each key
// HKDF-SHA256 derives, with distinct labels, an AES-256-GCM key that
// seals token seeds, an HMAC-SHA256 key for sent codes, and a 4-byte key
// id that names the key in what it made; the key itself is used for
// nothing else.
//
// A sealed value is
//
//	0x01 | key id (4 bytes) | nonce (12 random bytes) | AES-256-GCM ciphertext and tag
//
// and its first five bytes, with the associated data its caller binds it
// to (such as the token id), are authenticated with it: a value opens
// only with the key it names and only for the row it was sealed for.

// SecretKeySize is the size of a server secret key in bytes.
const SecretKeySize = 32

// sealVersion is the first byte of a sealed value: AES-256-GCM with a
// random 96-bit nonce, under a key derived as described above.
const sealVersion = 0x01

const sealHeaderSize = 1 + 4

// The HKDF labels of what is derived from a secret key.
const (
	labelKeyID   = "selfservice key id v1"
	labelSeal    = "selfservice seal v1"
	labelCodeMAC = "selfservice sent code mac v1"
)

// ErrNoSecretKey is returned by a store that was opened without the
// server secret key when it is asked to read or write a token secret.
var ErrNoSecretKey = errors.New("the server secret key is needed to read or write token secrets, and none is configured")

// SecretKey is a server secret key. Its String shows only its id, so that
// printing or logging one by mistake reveals nothing.
type SecretKey [SecretKeySize]byte

// NewSecretKey returns a new random key.
func NewSecretKey() SecretKey {
	var k SecretKey
	rand.Read(k[:]) // never fails (see crypto/rand)
	return k
}

// ParseSecretKey reads a key written as base64 (standard or URL
// alphabet, padded or not) or as hex, with surrounding white space.
// Errors never repeat the text.
func ParseSecretKey(text string) (SecretKey, error) {
	var k SecretKey
	text = strings.TrimSpace(text)
	var raw []byte
	var err error
	if len(text) == 2*SecretKeySize {
		raw, err = hex.DecodeString(text)
	} else {
		raw, err = base64.RawStdEncoding.DecodeString(strings.NewReplacer("-", "+", "_", "/", "=", "").Replace(text))
	}
	if err != nil || len(raw) != SecretKeySize {
		return k, fmt.Errorf("a secret key is %d random bytes written as base64 or hex (for example from: head -c 32 /dev/urandom | base64); this is not one", SecretKeySize)
	}
	copy(k[:], raw)
	return k, nil
}

// Encode writes the key as padded standard base64, the form ParseSecretKey
// reads.
func (k SecretKey) Encode() string {
	return base64.StdEncoding.EncodeToString(k[:])
}

// ID names the key: 8 hex digits derived from it one way. It is not
// secret, and is what sealed values and logs refer to the key by.
func (k SecretKey) ID() string {
	return hex.EncodeToString(k.derive(labelKeyID, 4))
}

func (k SecretKey) String() string   { return "secret key " + k.ID() }
func (k SecretKey) GoString() string { return k.String() }

func (k SecretKey) derive(label string, n int) []byte {
	out, err := hkdf.Key(sha256.New, k[:], nil, label, n)
	if err != nil {
		panic("hkdf: " + err.Error()) // only for lengths far beyond these
	}
	return out
}

// SecretBox seals and opens secrets at rest under the server's keys: it
// seals with the current key and opens with any of them. It is safe for
// concurrent use.
type SecretBox struct {
	current *boxKey
	keys    map[uint32]*boxKey
	order   []*boxKey // the current key first, then the previous ones as given
}

type boxKey struct {
	id      uint32
	name    string // the id in hex, as SecretKey.ID
	aead    cipher.AEAD
	codeMAC []byte // the HMAC key of sent codes
}

// NewSecretBox returns a box that seals with current and opens what
// current or any of previous sealed.
func NewSecretBox(current SecretKey, previous ...SecretKey) (*SecretBox, error) {
	b := &SecretBox{keys: map[uint32]*boxKey{}}
	seen := map[uint32]SecretKey{}
	for i, k := range append([]SecretKey{current}, previous...) {
		bk, err := newBoxKey(k)
		if err != nil {
			return nil, err
		}
		if other, ok := seen[bk.id]; ok {
			if other != k {
				return nil, fmt.Errorf("two different secret keys have the same id %s; make a new key", bk.name)
			}
			continue // the same key given twice
		}
		seen[bk.id] = k
		b.keys[bk.id] = bk
		b.order = append(b.order, bk)
		if i == 0 {
			b.current = bk
		}
	}
	return b, nil
}

func newBoxKey(k SecretKey) (*boxKey, error) {
	block, err := aes.NewCipher(k.derive(labelSeal, 32))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, err
	}
	id := k.derive(labelKeyID, 4)
	return &boxKey{
		id:      binary.BigEndian.Uint32(id),
		name:    hex.EncodeToString(id),
		aead:    aead,
		codeMAC: k.derive(labelCodeMAC, 32),
	}, nil
}

// CurrentKeyID is the id of the key the box seals with.
func (b *SecretBox) CurrentKeyID() string {
	return b.current.name
}

// KeyIDs lists the ids of every key the box opens with, the current one
// first.
func (b *SecretBox) KeyIDs() []string {
	var out []string
	for _, k := range b.order {
		out = append(out, k.name)
	}
	return out
}

// Seal encrypts plaintext under the current key, bound to associatedData.
func (b *SecretBox) Seal(plaintext, associatedData []byte) []byte {
	header := make([]byte, sealHeaderSize, sealHeaderSize+b.current.aead.Overhead()+len(plaintext))
	header[0] = sealVersion
	binary.BigEndian.PutUint32(header[1:], b.current.id)
	return b.current.aead.Seal(header, nil, plaintext, sealAD(header, associatedData))
}

// Open decrypts what Seal made with the same associatedData. It fails
// when the value is not a sealed one, names a key the box does not have,
// or was changed or sealed for other associated data.
func (b *SecretBox) Open(sealed, associatedData []byte) ([]byte, error) {
	k, err := b.keyOf(sealed)
	if err != nil {
		return nil, err
	}
	plain, err := k.aead.Open(nil, nil, sealed[sealHeaderSize:], sealAD(sealed[:sealHeaderSize], associatedData))
	if err != nil {
		return nil, errors.New("the sealed secret does not open: it was changed, or it belongs to another row")
	}
	return plain, nil
}

// keyOf returns the key a sealed value names.
func (b *SecretBox) keyOf(sealed []byte) (*boxKey, error) {
	if len(sealed) < sealHeaderSize || sealed[0] != sealVersion {
		return nil, errors.New("the value is not a sealed secret")
	}
	id := binary.BigEndian.Uint32(sealed[1:sealHeaderSize])
	k, ok := b.keys[id]
	if !ok {
		return nil, fmt.Errorf("the secret is sealed with key %08x, which is not configured (the current key is %s); give that key as the current or a previous secret key",
			id, b.current.name)
	}
	return k, nil
}

// sealedWithCurrent reports whether a sealed value names the current key.
func (b *SecretBox) sealedWithCurrent(sealed []byte) bool {
	k, err := b.keyOf(sealed)
	return err == nil && k == b.current
}

func sealAD(header, associatedData []byte) []byte {
	return append(append([]byte(nil), header...), associatedData...)
}

// CodeMAC is how a sent code is stored: the id of the current key, a
// colon, and the hex HMAC-SHA256 of message under that key's code MAC
// key. Without the server key, a stored value does not help guessing the
// few digits of the code.
func (b *SecretBox) CodeMAC(message string) string {
	return b.current.name + ":" + hex.EncodeToString(codeMAC(b.current, message))
}

// CheckCodeMAC reports, in constant time for a given stored value,
// whether stored is CodeMAC(message) under one of the box's keys.
func (b *SecretBox) CheckCodeMAC(stored, message string) bool {
	name, macHex, ok := strings.Cut(stored, ":")
	if !ok {
		return false
	}
	want, err := hex.DecodeString(macHex)
	if err != nil {
		return false
	}
	for _, k := range b.order {
		if k.name == name {
			return hmac.Equal(codeMAC(k, message), want)
		}
	}
	return false
}

func codeMAC(k *boxKey, message string) []byte {
	mac := hmac.New(sha256.New, k.codeMAC)
	mac.Write([]byte(message))
	return mac.Sum(nil)
}
