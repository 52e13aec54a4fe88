package hw

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
)

// b64url is binary data that WebAuthn JSON carries as base64url.
type b64url []byte

func (b b64url) MarshalJSON() ([]byte, error) {
	return json.Marshal(base64.RawURLEncoding.EncodeToString(b))
}

// UnmarshalJSON takes base64url with or without padding, and plain
// base64 as some servers send it.
func (b *b64url) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	s = strings.TrimRight(s, "=")
	decoded, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		decoded, err = base64.RawStdEncoding.DecodeString(s)
	}
	if err != nil {
		return err
	}
	*b = decoded
	return nil
}

// credentialDescriptor is PublicKeyCredentialDescriptor.
type credentialDescriptor struct {
	Type string `json:"type"`
	ID   b64url `json:"id"`
}

// creationOptions is the part of PublicKeyCredentialCreationOptions a
// security key client uses.
type creationOptions struct {
	RP struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"rp"`
	User struct {
		ID          b64url `json:"id"`
		Name        string `json:"name"`
		DisplayName string `json:"displayName"`
	} `json:"user"`
	Challenge        b64url `json:"challenge"`
	PubKeyCredParams []struct {
		Type string `json:"type"`
		Alg  int    `json:"alg"`
	} `json:"pubKeyCredParams"`
	Timeout                int                    `json:"timeout"` // milliseconds
	ExcludeCredentials     []credentialDescriptor `json:"excludeCredentials"`
	AuthenticatorSelection struct {
		RequireResidentKey bool   `json:"requireResidentKey"`
		ResidentKey        string `json:"residentKey"`
		UserVerification   string `json:"userVerification"`
	} `json:"authenticatorSelection"`
	Attestation string `json:"attestation"`
}

// requestOptions is the part of PublicKeyCredentialRequestOptions a
// security key client uses.
type requestOptions struct {
	Challenge        b64url                 `json:"challenge"`
	Timeout          int                    `json:"timeout"` // milliseconds
	RPID             string                 `json:"rpId"`
	AllowCredentials []credentialDescriptor `json:"allowCredentials"`
	UserVerification string                 `json:"userVerification"`
}

// parseOptions decodes options JSON into v, accepting the options
// themselves or an object holding them under "publicKey" (as go-webauthn's
// CredentialCreation and CredentialAssertion are).
func parseOptions(data []byte, v any) error {
	var wrapper struct {
		PublicKey json.RawMessage `json:"publicKey"`
	}
	if err := json.Unmarshal(data, &wrapper); err != nil {
		return err
	}
	if len(wrapper.PublicKey) > 0 {
		data = wrapper.PublicKey
	}
	return json.Unmarshal(data, v)
}

// clientData is CollectedClientData, in the member order of WebAuthn's
// serialization.
type clientData struct {
	Type        string `json:"type"`
	Challenge   string `json:"challenge"`
	Origin      string `json:"origin"`
	CrossOrigin bool   `json:"crossOrigin"`
}

// clientDataJSON serializes the client data of a ceremony ("webauthn.create"
// or "webauthn.get"); the key signs its SHA-256 hash.
func clientDataJSON(ceremony string, challenge []byte, origin string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(clientData{
		Type:      ceremony,
		Challenge: base64.RawURLEncoding.EncodeToString(challenge),
		Origin:    origin,
	})
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), err
}

// publicKeyCredential is the JSON form of a PublicKeyCredential
// (RegistrationResponseJSON or AuthenticationResponseJSON).
type publicKeyCredential struct {
	ID                      string   `json:"id"`
	RawID                   b64url   `json:"rawId"`
	Type                    string   `json:"type"`
	AuthenticatorAttachment string   `json:"authenticatorAttachment"`
	Response                any      `json:"response"`
	ClientExtensionResults  struct{} `json:"clientExtensionResults"`
}

type attestationResponse struct {
	ClientDataJSON    b64url   `json:"clientDataJSON"`
	AttestationObject b64url   `json:"attestationObject"`
	Transports        []string `json:"transports"`
}

type assertionResponse struct {
	ClientDataJSON    b64url `json:"clientDataJSON"`
	AuthenticatorData b64url `json:"authenticatorData"`
	Signature         b64url `json:"signature"`
	UserHandle        b64url `json:"userHandle,omitempty"`
}

func newPublicKeyCredential(id []byte, response any) publicKeyCredential {
	return publicKeyCredential{
		ID:                      base64.RawURLEncoding.EncodeToString(id),
		RawID:                   id,
		Type:                    "public-key",
		AuthenticatorAttachment: "cross-platform",
		Response:                response,
	}
}
