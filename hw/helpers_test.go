package hw

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
)

const (
	testRPID   = "example.test"
	testOrigin = "https://example.test"
	testPIN    = "4711-secret"
)

// rpUser is an account of the test relying party.
type rpUser struct {
	id          []byte
	name        string
	credentials []webauthn.Credential
}

func (u *rpUser) WebAuthnID() []byte                         { return u.id }
func (u *rpUser) WebAuthnName() string                       { return u.name }
func (u *rpUser) WebAuthnDisplayName() string                { return "Test " + u.name }
func (u *rpUser) WebAuthnCredentials() []webauthn.Credential { return u.credentials }

func newUser(name string) *rpUser {
	return &rpUser{id: []byte("user-id-" + name), name: name}
}

// newRP is a real go-webauthn relying party for testRPID.
func newRP(t *testing.T) *webauthn.WebAuthn {
	t.Helper()
	rp, err := webauthn.New(&webauthn.Config{
		RPID:          testRPID,
		RPDisplayName: "Example",
		RPOrigins:     []string{testOrigin},
	})
	if err != nil {
		t.Fatalf("webauthn.New: %v", err)
	}
	return rp
}

func newSoftwareKey(t *testing.T, opts SoftwareOptions) *Software {
	t.Helper()
	s, err := NewSoftware(opts)
	if err != nil {
		t.Fatalf("NewSoftware: %v", err)
	}
	return s
}

func setPIN(t *testing.T, a Authenticator) {
	t.Helper()
	if err := a.SetPIN(context.Background(), testPIN); err != nil {
		t.Fatalf("SetPIN: %v", err)
	}
}

// beginRegistration returns the creation options JSON (the publicKey
// member) and the session.
func beginRegistration(t *testing.T, rp *webauthn.WebAuthn, user *rpUser, opts ...webauthn.RegistrationOption) ([]byte, *webauthn.SessionData) {
	t.Helper()
	creation, session, err := rp.BeginRegistration(user, opts...)
	if err != nil {
		t.Fatalf("BeginRegistration: %v", err)
	}
	options, err := json.Marshal(creation.Response)
	if err != nil {
		t.Fatal(err)
	}
	return options, session
}

// finishRegistration verifies a registration response with the relying
// party.
func finishRegistration(rp *webauthn.WebAuthn, user *rpUser, session *webauthn.SessionData, response []byte) (*webauthn.Credential, error) {
	parsed, err := protocol.ParseCredentialCreationResponseBytes(response)
	if err != nil {
		return nil, err
	}
	return rp.CreateCredential(user, *session, parsed)
}

// enroll registers a on the relying party for user and keeps the
// credential on the user.
func enroll(t *testing.T, rp *webauthn.WebAuthn, user *rpUser, a Authenticator, pin string, opts ...webauthn.RegistrationOption) *webauthn.Credential {
	t.Helper()
	options, session := beginRegistration(t, rp, user, opts...)
	response, err := Register(context.Background(), a, options, "", pin, nil)
	if err != nil {
		t.Fatalf("Register: %v", err)
	}
	cred, err := finishRegistration(rp, user, session, response)
	if err != nil {
		t.Fatalf("registration refused: %v", describe(err))
	}
	user.credentials = append(user.credentials, *cred)
	return cred
}

func beginLogin(t *testing.T, rp *webauthn.WebAuthn, user *rpUser, opts ...webauthn.LoginOption) ([]byte, *webauthn.SessionData) {
	t.Helper()
	assertion, session, err := rp.BeginLogin(user, opts...)
	if err != nil {
		t.Fatalf("BeginLogin: %v", err)
	}
	options, err := json.Marshal(assertion.Response)
	if err != nil {
		t.Fatal(err)
	}
	return options, session
}

func finishLogin(rp *webauthn.WebAuthn, user *rpUser, session *webauthn.SessionData, response []byte) (*webauthn.Credential, error) {
	parsed, err := protocol.ParseCredentialRequestResponseBytes(response)
	if err != nil {
		return nil, err
	}
	return rp.ValidateLogin(user, *session, parsed)
}

// login signs user in with a and returns the relying party's view of the
// credential.
func login(t *testing.T, rp *webauthn.WebAuthn, user *rpUser, a Authenticator, pin string) *webauthn.Credential {
	t.Helper()
	options, session := beginLogin(t, rp, user)
	response, err := Authenticate(context.Background(), a, options, "", pin, nil)
	if err != nil {
		t.Fatalf("Authenticate: %v", err)
	}
	cred, err := finishLogin(rp, user, session, response)
	if err != nil {
		t.Fatalf("login refused: %v", describe(err))
	}
	return cred
}

// describe includes go-webauthn's debug info, which its Error() leaves out.
func describe(err error) string {
	var perr *protocol.Error
	if errors.As(err, &perr) {
		return perr.Type + ": " + perr.Details + ": " + perr.DevInfo
	}
	return err.Error()
}

// events records reported events.
type events struct{ got []Event }

func (e *events) add(ev Event) { e.got = append(e.got, ev) }

func (e *events) kinds() []EventKind {
	var kinds []EventKind
	for _, ev := range e.got {
		kinds = append(kinds, ev.Kind)
	}
	return kinds
}
