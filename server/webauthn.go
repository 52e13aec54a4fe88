package server

import (
	"context"
	"crypto/ecdh"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strings"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/protocol/webauthncose"
	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/google/uuid"

	"selfservice/api"
)

// The relying party of FIDO2 security keys. go-webauthn builds the options
// and verifies every attestation and assertion; this file adapts it to the
// store's records and turns its failures into API errors and log lines.

// userHandleLen is the length of a new WebAuthn user handle, random bytes
// that never reveal the username to a key.
const userHandleLen = 32

// newRelyingParty makes the go-webauthn relying party of a validated
// config. Challenge expiry is enforced by the server with its own clock,
// so the library's timeouts only fill the options' timeout hint.
func newRelyingParty(cfg Config) (*webauthn.WebAuthn, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	timeout := webauthn.TimeoutConfig{Timeout: cfg.ChallengeTTL, TimeoutUVD: cfg.ChallengeTTL}
	return webauthn.New(&webauthn.Config{
		RPID:          cfg.RPID,
		RPDisplayName: cfg.RPDisplayName,
		RPOrigins:     cfg.RPOrigins,
		// Direct attestation, so that the key's model (AAGUID) is known.
		AttestationPreference: protocol.PreferDirectAttestation,
		Timeouts:              webauthn.TimeoutsConfig{Login: timeout, Registration: timeout},
	})
}

// webauthnUser is a user as go-webauthn sees them: the random handle, and
// the credentials that count for the ceremony at hand.
type webauthnUser struct {
	handle      []byte
	name        string
	displayName string
	credentials []webauthn.Credential
}

func (u *webauthnUser) WebAuthnID() []byte                         { return u.handle }
func (u *webauthnUser) WebAuthnName() string                       { return u.name }
func (u *webauthnUser) WebAuthnDisplayName() string                { return u.displayName }
func (u *webauthnUser) WebAuthnCredentials() []webauthn.Credential { return u.credentials }

// newWebAuthnUser loads the user's handle, making one on first use, and
// takes the credentials of the given tokens (those that have one).
func (s *Server) newWebAuthnUser(ctx context.Context, u UserRecord, tokens ...TokenRecord) (*webauthnUser, error) {
	handle, err := s.store.WebAuthnHandle(ctx, u.ID, randomBytes(userHandleLen))
	if err != nil {
		return nil, err
	}
	wu := &webauthnUser{handle: handle, name: u.Username, displayName: u.DisplayName}
	for _, t := range tokens {
		if t.Credential != nil {
			wu.credentials = append(wu.credentials, libCredential(t.Credential))
		}
	}
	return wu, nil
}

// libCredential is a stored credential as go-webauthn takes it.
func libCredential(c *WebAuthnCredential) webauthn.Credential {
	var flags protocol.AuthenticatorFlags
	for _, f := range []struct {
		set  bool
		flag protocol.AuthenticatorFlags
	}{
		{c.UserPresent, protocol.FlagUserPresent},
		{c.UserVerified, protocol.FlagUserVerified},
		{c.BackupEligible, protocol.FlagBackupEligible},
		{c.BackupState, protocol.FlagBackupState},
	} {
		if f.set {
			flags |= f.flag
		}
	}
	transports := make([]protocol.AuthenticatorTransport, len(c.Transports))
	for i, t := range c.Transports {
		transports[i] = protocol.AuthenticatorTransport(t)
	}
	return webauthn.Credential{
		ID:                c.ID,
		PublicKey:         c.PublicKey,
		AttestationFormat: c.AttestationFormat,
		Transport:         transports,
		Flags:             webauthn.NewCredentialFlags(flags),
		Authenticator:     webauthn.Authenticator{AAGUID: c.AAGUID, SignCount: c.SignCount},
	}
}

// storedCredential is what the store keeps of a verified credential.
func storedCredential(c *webauthn.Credential) *WebAuthnCredential {
	transports := make([]string, len(c.Transport))
	for i, t := range c.Transport {
		transports[i] = string(t)
	}
	return &WebAuthnCredential{
		ID:                c.ID,
		PublicKey:         c.PublicKey,
		SignCount:         c.Authenticator.SignCount,
		AAGUID:            c.Authenticator.AAGUID,
		AttestationFormat: c.AttestationFormat,
		Transports:        transports,
		UserPresent:       c.Flags.UserPresent,
		UserVerified:      c.Flags.UserVerified,
		BackupEligible:    c.Flags.BackupEligible,
		BackupState:       c.Flags.BackupState,
	}
}

// minRSABits is the smallest RSA modulus a credential key may have.
const minRSABits = 2048

// validateCredentialKey checks the COSE public key of a new credential
// before it is stored. go-webauthn reads the key only to check a "packed"
// self attestation or an attestation certificate, never with "none", so
// this runs whatever the format. Its parser checks the structure, the
// coordinate lengths and the curve each algorithm names; on top of that,
// the algorithm must be one the creation options offered and fit the key
// type, an EC2 point must be one crypto/ecdh accepts, and an RSA key must
// be at least minRSABits long and one crypto/rsa can verify with.
func validateCredentialKey(offered []protocol.CredentialParameter, coseKey []byte) error {
	key, err := webauthncose.ParsePublicKey(coseKey)
	if err != nil {
		return err
	}
	var header webauthncose.PublicKeyData
	switch k := key.(type) {
	case webauthncose.EC2PublicKeyData:
		header, err = k.PublicKeyData, checkECPoint(k)
	case webauthncose.RSAPublicKeyData:
		header, err = k.PublicKeyData, checkRSAKey(k)
	case webauthncose.OKPPublicKeyData:
		header = k.PublicKeyData // the parser takes only 32-byte Ed25519 keys
	default:
		return fmt.Errorf("key type %T is not supported", key)
	}
	if err != nil {
		return err
	}
	alg := webauthncose.COSEAlgorithmIdentifier(header.Algorithm)
	if !slices.ContainsFunc(offered, func(p protocol.CredentialParameter) bool { return p.Algorithm == alg }) {
		return fmt.Errorf("algorithm %s was not offered", alg)
	}
	if kty := webauthncose.COSEKeyType(header.KeyType); kty != algorithmKeyType(alg) {
		return fmt.Errorf("algorithm %s does not sign with keys of type %d", alg, kty)
	}
	return nil
}

// algorithmKeyType is the COSE key type of the algorithms go-webauthn
// offers by default, and KeyTypeReserved for others.
func algorithmKeyType(alg webauthncose.COSEAlgorithmIdentifier) webauthncose.COSEKeyType {
	switch alg {
	case webauthncose.AlgES256, webauthncose.AlgES384, webauthncose.AlgES512:
		return webauthncose.EllipticKey
	case webauthncose.AlgRS256, webauthncose.AlgRS384, webauthncose.AlgRS512,
		webauthncose.AlgPS256, webauthncose.AlgPS384, webauthncose.AlgPS512:
		return webauthncose.RSAKey
	case webauthncose.AlgEdDSA:
		return webauthncose.OctetKey
	}
	return webauthncose.KeyTypeReserved
}

// checkECPoint checks that an EC2 key is a point on a NIST curve, in the
// uncompressed form crypto/ecdh takes.
func checkECPoint(k webauthncose.EC2PublicKeyData) error {
	var curve ecdh.Curve
	switch crv := webauthncose.COSEEllipticCurve(k.Curve); crv {
	case webauthncose.P256:
		curve = ecdh.P256()
	case webauthncose.P384:
		curve = ecdh.P384()
	case webauthncose.P521:
		curve = ecdh.P521()
	default:
		return fmt.Errorf("EC2 curve %s is not supported", crv)
	}
	if _, err := curve.NewPublicKey(slices.Concat([]byte{4}, k.XCoord, k.YCoord)); err != nil {
		return fmt.Errorf("EC2 point: %w", err)
	}
	return nil
}

// checkRSAKey checks the modulus length, and that modulus and exponent
// are odd with the exponent in the range crypto/rsa verifies with.
func checkRSAKey(k webauthncose.RSAPublicKeyData) error {
	n := new(big.Int).SetBytes(k.Modulus)
	if n.BitLen() < minRSABits {
		return fmt.Errorf("RSA modulus of %d bits, fewer than %d", n.BitLen(), minRSABits)
	}
	e, err := webauthncose.ParseRSAPublicKeyDataExponent(&k)
	if err != nil {
		return err
	}
	if n.Bit(0) == 0 || e%2 == 0 || e < 3 || e > math.MaxInt32 {
		return fmt.Errorf("RSA modulus or exponent (%d) is even, or the exponent is out of range", e)
	}
	return nil
}

// apiCredential is what the user sees of a token's credential.
func apiCredential(c *WebAuthnCredential) *api.Credential {
	if c == nil {
		return nil
	}
	aaguid := ""
	if id, err := uuid.FromBytes(c.AAGUID); err == nil {
		aaguid = id.String()
	}
	return &api.Credential{
		ID:                base64.RawURLEncoding.EncodeToString(c.ID),
		AAGUID:            aaguid,
		AttestationFormat: c.AttestationFormat,
		Transports:        c.Transports,
		BackupEligible:    c.BackupEligible,
		BackupState:       c.BackupState,
	}
}

// credentialLabel names a FIDO2 token after its credential, e.g.
// "FIDO2-1A2B3C4D", so that it can be matched with the passkeys a key
// lists.
func credentialLabel(credentialID []byte) string {
	prefix := credentialID[:min(4, len(credentialID))]
	return "FIDO2-" + strings.ToUpper(hex.EncodeToString(prefix))
}

// requirement converts a template's setting into go-webauthn's, with the
// default of "preferred".
func requirement(level string) protocol.UserVerificationRequirement {
	switch level {
	case api.WebAuthnDiscouraged:
		return protocol.VerificationDiscouraged
	case api.WebAuthnRequired:
		return protocol.VerificationRequired
	}
	return protocol.VerificationPreferred
}

// options wraps the publicKey member of go-webauthn's options for the wire.
func options(publicKey any) (api.WebAuthnOptions, error) {
	raw, err := json.Marshal(publicKey)
	return api.WebAuthnOptions{PublicKey: raw}, err
}

// webauthnFailed logs why a security key response was refused and
// returns the error the user gets. The log says which check failed (an
// origin or relying party ID mismatch is the usual setup mistake) and
// never holds the response itself.
func (s *Server) webauthnFailed(ctx context.Context, ceremony string, err error) error {
	reason, detail := verificationFailure(err)
	s.log.WarnContext(ctx, "security key response refused", "ceremony", ceremony, "reason", reason, "detail", detail)
	return errWebAuthnInvalid()
}

// verificationFailure names the check of a go-webauthn error: a short
// reason for log searches, and a detail for the administrator.
func verificationFailure(err error) (reason, detail string) {
	var perr *protocol.Error
	if !errors.As(err, &perr) {
		return "invalid", err.Error()
	}
	switch {
	case perr.Details == "Error validating origin":
		return "origin_mismatch", perr.DevInfo // the allowed origins and the one the client sent
	case strings.HasPrefix(perr.DevInfo, "RP Hash mismatch"):
		return "rp_id_mismatch", "the key signed for a different relying party ID than the server's"
	case perr.Details == "Error validating challenge":
		return "challenge_mismatch", "the response answers another challenge"
	case perr.Details == "Error validating ceremony type":
		return "wrong_ceremony", perr.DevInfo
	case perr.Type == protocol.ErrAssertionSignature.Type:
		return "signature_invalid", perr.Details
	case perr.Type == protocol.ErrInvalidAttestation.Type, perr.Type == protocol.ErrAttestation.Type:
		return "attestation_invalid", perr.Details
	case perr.Type == protocol.ErrParsingData.Type, perr.Type == protocol.ErrBadRequest.Type:
		return "malformed", perr.Details
	}
	return perr.Type, perr.Details + " " + perr.DevInfo
}
