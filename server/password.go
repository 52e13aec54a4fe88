package server

import (
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// argonCost is the work an argon2id password hash takes. It is encoded in
// every hash, so hashes made with another cost still verify.
type argonCost struct {
	time    uint32 // passes
	memory  uint32 // KiB
	threads uint8
}

// productionCost follows RFC 9106's second recommended option.
var productionCost = argonCost{time: 3, memory: 64 * 1024, threads: 4}

// passwordCost is the cost of new hashes; UseFastPasswordHashing lowers it.
var passwordCost = productionCost

// UseFastPasswordHashing makes new password hashes cheap to compute, so
// that tests which create users and sign in stay fast. Such hashes are
// easy to brute-force: never call it outside tests. Call it before any
// hashing starts, for example in TestMain.
func UseFastPasswordHashing() {
	passwordCost = argonCost{time: 1, memory: 64, threads: 1}
}

const (
	saltLen = 16
	keyLen  = 32
)

var b64 = base64.RawStdEncoding

// hashPassword returns the argon2id hash of password in the usual encoded
// form: $argon2id$v=19$m=65536,t=3,p=4$salt$key.
func hashPassword(password string) string {
	c := passwordCost
	salt := randomBytes(saltLen)
	key := argon2.IDKey([]byte(password), salt, c.time, c.memory, c.threads, keyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, c.memory, c.time, c.threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// checkPassword reports whether password matches the encoded hash. It
// takes the same time whether or not it matches.
func checkPassword(encoded, password string) (bool, error) {
	c, salt, key, err := parseHash(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, c.time, c.memory, c.threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

var errBadHash = errors.New("password hash is not in argon2id format")

func parseHash(encoded string) (argonCost, []byte, []byte, error) {
	var c argonCost
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return c, nil, nil, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return c, nil, nil, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &c.memory, &c.time, &c.threads); err != nil {
		return c, nil, nil, errBadHash
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return c, nil, nil, errBadHash
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) == 0 || c.time == 0 || c.threads == 0 {
		return c, nil, nil, errBadHash
	}
	return c, salt, key, nil
}
