package server

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// randomBytes returns n bytes from the operating system's CSPRNG.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b) // never fails (see crypto/rand)
	return b
}

// randomToken returns n random bytes as unpadded base64url: the form of
// session tokens and login ids.
func randomToken(n int) string {
	return base64.RawURLEncoding.EncodeToString(randomBytes(n))
}

// hashToken is how session tokens and login ids are stored: the hex
// SHA-256 of the value the client holds.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
