package server

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"testing"

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
