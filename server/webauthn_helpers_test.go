package server

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"math/big"
	"testing"

	"github.com/fxamacker/cbor/v2"
	"github.com/go-webauthn/webauthn/protocol/webauthncose"

	"selfservice/api"
	"selfservice/hw"
)

// testKeyPIN is the PIN of the tests' software security keys.
const testKeyPIN = "2468"

// Templates of FIDO2 tokens (see migrations).
const (
	templateKey     = "fido2-key"
	templatePasskey = "fido2-passkey"
)

// newKey is a software security key with a PIN, making attestations of
// the given format (hw.FormatPacked or hw.FormatNone).
func newKey(t *testing.T, format string) *hw.Software {
	t.Helper()
	key, err := hw.NewSoftware(hw.SoftwareOptions{Format: format})
	if err != nil {
		t.Fatal(err)
	}
	if err := key.SetPIN(context.Background(), testKeyPIN); err != nil {
		t.Fatal(err)
	}
	return key
}

// register answers creation options from origin ("" is https://<rpId>).
func register(t *testing.T, key hw.Authenticator, opts api.WebAuthnOptions, origin string) json.RawMessage {
	t.Helper()
	answer, err := hw.Register(context.Background(), key, opts.PublicKey, origin, testKeyPIN, nil)
	if err != nil {
		t.Fatalf("register the key: %v", err)
	}
	return answer
}

// sign answers request options from origin ("" is https://<rpId>).
func sign(t *testing.T, key hw.Authenticator, opts api.WebAuthnOptions, origin string) json.RawMessage {
	t.Helper()
	answer, err := hw.Authenticate(context.Background(), key, opts.PublicKey, origin, testKeyPIN, nil)
	if err != nil {
		t.Fatalf("sign with the key: %v", err)
	}
	return answer
}

// startKeyEnrollment creates a PENDING token of a FIDO2 template and
// returns it with the options for the key.
func (e *env) startKeyEnrollment(session, templateID string) api.CreateTokenResponse {
	e.t.Helper()
	var created api.CreateTokenResponse
	e.ok(e.call("POST", "/tokens", session, api.CreateTokenRequest{TemplateID: templateID}), 201, &created)
	if created.WebAuthn == nil || created.Provisioning != nil {
		e.t.Fatalf("created %+v; want key options and no OTP provisioning", created)
	}
	return created
}

// enrollKey enrolls key on a FIDO2 template and returns the ACTIVE token.
func (e *env) enrollKey(session, templateID string, key hw.Authenticator) api.Token {
	e.t.Helper()
	created := e.startKeyEnrollment(session, templateID)
	var out api.TokenResponse
	e.ok(e.call("POST", "/tokens/"+created.Token.ID+"/activate", session, api.OTPRequest{WebAuthn: register(e.t, key, *created.WebAuthn, "")}), 200, &out)
	return out.Token
}

// keyChallenge runs the password step and asks for the options of a
// FIDO2 token; it returns the login id and the options.
func (e *env) keyChallenge(username, tokenID string) (string, api.WebAuthnOptions) {
	e.t.Helper()
	l := e.login(username)
	var ch api.ChallengeResponse
	e.ok(e.call("POST", "/auth/login/"+l.LoginID+"/challenge", "", api.LoginChallengeRequest{TokenID: tokenID}), 200, &ch)
	return l.LoginID, *ch.WebAuthn
}

// decodeJSON decodes raw into a map.
func decodeJSON(t *testing.T, raw []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	return m
}

// b64url decodes base64url without padding.
func b64url(t *testing.T, s any) []byte {
	t.Helper()
	str, _ := s.(string)
	b, err := base64.RawURLEncoding.DecodeString(str)
	if err != nil {
		t.Fatalf("%v is not base64url: %v", s, err)
	}
	return b
}

// withCredentialKey replaces the COSE public key in the attested
// credential data of a registration answer with "none" attestation, which
// nothing signs. The software key sends no extensions, so the key is the
// end of the authenticator data.
func withCredentialKey(t *testing.T, answer json.RawMessage, coseKey []byte) json.RawMessage {
	t.Helper()
	return rewrite(t, answer, func(m map[string]any) {
		response := m["response"].(map[string]any)
		var object struct {
			Format       string         `cbor:"fmt"`
			AttStatement map[string]any `cbor:"attStmt"`
			AuthData     []byte         `cbor:"authData"`
		}
		if err := cbor.Unmarshal(b64url(t, response["attestationObject"]), &object); err != nil {
			t.Fatalf("decode the attestation object: %v", err)
		}
		if object.Format != hw.FormatNone {
			t.Fatalf("attestation format %q, want none: nothing may sign the key", object.Format)
		}
		// rpIdHash (32), flags (1), counter (4), AAGUID (16), then the
		// credential ID with its length (2).
		const idLenAt = 32 + 1 + 4 + 16
		keyAt := idLenAt + 2 + int(binary.BigEndian.Uint16(object.AuthData[idLenAt:]))
		object.AuthData = append(object.AuthData[:keyAt:keyAt], coseKey...)
		raw, err := cbor.Marshal(object)
		if err != nil {
			t.Fatal(err)
		}
		response["attestationObject"] = base64.RawURLEncoding.EncodeToString(raw)
	})
}

// coseKey encodes a COSE_Key from its integer labels and values, in
// CTAP2's canonical form as authenticators send it.
func coseKey(t *testing.T, labels map[int]any) []byte {
	t.Helper()
	mode, err := cbor.CTAP2EncOptions().EncMode()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := mode.Marshal(labels)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// ec2Key, rsaKey and okpKey are the labels of COSE_Keys of each type
// (RFC 9053 §7, RFC 8230 §4).
func ec2Key(alg webauthncose.COSEAlgorithmIdentifier, crv webauthncose.COSEEllipticCurve, x, y []byte) map[int]any {
	return map[int]any{1: int(webauthncose.EllipticKey), 3: int(alg), -1: int(crv), -2: x, -3: y}
}

func rsaKey(alg webauthncose.COSEAlgorithmIdentifier, pub *rsa.PublicKey) map[int]any {
	return map[int]any{1: int(webauthncose.RSAKey), 3: int(alg), -1: pub.N.Bytes(), -2: big.NewInt(int64(pub.E)).Bytes()}
}

func okpKey(alg webauthncose.COSEAlgorithmIdentifier, crv webauthncose.COSEEllipticCurve, x []byte) map[int]any {
	return map[int]any{1: int(webauthncose.OctetKey), 3: int(alg), -1: int(crv), -2: x}
}

// ecPoint makes a key on curve and returns its coordinates.
func ecPoint(t *testing.T, curve elliptic.Curve) (x, y []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(curve, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := key.PublicKey.Bytes() // 0x04 || X || Y
	if err != nil {
		t.Fatal(err)
	}
	size := (len(raw) - 1) / 2
	return raw[1 : 1+size], raw[1+size:]
}

// rsaPublicKey makes an RSA key of this many bits.
func rsaPublicKey(t *testing.T, bits int) *rsa.PublicKey {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		t.Fatal(err)
	}
	return &key.PublicKey
}
