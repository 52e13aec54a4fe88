package client_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"sync"
	"testing"
	"time"

	"selfservice/api"
	"selfservice/client"
	"selfservice/hw"
)

// keyPIN is the PIN of the tests' software security keys.
const keyPIN = "2468"

// Templates of the FIDO2 tokens (see the server's migrations).
const (
	templateKey     = "fido2-key"     // second factor, user verification preferred
	templatePasskey = "fido2-passkey" // discoverable, user verification required, passwordless
)

// Advance moves the server's clock on by d.
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// memoryState keeps a software key's state in memory, so that a test can
// copy it into a second key: a cloned key.
type memoryState struct {
	mu   sync.Mutex
	data []byte
}

func (m *memoryState) Load() ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.data), nil
}

func (m *memoryState) Save(state []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.data = slices.Clone(state)
	return nil
}

// securityKey is a software FIDO2 authenticator with a PIN.
type securityKey struct {
	*hw.Software
	state *memoryState
}

func newSecurityKey(t *testing.T) securityKey {
	t.Helper()
	return softwareKey(t, &memoryState{}, true)
}

// softwareKey opens a software key on state, setting its PIN when asked.
func softwareKey(t *testing.T, state *memoryState, setPIN bool) securityKey {
	t.Helper()
	key, err := hw.NewSoftware(hw.SoftwareOptions{Store: state})
	if err != nil {
		t.Fatal(err)
	}
	if setPIN {
		if err := key.SetPIN(context.Background(), keyPIN); err != nil {
			t.Fatal(err)
		}
	}
	return securityKey{Software: key, state: state}
}

// clone is a second key holding a copy of k's credentials and counters as
// they are now.
func (k securityKey) clone(t *testing.T) securityKey {
	t.Helper()
	data, _ := k.state.Load()
	return softwareKey(t, &memoryState{data: data}, false)
}

// register answers creation options as the app does: origin https://<rpId>.
func (k securityKey) register(t *testing.T, opts api.WebAuthnOptions) json.RawMessage {
	t.Helper()
	answer, err := hw.Register(context.Background(), k, opts.PublicKey, "", keyPIN, nil)
	if err != nil {
		t.Fatalf("register the key: %v", err)
	}
	return answer
}

// sign answers request options from origin ("" means https://<rpId>).
func (k securityKey) sign(t *testing.T, opts api.WebAuthnOptions, origin string) json.RawMessage {
	t.Helper()
	answer, err := hw.Authenticate(context.Background(), k, opts.PublicKey, origin, keyPIN, nil)
	if err != nil {
		t.Fatalf("sign with the key: %v", err)
	}
	return answer
}

// enrollKey enrolls the key on a FIDO2 template for the signed-in client
// and returns the ACTIVE token.
func enrollKey(t *testing.T, c *client.Client, templateID string, key securityKey) api.Token {
	t.Helper()
	ctx := context.Background()
	created, err := c.CreateToken(ctx, api.CreateTokenRequest{TemplateID: templateID, Description: "My key"})
	if err != nil {
		t.Fatalf("CreateToken(%s): %v", templateID, err)
	}
	if created.WebAuthn == nil || created.Provisioning != nil {
		t.Fatalf("CreateToken(%s) = %+v; want key options and no OTP provisioning", templateID, created)
	}
	tok, err := c.ActivateToken(ctx, created.Token.ID, api.OTPRequest{WebAuthn: key.register(t, *created.WebAuthn)})
	if err != nil {
		t.Fatalf("ActivateToken with the key: %v", err)
	}
	return tok
}

// keyLogin runs the password step for user and asks for the options of
// the FIDO2 token; it returns the login id and the options.
func keyLogin(t *testing.T, c *client.Client, username, password, tokenID string) (string, api.WebAuthnOptions) {
	t.Helper()
	ctx := context.Background()
	login, err := c.Login(ctx, api.LoginRequest{Username: username, Password: password})
	if err != nil {
		t.Fatalf("Login(%s): %v", username, err)
	}
	ch, err := c.LoginChallenge(ctx, login.LoginID, api.LoginChallengeRequest{TokenID: tokenID})
	if err != nil {
		t.Fatalf("LoginChallenge: %v", err)
	}
	return login.LoginID, *ch.WebAuthn
}

// editJSON decodes raw, lets edit change it, and encodes it again.
func editJSON(t *testing.T, raw []byte, edit func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	edit(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// tamperSignature flips a bit of an assertion's signature.
func tamperSignature(t *testing.T, answer json.RawMessage) json.RawMessage {
	t.Helper()
	return editJSON(t, answer, func(m map[string]any) {
		response := m["response"].(map[string]any)
		sig, err := base64.RawURLEncoding.DecodeString(response["signature"].(string))
		if err != nil || len(sig) == 0 {
			t.Fatalf("signature %v: %v", response["signature"], err)
		}
		sig[len(sig)-1] ^= 0x01
		response["signature"] = base64.RawURLEncoding.EncodeToString(sig)
	})
}

// optionsJSON decodes the options for the key into a map.
func optionsJSON(t *testing.T, opts api.WebAuthnOptions) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(opts.PublicKey, &m); err != nil {
		t.Fatalf("options %s: %v", opts.PublicKey, err)
	}
	return m
}

// credentialIDs lists the ids of a descriptor list in options
// (allowCredentials, excludeCredentials).
func credentialIDs(t *testing.T, opts api.WebAuthnOptions, list string) []string {
	t.Helper()
	var ids []string
	items, _ := optionsJSON(t, opts)[list].([]any)
	for _, item := range items {
		ids = append(ids, item.(map[string]any)["id"].(string))
	}
	return ids
}
