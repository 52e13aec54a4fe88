package server

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// randomBytes returns n bytes from the operating system's CSPRNG.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b) // never fails (see crypto/rand)
	return b
}

// randomToken returns n random bytes as unpadded base64url: the form of
// session tokens, login ids and push request ids. It never starts with
// "-", so that a command line never takes one for an option (it draws
// again the 1 time in 64 it would: a little under 6 bits fewer choices
// for the first character only).
func randomToken(n int) string {
	for {
		if t := base64.RawURLEncoding.EncodeToString(randomBytes(n)); !strings.HasPrefix(t, "-") {
			return t
		}
	}
}

// hashToken is how session tokens and login ids are stored: the hex
// SHA-256 of the value the client holds.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
