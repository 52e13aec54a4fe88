package hw

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
)

// Object encodes a as a WebAuthn attestationObject: the CBOR map of fmt,
// attStmt and authData that a relying party verifies.
func (a Attestation) Object() ([]byte, error) {
	stmt := map[string]any{}
	switch a.Format {
	case FormatNone:
	case FormatPacked:
		stmt["alg"] = a.Algorithm
		stmt["sig"] = a.Signature
		if len(a.Certificates) > 0 {
			// With a certificate, alg names the attestation key's algorithm,
			// which need not be the credential's.
			stmt["alg"] = certificateAlgorithm(a.Certificates[0], a.Algorithm)
			stmt["x5c"] = a.Certificates
		}
	case FormatFIDOU2F:
		stmt["sig"] = a.Signature
		stmt["x5c"] = a.Certificates
	default:
		return nil, fmt.Errorf("attestation format %q: %w", a.Format, ErrNotSupported)
	}
	return ctap2CBOR.Marshal(map[string]any{
		"fmt":      a.Format,
		"attStmt":  stmt,
		"authData": a.AuthData,
	})
}

// WithoutStatement returns a with the "none" format: no signature, no
// certificates. A WebAuthn client does this when the relying party asks
// for no attestation.
func (a Attestation) WithoutStatement() Attestation {
	a.Format = FormatNone
	a.Signature = nil
	a.Certificates = nil
	return a
}

// certificateAlgorithm returns the COSE algorithm of the key in a DER
// certificate, or fallback when it cannot tell.
func certificateAlgorithm(der []byte, fallback int) int {
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return fallback
	}
	switch cert.PublicKey.(type) {
	case *ecdsa.PublicKey:
		return AlgES256
	case ed25519.PublicKey:
		return AlgEdDSA
	case *rsa.PublicKey:
		return AlgRS256
	}
	return fallback
}
