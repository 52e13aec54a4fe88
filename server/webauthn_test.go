package server

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/protocol/webauthncose"
	"github.com/google/uuid"

	"selfservice/api"
	"selfservice/hw"
)

func TestRegistrationOptionsFollowTheTemplate(t *testing.T) {
	tests := []struct {
		template         string
		userVerification string
		residentKey      string
	}{
		{templateKey, "preferred", "discouraged"},
		{templatePasskey, "required", "required"},
	}
	for _, tt := range tests {
		t.Run(tt.template, func(t *testing.T) {
			e := newEnv(t)
			_, _, session := e.userWithToken("alice", RoleEmployee)
			opts := decodeJSON(t, e.startKeyEnrollment(session, tt.template).WebAuthn.PublicKey)

			rp := opts["rp"].(map[string]any)
			if rp["id"] != "localhost" || rp["name"] != "Selfservice" {
				t.Errorf("rp = %v, want localhost named Selfservice", rp)
			}
			user := opts["user"].(map[string]any)
			if handle := b64url(t, user["id"]); len(handle) != userHandleLen || bytes.Contains(handle, []byte("alice")) {
				t.Errorf("user.id = %x, want %d random bytes, not the username", handle, userHandleLen)
			}
			if user["name"] != "alice" {
				t.Errorf("user.name = %v, want alice", user["name"])
			}
			sel := opts["authenticatorSelection"].(map[string]any)
			if sel["userVerification"] != tt.userVerification || sel["residentKey"] != tt.residentKey {
				t.Errorf("authenticatorSelection = %v, want user verification %s and resident key %s", sel, tt.userVerification, tt.residentKey)
			}
			if opts["attestation"] != "direct" || opts["timeout"] != float64(120000) || len(b64url(t, opts["challenge"])) < 16 {
				t.Errorf("options = %v, want direct attestation, a 2 minute timeout and a challenge", opts)
			}
		})
	}
}

func TestEnrolledKeyIsStoredAndExcludedAfterwards(t *testing.T) {
	e := newEnv(t)
	u, _, session := e.userWithToken("alice", RoleEmployee)
	key := newKey(t, hw.FormatPacked)
	first := e.startKeyEnrollment(session, templateKey)
	handle := b64url(t, decodeJSON(t, first.WebAuthn.PublicKey)["user"].(map[string]any)["id"])
	answer := register(t, key, *first.WebAuthn, "")
	var activated api.TokenResponse
	e.ok(e.call("POST", "/tokens/"+first.Token.ID+"/activate", session, api.OTPRequest{WebAuthn: answer}), 200, &activated)

	stored := e.token(u.ID, first.Token.ID)
	c := stored.Credential
	if stored.Status != api.StatusActive || c == nil {
		t.Fatalf("stored token = %+v, want ACTIVE with a credential", stored)
	}
	credID := b64url(t, decodeJSON(t, answer)["rawId"])
	wantLabel := "FIDO2-" + strings.ToUpper(hex.EncodeToString(credID[:4]))
	if !bytes.Equal(c.ID, credID) || len(c.PublicKey) == 0 || c.AttestationFormat != hw.FormatPacked ||
		string(c.AAGUID) != "selfservice-vkey" || !c.UserPresent || !c.UserVerified || c.BackupEligible || stored.Label != wantLabel {
		t.Errorf("stored credential = %+v, label %s; want the key's credential, packed, its AAGUID, UP and UV, label %s", c, stored.Label, wantLabel)
	}
	wantAPI := api.Credential{
		ID:                base64.RawURLEncoding.EncodeToString(credID),
		AAGUID:            uuid.UUID([]byte("selfservice-vkey")).String(),
		AttestationFormat: hw.FormatPacked,
		Transports:        c.Transports,
	}
	if got := activated.Token.Credential; got == nil || got.ID != wantAPI.ID || got.AAGUID != wantAPI.AAGUID || got.AttestationFormat != wantAPI.AttestationFormat {
		t.Errorf("token credential on the wire = %+v, want %+v", got, wantAPI)
	}

	// The next enrollment excludes the key and has the same user handle.
	second := decodeJSON(t, e.startKeyEnrollment(session, templatePasskey).WebAuthn.PublicKey)
	exclude, _ := second["excludeCredentials"].([]any)
	if len(exclude) != 1 || !bytes.Equal(b64url(t, exclude[0].(map[string]any)["id"]), credID) {
		t.Errorf("excludeCredentials = %v, want the registered key", exclude)
	}
	if got := b64url(t, second["user"].(map[string]any)["id"]); !bytes.Equal(got, handle) {
		t.Errorf("user handle changed from %x to %x", handle, got)
	}

	// Signing in moves the stored counter on.
	before := e.token(u.ID, first.Token.ID).Credential.SignCount
	loginID, opts := e.keyChallenge("alice", first.Token.ID)
	e.ok(e.call("POST", "/auth/login/"+loginID+"/verify", "", api.VerifyLoginRequest{TokenID: first.Token.ID, WebAuthn: sign(t, key, opts, "")}), 200, nil)
	if after := e.token(u.ID, first.Token.ID).Credential.SignCount; after <= before {
		t.Errorf("sign count after signing in = %d, want more than %d", after, before)
	}
}

// TestRegisteredCredentialCannotBeRegisteredAgain replays a key's
// attestation (format none, so nothing signs the client data) with the
// challenge of another enrollment: verification passes, the store refuses.
func TestRegisteredCredentialCannotBeRegisteredAgain(t *testing.T) {
	e := newEnv(t)
	_, _, session := e.userWithToken("alice", RoleEmployee)
	key := newKey(t, hw.FormatNone)
	first := e.startKeyEnrollment(session, templateKey)
	answer := register(t, key, *first.WebAuthn, "")
	e.ok(e.call("POST", "/tokens/"+first.Token.ID+"/activate", session, api.OTPRequest{WebAuthn: answer}), 200, nil)

	_, _, bob := e.userWithToken("bob", RoleEmployee)
	second := e.startKeyEnrollment(bob, templateKey)
	challenge := decodeJSON(t, second.WebAuthn.PublicKey)["challenge"]
	replayed := rewrite(t, answer, func(m map[string]any) {
		response := m["response"].(map[string]any)
		clientData := decodeJSON(t, b64url(t, response["clientDataJSON"]))
		clientData["challenge"] = challenge
		raw, _ := json.Marshal(clientData)
		response["clientDataJSON"] = base64.RawURLEncoding.EncodeToString(raw)
	})
	e.apiErr(e.call("POST", "/tokens/"+second.Token.ID+"/activate", bob, api.OTPRequest{WebAuthn: replayed}), api.CodeCredentialExists)
}

// rewrite decodes a JSON object, lets edit change it and encodes it.
func rewrite(t *testing.T, raw []byte, edit func(m map[string]any)) json.RawMessage {
	t.Helper()
	m := decodeJSON(t, raw)
	edit(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRefusedKeyAnswersAreLoggedWithTheirReason(t *testing.T) {
	e := newEnvWith(t, Config{RPOrigins: []string{"https://localhost", "https://app.localhost"}})
	u, _, session := e.userWithToken("alice", RoleEmployee)
	key := newKey(t, hw.FormatPacked)
	tok := e.enrollKey(session, templateKey, key)

	// A client that takes app.localhost (an allowed origin) for the RP ID.
	created := e.startKeyEnrollment(session, templateKey)
	created.WebAuthn.PublicKey = rewrite(t, created.WebAuthn.PublicKey, func(m map[string]any) {
		m["rp"].(map[string]any)["id"] = "app.localhost"
	})
	wrongRP := register(t, newKey(t, hw.FormatPacked), *created.WebAuthn, "")
	e.apiErr(e.call("POST", "/tokens/"+created.Token.ID+"/activate", session, api.OTPRequest{WebAuthn: wrongRP}), api.CodeWebAuthnInvalid)

	loginID, opts := e.keyChallenge("alice", tok.ID)
	wrongOrigin := sign(t, key, opts, "https://evil.localhost")
	e.apiErr(e.call("POST", "/auth/login/"+loginID+"/verify", "", api.VerifyLoginRequest{TokenID: tok.ID, WebAuthn: wrongOrigin}), api.CodeWebAuthnInvalid)

	logs := e.logs.String()
	for _, want := range []string{
		"ceremony=register reason=rp_id_mismatch",
		"ceremony=login reason=origin_mismatch",
		"Received: https://evil.localhost",
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
	for what, secret := range map[string]string{
		"login challenge":  decodeJSON(t, opts.PublicKey)["challenge"].(string),
		"client data":      decodeJSON(t, wrongOrigin)["response"].(map[string]any)["clientDataJSON"].(string),
		"signature":        decodeJSON(t, wrongOrigin)["response"].(map[string]any)["signature"].(string),
		"attestation":      decodeJSON(t, wrongRP)["response"].(map[string]any)["attestationObject"].(string),
		"login id":         loginID,
		"credential id":    base64.RawURLEncoding.EncodeToString(e.token(u.ID, tok.ID).Credential.ID),
		"enrolled token":   tok.ID,
		"refused token id": created.Token.ID,
	} {
		if strings.Contains(logs, secret) {
			t.Errorf("the logs contain the %s", what)
		}
	}
}

func TestClonedKeyIsRefusedAndLogged(t *testing.T) {
	e := newEnv(t)
	_, _, session := e.userWithToken("alice", RoleEmployee)
	state := &memoryStore{}
	key, err := hw.NewSoftware(hw.SoftwareOptions{Store: state})
	if err != nil {
		t.Fatal(err)
	}
	if err := key.SetPIN(context.Background(), testKeyPIN); err != nil {
		t.Fatal(err)
	}
	tok := e.enrollKey(session, templateKey, key)
	clone, err := hw.NewSoftware(hw.SoftwareOptions{Store: &memoryStore{data: state.data}})
	if err != nil {
		t.Fatal(err)
	}

	loginID, opts := e.keyChallenge("alice", tok.ID)
	e.ok(e.call("POST", "/auth/login/"+loginID+"/verify", "", api.VerifyLoginRequest{TokenID: tok.ID, WebAuthn: sign(t, key, opts, "")}), 200, nil)
	loginID, opts = e.keyChallenge("alice", tok.ID)
	e.apiErr(e.call("POST", "/auth/login/"+loginID+"/verify", "", api.VerifyLoginRequest{TokenID: tok.ID, WebAuthn: sign(t, clone, opts, "")}), api.CodeCredentialCloned)
	if logs := e.logs.String(); !strings.Contains(logs, "may be cloned") || !strings.Contains(logs, "token="+tok.Label) {
		t.Errorf("logs lack the clone warning naming %s:\n%s", tok.Label, logs)
	}
	// The original key goes on working: its counter is ahead of the stored one.
	loginID, opts = e.keyChallenge("alice", tok.ID)
	e.ok(e.call("POST", "/auth/login/"+loginID+"/verify", "", api.VerifyLoginRequest{TokenID: tok.ID, WebAuthn: sign(t, key, opts, "")}), 200, nil)
}

// memoryStore keeps a software key's state in memory.
type memoryStore struct{ data []byte }

func (m *memoryStore) Load() ([]byte, error)   { return bytes.Clone(m.data), nil }
func (m *memoryStore) Save(state []byte) error { m.data = bytes.Clone(state); return nil }

func TestWrongKindOfProofSaysWhatIsNeeded(t *testing.T) {
	e := newEnv(t)
	u, totpTok, session := e.userWithToken("alice", RoleEmployee)
	key := newKey(t, hw.FormatPacked)
	keyTok := e.enrollKey(session, templateKey, key)
	answer := json.RawMessage(`{"id":"AQID","rawId":"AQID","type":"public-key","response":{}}`)

	res := e.apiErr(e.call("POST", "/tokens/"+keyTok.ID+"/test", session, api.OTPRequest{OTP: "123456"}), api.CodeInvalidRequest)
	if res.FieldErrors()["webauthn"] == "" {
		t.Errorf("a code for a key: fields %v, want webauthn", res.FieldErrors())
	}
	res = e.apiErr(e.call("POST", "/tokens/"+totpTok.ID+"/test", session, api.OTPRequest{WebAuthn: answer}), api.CodeInvalidRequest)
	if res.FieldErrors()["otp"] == "" {
		t.Errorf("a key answer for a TOTP token: fields %v, want otp", res.FieldErrors())
	}
	l := e.login("alice")
	res = e.apiErr(e.call("POST", "/auth/login/"+l.LoginID+"/verify", "", api.VerifyLoginRequest{TokenID: keyTok.ID, OTP: "123456"}), api.CodeInvalidRequest)
	if res.FieldErrors()["webauthn"] == "" {
		t.Errorf("signing in with a code for a key: fields %v, want webauthn", res.FieldErrors())
	}
	var ch api.ChallengeResponse // a token that shows codes needs nothing prepared
	e.ok(e.call("POST", "/auth/login/"+l.LoginID+"/challenge", "", api.LoginChallengeRequest{TokenID: totpTok.ID}), 200, &ch)
	if ch.Proof != api.ProofOTP || ch.WebAuthn != nil || ch.Delivery != nil || ch.Push != nil {
		t.Errorf("login challenge of a TOTP token = %+v, want proof otp and nothing else", ch)
	}
	e.apiErr(e.call("POST", "/tokens/"+totpTok.ID+"/challenge", session, nil), api.CodeNotSupported)
	e.apiErr(e.call("POST", "/tokens/"+keyTok.ID+"/resync", session, api.ResyncRequest{OTP1: "123456", OTP2: "654321"}), api.CodeNotSupported)
	// None of these counted as a failure of the key.
	if f := e.token(u.ID, keyTok.ID).Failures; f.Count != 0 {
		t.Errorf("failures of the key = %d, want 0", f.Count)
	}
}

func TestPasswordlessSignIn(t *testing.T) {
	e := newEnv(t)
	u, _, session := e.userWithToken("alice", RoleEmployee)
	key := newKey(t, hw.FormatPacked)
	tok := e.enrollKey(session, templatePasskey, key)
	begin := func() api.PasswordlessResponse {
		var out api.PasswordlessResponse
		e.ok(e.call("POST", "/auth/passwordless", "", nil), 200, &out)
		return out
	}
	verify := func(p api.PasswordlessResponse) response {
		return e.call("POST", "/auth/passwordless/"+p.LoginID+"/verify", "", api.PasswordlessVerifyRequest{WebAuthn: sign(t, key, p.WebAuthn, "")})
	}

	var sess api.SessionResponse
	e.ok(verify(begin()), 200, &sess)
	var me api.MeResponse
	e.ok(e.call("GET", "/me", sess.SessionToken, nil), 200, &me)
	if me.User.ID != u.ID {
		t.Errorf("signed in as %+v, want alice", me.User)
	}

	// Expired.
	p := begin()
	e.clock.Advance(2*time.Minute + time.Second)
	e.apiErr(verify(p), api.CodeLoginExpired)

	// A template that does not allow it.
	if _, err := e.exec(`UPDATE token_templates SET passwordless = ? WHERE id = ?`, false, templatePasskey); err != nil {
		t.Fatal(err)
	}
	e.apiErr(verify(begin()), api.CodeNotSupported)

	// A deleted token's passkey is unknown, and the key can be registered
	// again.
	e.ok(e.call("DELETE", "/tokens/"+tok.ID, session, nil), 204, nil)
	e.apiErr(verify(begin()), api.CodeWebAuthnInvalid)
	if !strings.Contains(e.logs.String(), "ceremony=passwordless reason=unknown_credential") {
		t.Errorf("logs lack the unknown credential:\n%s", e.logs)
	}
	created := e.startKeyEnrollment(session, templateKey)
	if exclude := decodeJSON(t, created.WebAuthn.PublicKey)["excludeCredentials"]; exclude != nil {
		t.Errorf("excludeCredentials after deleting the key = %v, want none", exclude)
	}
	e.ok(e.call("POST", "/tokens/"+created.Token.ID+"/activate", session, api.OTPRequest{WebAuthn: register(t, key, *created.WebAuthn, "")}), 200, nil)
}

func TestChallengesArePurgedWhenExpired(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for range 3 {
		e.call("POST", "/auth/passwordless", "", nil)
	}
	count := func() int {
		var n int
		if err := e.queryRow(`SELECT count(*) FROM webauthn_challenges`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 3 {
		t.Fatalf("%d open challenges, want 3", n)
	}
	if err := e.store.PurgeExpired(ctx, e.clock.Now().Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 0 {
		t.Errorf("%d challenges after they expired and were purged, want 0", n)
	}
}

// TestWebAuthnRegistrationChecksThePublicKey registers keys whose COSE public
// key has one thing wrong each. The attestation is "none", so nothing
// signs the key and go-webauthn reads it nowhere: the server's own check
// refuses it, and the token stays PENDING without a credential.
func TestWebAuthnRegistrationChecksThePublicKey(t *testing.T) {
	x, y := ecPoint(t, elliptic.P256())
	x384, y384 := ecPoint(t, elliptic.P384())
	offCurve := bytes.Clone(y)
	offCurve[len(offCurve)-1] ^= 1
	rsa2048, rsa1024 := rsaPublicKey(t, 2048), rsaPublicKey(t, 1024)
	ed, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		key  map[int]any
		code string // "" for a key that is registered
	}{
		{"ES256 on P-256", ec2Key(webauthncose.AlgES256, webauthncose.P256, x, y), ""},
		{"RS256 of 2048 bits", rsaKey(webauthncose.AlgRS256, rsa2048), ""},
		{"EdDSA on Ed25519", okpKey(webauthncose.AlgEdDSA, webauthncose.Ed25519, ed), ""},
		{"P-256 point off the curve", ec2Key(webauthncose.AlgES256, webauthncose.P256, x, offCurve), api.CodePublicKeyInvalid},
		{"X of 31 bytes", ec2Key(webauthncose.AlgES256, webauthncose.P256, x[1:], y), api.CodePublicKeyInvalid},
		{"ES256 with an RSA key", rsaKey(webauthncose.AlgES256, rsa2048), api.CodePublicKeyInvalid},
		{"ES256 with an OKP key", okpKey(webauthncose.AlgES256, webauthncose.Ed25519, ed), api.CodePublicKeyInvalid},
		{"ES256 on P-384", ec2Key(webauthncose.AlgES256, webauthncose.P384, x384, y384), api.CodePublicKeyInvalid},
		{"EdDSA on X25519", okpKey(webauthncose.AlgEdDSA, webauthncose.X25519, ed), api.CodePublicKeyInvalid},
		{"OKP of 31 bytes", okpKey(webauthncose.AlgEdDSA, webauthncose.Ed25519, ed[:31]), api.CodePublicKeyInvalid},
		{"RSA of 1024 bits", rsaKey(webauthncose.AlgRS256, rsa1024), api.CodePublicKeyInvalid},
		{"symmetric key", map[int]any{1: int(webauthncose.Symmetric), 3: int(webauthncose.AlgES256), -1: make([]byte, 32)}, api.CodePublicKeyInvalid},
		// go-webauthn refuses an algorithm the options did not offer.
		{"RS1, not offered", rsaKey(webauthncose.AlgRS1, rsa2048), api.CodeWebAuthnInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			u, _, session := e.userWithToken("alice", RoleEmployee)
			created := e.startKeyEnrollment(session, templateKey)
			key := coseKey(t, tt.key)
			answer := withCredentialKey(t, register(t, newKey(t, hw.FormatNone), *created.WebAuthn, ""), key)
			res := e.call("POST", "/tokens/"+created.Token.ID+"/activate", session, api.OTPRequest{WebAuthn: answer})

			stored := e.token(u.ID, created.Token.ID)
			if tt.code == "" {
				e.ok(res, 200, nil)
				if stored.Status != api.StatusActive || stored.Credential == nil || !bytes.Equal(stored.Credential.PublicKey, key) {
					t.Errorf("stored token = %+v, want ACTIVE with the key", stored)
				}
				return
			}
			e.apiErr(res, tt.code)
			if stored.Status != api.StatusPending || stored.Credential != nil {
				t.Errorf("stored token = %+v, want PENDING without a credential", stored)
			}
			if logs := e.logs.String(); tt.code == api.CodePublicKeyInvalid && !strings.Contains(logs, "ceremony=register reason=public_key_invalid") {
				t.Errorf("logs lack the refused key:\n%s", logs)
			}
		})
	}
}

// TestWebAuthnCredentialKeyChecks covers what registering through the
// server cannot reach: go-webauthn itself refuses an algorithm the
// options did not offer, before the server's check runs.
func TestWebAuthnCredentialKeyChecks(t *testing.T) {
	x, y := ecPoint(t, elliptic.P256())
	es256 := coseKey(t, ec2Key(webauthncose.AlgES256, webauthncose.P256, x, y))
	evenExponent := rsaPublicKey(t, 2048)
	evenExponent.E = 1 << 16
	tests := []struct {
		name    string
		offered webauthncose.COSEAlgorithmIdentifier
		key     []byte
		valid   bool
	}{
		{"offered", webauthncose.AlgES256, es256, true},
		{"not offered", webauthncose.AlgRS256, es256, false},
		{"RSA exponent even", webauthncose.AlgRS256, coseKey(t, rsaKey(webauthncose.AlgRS256, evenExponent)), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			offered := []protocol.CredentialParameter{{Type: protocol.PublicKeyCredentialType, Algorithm: tt.offered}}
			if err := validateCredentialKey(offered, tt.key); (err == nil) != tt.valid {
				t.Errorf("validateCredentialKey() = %v, want valid %t", err, tt.valid)
			}
		})
	}
}
