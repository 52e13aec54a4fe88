package hw

import (
	"crypto/sha256"
	"encoding/binary"
)

// Authenticator data flags (WebAuthn §6.1).
const (
	flagUserPresent  = 0x01 // UP
	flagUserVerified = 0x04 // UV
	flagAttested     = 0x40 // AT: attested credential data follows
	flagExtensions   = 0x80 // ED: extension data follows; the software authenticator sends none
)

// authenticatorData builds authenticator data: the SHA-256 of the RP ID,
// the flags, the big-endian signature counter and, when attested is not
// empty, the attested credential data (which also sets AT).
func authenticatorData(rpID string, flags byte, signCount uint32, attested []byte) []byte {
	rpIDHash := sha256.Sum256([]byte(rpID))
	if len(attested) > 0 {
		flags |= flagAttested
	}
	data := make([]byte, 0, len(rpIDHash)+1+4+len(attested))
	data = append(data, rpIDHash[:]...)
	data = append(data, flags)
	data = binary.BigEndian.AppendUint32(data, signCount)
	return append(data, attested...)
}

// attestedCredentialData is the AAGUID, the credential ID with its 16-bit
// length, and the COSE public key.
func attestedCredentialData(aaguid, credentialID, coseKey []byte) []byte {
	data := make([]byte, 0, len(aaguid)+2+len(credentialID)+len(coseKey))
	data = append(data, aaguid...)
	data = binary.BigEndian.AppendUint16(data, uint16(len(credentialID)))
	data = append(data, credentialID...)
	return append(data, coseKey...)
}
