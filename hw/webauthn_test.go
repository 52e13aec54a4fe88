package hw

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
)

func TestRegisterAndSignIn(t *testing.T) {
	tests := []struct {
		name       string
		format     string // of the software key
		conveyance protocol.ConveyancePreference
		pin        string // set on the key and given to both ceremonies
		wrapped    bool   // pass go-webauthn's whole CredentialCreation
		wantFormat string
		wantType   string // go-webauthn's attestation type
		wantUV     bool
	}{
		{name: "packed self attestation", format: FormatPacked, conveyance: protocol.PreferDirectAttestation,
			wantFormat: "packed", wantType: "basic_surrogate"},
		{name: "relying party wants no attestation", format: FormatPacked, conveyance: protocol.PreferNoAttestation,
			wantFormat: "none", wantType: "none"},
		{name: "key without attestation", format: FormatNone, conveyance: protocol.PreferDirectAttestation,
			wantFormat: "none", wantType: "none"},
		{name: "verified with the pin", format: FormatPacked, conveyance: protocol.PreferDirectAttestation, pin: testPIN,
			wantFormat: "packed", wantType: "basic_surrogate", wantUV: true},
		{name: "options wrapped in publicKey", format: FormatPacked, wrapped: true,
			wantFormat: "none", wantType: "none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rp, user := newRP(t), newUser("alice")
			key := newSoftwareKey(t, SoftwareOptions{Format: tt.format})
			if tt.pin != "" {
				setPIN(t, key)
			}
			creation, session, err := rp.BeginRegistration(user, webauthn.WithConveyancePreference(tt.conveyance))
			if err != nil {
				t.Fatal(err)
			}
			var options []byte
			if tt.wrapped {
				options, err = json.Marshal(creation)
			} else {
				options, err = json.Marshal(creation.Response)
			}
			if err != nil {
				t.Fatal(err)
			}

			response, err := Register(context.Background(), key, options, "", tt.pin, nil)
			if err != nil {
				t.Fatalf("Register: %v", err)
			}
			cred, err := finishRegistration(rp, user, session, response)
			if err != nil {
				t.Fatalf("registration refused: %s", describe(err))
			}
			if cred.AttestationFormat != tt.wantFormat || cred.AttestationType != tt.wantType {
				t.Errorf("attestation = %q/%q, want %q/%q", cred.AttestationFormat, cred.AttestationType, tt.wantFormat, tt.wantType)
			}
			if cred.Flags.UserVerified != tt.wantUV || !cred.Flags.UserPresent {
				t.Errorf("flags UP=%v UV=%v, want UP=true UV=%v", cred.Flags.UserPresent, cred.Flags.UserVerified, tt.wantUV)
			}
			if !bytes.Equal(cred.Authenticator.AAGUID, softwareAAGUID) {
				t.Errorf("AAGUID = %q, want %q", cred.Authenticator.AAGUID, softwareAAGUID)
			}
			if got := string(cred.Authenticator.Attachment); got != "cross-platform" {
				t.Errorf("attachment = %q, want cross-platform", got)
			}
			user.credentials = append(user.credentials, *cred)

			for want := uint32(1); want <= 2; want++ {
				signedIn := login(t, rp, user, key, tt.pin)
				if signedIn.Authenticator.SignCount != want || signedIn.Authenticator.CloneWarning {
					t.Errorf("sign count = %d (clone warning %v), want %d and no warning",
						signedIn.Authenticator.SignCount, signedIn.Authenticator.CloneWarning, want)
				}
				if signedIn.Flags.UserVerified != tt.wantUV {
					t.Errorf("sign-in UV = %v, want %v", signedIn.Flags.UserVerified, tt.wantUV)
				}
			}
		})
	}
}

func TestDiscoverableSignIn(t *testing.T) {
	rp, alice, bob := newRP(t), newUser("alice"), newUser("bob")
	key := newSoftwareKey(t, SoftwareOptions{})
	resident := webauthn.WithResidentKeyRequirement(protocol.ResidentKeyRequirementRequired)
	enroll(t, rp, alice, key, "", resident)
	enroll(t, rp, bob, key, "", resident)

	assertion, session, err := rp.BeginDiscoverableLogin()
	if err != nil {
		t.Fatal(err)
	}
	options, err := json.Marshal(assertion.Response)
	if err != nil {
		t.Fatal(err)
	}
	response, err := Authenticate(context.Background(), key, options, testOrigin, "", nil)
	if err != nil {
		t.Fatalf("Authenticate: %v", err)
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(response)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(parsed.Response.UserHandle, bob.id) {
		t.Errorf("user handle = %q, want the newest account %q", parsed.Response.UserHandle, bob.id)
	}
	byHandle := func(_, userHandle []byte) (webauthn.User, error) {
		for _, u := range []*rpUser{alice, bob} {
			if bytes.Equal(u.id, userHandle) {
				return u, nil
			}
		}
		return nil, errors.New("unknown user")
	}
	if _, err := rp.ValidateDiscoverableLogin(byHandle, *session, parsed); err != nil {
		t.Errorf("discoverable login refused: %s", describe(err))
	}
}

// TestRelyingPartyRefusesRegistration: responses that reach the relying
// party but must not pass.
func TestRelyingPartyRefusesRegistration(t *testing.T) {
	tests := []struct {
		name        string
		respond     func(t *testing.T, key *Software, options []byte) []byte
		reuse       bool // verify with a newer session than the options came from
		wantType    string
		wantMessage string // in go-webauthn's details or debug info
	}{
		{
			name: "origin not allowed",
			respond: func(t *testing.T, key *Software, options []byte) []byte {
				return mustRegister(t, key, options, "https://login.example.test")
			},
			wantType: "verification_error", wantMessage: "Error validating origin",
		},
		{
			name: "origin with another port",
			respond: func(t *testing.T, key *Software, options []byte) []byte {
				return mustRegister(t, key, options, "https://example.test:8443")
			},
			wantType: "verification_error", wantMessage: "Error validating origin",
		},
		{
			name: "credential for another rp id",
			respond: func(t *testing.T, key *Software, options []byte) []byte {
				var opts creationOptions
				if err := parseOptions(options, &opts); err != nil {
					t.Fatal(err)
				}
				opts.RP.ID = "other.test" // what a client without the origin check would send
				response, err := register(context.Background(), key, opts, testOrigin, "", nil)
				if err != nil {
					t.Fatal(err)
				}
				return response
			},
			wantType: "verification_error", wantMessage: "RP Hash mismatch",
		},
		{
			name: "challenge of an earlier ceremony",
			respond: func(t *testing.T, key *Software, options []byte) []byte {
				return mustRegister(t, key, options, "")
			},
			reuse:    true,
			wantType: "verification_error", wantMessage: "Error validating challenge",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rp, user := newRP(t), newUser("alice")
			key := newSoftwareKey(t, SoftwareOptions{})
			options, session := beginRegistration(t, rp, user)
			if tt.reuse {
				_, session = beginRegistration(t, rp, user)
			}
			_, err := finishRegistration(rp, user, session, tt.respond(t, key, options))
			assertProtocolError(t, err, tt.wantType, tt.wantMessage)
		})
	}
}

// TestRelyingPartyRefusesSignIn: assertions that reach the relying party
// but must not pass.
func TestRelyingPartyRefusesSignIn(t *testing.T) {
	tests := []struct {
		name        string
		origin      string
		reuse       bool // verify with a newer session than the options came from
		tamper      func(t *testing.T, response []byte) []byte
		wantType    string
		wantMessage string
	}{
		{name: "origin not allowed", origin: "https://login.example.test",
			wantType: "verification_error", wantMessage: "Error validating origin"},
		{name: "replayed to a new challenge", reuse: true,
			wantType: "verification_error", wantMessage: "Error validating challenge"},
		{name: "tampered signature", tamper: flipSignatureBit,
			wantType: "invalid_signature", wantMessage: "Error validating the assertion signature"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rp, user := newRP(t), newUser("alice")
			key := newSoftwareKey(t, SoftwareOptions{})
			enroll(t, rp, user, key, "")
			options, session := beginLogin(t, rp, user)
			if tt.reuse {
				_, session = beginLogin(t, rp, user)
			}
			response, err := Authenticate(context.Background(), key, options, tt.origin, "", nil)
			if err != nil {
				t.Fatalf("Authenticate: %v", err)
			}
			if tt.tamper != nil {
				response = tt.tamper(t, response)
			}
			_, err = finishLogin(rp, user, session, response)
			assertProtocolError(t, err, tt.wantType, tt.wantMessage)
		})
	}
}

func TestKeyRefusesAnotherRPID(t *testing.T) {
	rp, user := newRP(t), newUser("alice")
	key := newSoftwareKey(t, SoftwareOptions{})
	enroll(t, rp, user, key, "")
	options, _ := beginLogin(t, rp, user)
	var opts requestOptions
	if err := parseOptions(options, &opts); err != nil {
		t.Fatal(err)
	}
	opts.RPID = "other.test"
	_, err := authenticate(context.Background(), key, opts, "https://other.test", "", nil)
	if !errors.Is(err, ErrNoCredentials) {
		t.Errorf("assertion for another rp id: got %v, want ErrNoCredentials", err)
	}
}

func TestReusedSessionGivesCloneWarning(t *testing.T) {
	rp, user := newRP(t), newUser("alice")
	key := newSoftwareKey(t, SoftwareOptions{})
	enroll(t, rp, user, key, "")
	options, session := beginLogin(t, rp, user)
	response, err := Authenticate(context.Background(), key, options, "", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	first, err := finishLogin(rp, user, session, response)
	if err != nil {
		t.Fatalf("first login refused: %s", describe(err))
	}
	user.credentials[0] = *first

	// A relying party that does not consume its sessions accepts the
	// replay; only the unchanged counter gives it away.
	replayed, err := finishLogin(rp, user, session, response)
	if err != nil {
		t.Fatalf("replay: %s", describe(err))
	}
	if !replayed.Authenticator.CloneWarning {
		t.Errorf("replayed assertion: clone warning = false, want true (counter %d)", replayed.Authenticator.SignCount)
	}
}

func TestClonedKeyGivesCloneWarning(t *testing.T) {
	dir := t.TempDir()
	original := FileStore(filepath.Join(dir, "key.json"))
	rp, user := newRP(t), newUser("alice")
	key := newSoftwareKey(t, SoftwareOptions{Store: original})
	enroll(t, rp, user, key, "")

	data, err := os.ReadFile(string(original))
	if err != nil {
		t.Fatal(err)
	}
	copied := FileStore(filepath.Join(dir, "clone.json"))
	if err := os.WriteFile(string(copied), data, 0o600); err != nil {
		t.Fatal(err)
	}
	clone := newSoftwareKey(t, SoftwareOptions{Store: copied})

	for range 2 {
		user.credentials[0] = *login(t, rp, user, key, "")
	}
	options, session := beginLogin(t, rp, user)
	response, err := Authenticate(context.Background(), clone, options, "", "", nil)
	if err != nil {
		t.Fatalf("clone Authenticate: %v", err)
	}
	cred, err := finishLogin(rp, user, session, response)
	if err != nil {
		t.Fatalf("clone login: %s", describe(err))
	}
	if !cred.Authenticator.CloneWarning {
		t.Errorf("clone with counter %d after %d: clone warning = false, want true",
			cred.Authenticator.SignCount, user.credentials[0].Authenticator.SignCount)
	}
}

func TestRegisterWithWrongPINUntilBlocked(t *testing.T) {
	rp, user := newRP(t), newUser("alice")
	key := newSoftwareKey(t, SoftwareOptions{})
	setPIN(t, key)
	options, _ := beginRegistration(t, rp, user,
		webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{UserVerification: protocol.VerificationRequired}))
	ctx := context.Background()

	for want := maxPINRetries - 1; want > 0; want-- {
		_, err := Register(ctx, key, options, "", "wrong-pin", nil)
		var wrong *WrongPINError
		if !errors.As(err, &wrong) || !errors.Is(err, ErrWrongPIN) {
			t.Fatalf("wrong pin: got %v, want a *WrongPINError", err)
		}
		if wrong.RetriesLeft != want {
			t.Fatalf("retries left = %d, want %d", wrong.RetriesLeft, want)
		}
	}
	if _, err := Register(ctx, key, options, "", "wrong-pin", nil); !errors.Is(err, ErrPINBlocked) {
		t.Fatalf("last wrong pin: got %v, want ErrPINBlocked", err)
	}
	if _, err := Register(ctx, key, options, "", testPIN, nil); !errors.Is(err, ErrPINBlocked) {
		t.Errorf("right pin once blocked: got %v, want ErrPINBlocked", err)
	}
	var ev events
	if _, err := Register(ctx, key, options, "", "", ev.add); !errors.Is(err, ErrPINBlocked) || len(ev.got) != 0 {
		t.Errorf("no pin once blocked: got %v and events %v, want ErrPINBlocked and none", err, ev.kinds())
	}
}

func TestRegisterAsksForPIN(t *testing.T) {
	rp, user := newRP(t), newUser("alice")
	key := newSoftwareKey(t, SoftwareOptions{})
	setPIN(t, key)
	if _, err := Register(context.Background(), key, []byte("{}"), "", "wrong-pin", nil); err == nil {
		t.Fatal("empty options accepted")
	}
	options, session := beginRegistration(t, rp, user)

	var ev events
	_, err := Register(context.Background(), key, options, "", "", ev.add)
	if !errors.Is(err, ErrPINRequired) {
		t.Fatalf("without pin: got %v, want ErrPINRequired", err)
	}
	if want := []Event{{Kind: PINNeeded, RetriesLeft: maxPINRetries}}; !slices.Equal(ev.got, want) {
		t.Errorf("events = %+v, want %+v", ev.got, want)
	}

	ev = events{}
	response, err := Register(context.Background(), key, options, "", testPIN, ev.add)
	if err != nil {
		t.Fatalf("with pin: %v", err)
	}
	if want := []EventKind{TouchKey}; !slices.Equal(ev.kinds(), want) {
		t.Errorf("events = %v, want %v", ev.kinds(), want)
	}
	if _, err := finishRegistration(rp, user, session, response); err != nil {
		t.Errorf("registration refused: %s", describe(err))
	}
}

func TestUserVerificationRequiredWithoutPIN(t *testing.T) {
	rp, user := newRP(t), newUser("alice")
	key := newSoftwareKey(t, SoftwareOptions{})
	options, _ := beginRegistration(t, rp, user,
		webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{UserVerification: protocol.VerificationRequired}))
	if _, err := Register(context.Background(), key, options, "", "", nil); !errors.Is(err, ErrPINNotSet) {
		t.Errorf("got %v, want ErrPINNotSet", err)
	}
}

func TestExcludedCredential(t *testing.T) {
	rp, user := newRP(t), newUser("alice")
	key := newSoftwareKey(t, SoftwareOptions{})
	enroll(t, rp, user, key, "")
	exclude := webauthn.WithExclusions(webauthn.Credentials(user.credentials).CredentialDescriptors())

	options, _ := beginRegistration(t, rp, user, exclude)
	var ev events
	_, err := Register(context.Background(), key, options, "", "", ev.add)
	if !errors.Is(err, ErrCredentialExcluded) {
		t.Fatalf("same key again: got %v, want ErrCredentialExcluded", err)
	}
	if want := []EventKind{TouchKey}; !slices.Equal(ev.kinds(), want) {
		t.Errorf("events = %v, want %v (the key confirms with a touch)", ev.kinds(), want)
	}

	other := newSoftwareKey(t, SoftwareOptions{})
	enroll(t, rp, user, other, "", exclude)
	if len(user.credentials) != 2 {
		t.Errorf("credentials = %d, want 2", len(user.credentials))
	}
}

func TestCeremonyStopsEarly(t *testing.T) {
	tests := []struct {
		name     string
		presence func(ctx context.Context, started chan<- struct{}) error
		timeout  int  // creation options timeout in ms
		cancel   bool // cancel the context once presence started
		want     []error
	}{
		{
			name:     "cancelled while waiting for the touch",
			presence: waitForContext,
			cancel:   true,
			want:     []error{ErrCancelled, context.Canceled},
		},
		{
			name:     "options timeout passes while waiting for the touch",
			presence: waitForContext,
			timeout:  1,
			want:     []error{ErrTimeout, context.DeadlineExceeded},
		},
		{
			name:     "key gives up waiting for the touch",
			presence: func(context.Context, chan<- struct{}) error { return ErrTimeout },
			want:     []error{ErrTimeout},
		},
		{
			name:     "user declines",
			presence: func(context.Context, chan<- struct{}) error { return ErrDenied },
			want:     []error{ErrDenied},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			started := make(chan struct{}, 1)
			key := newSoftwareKey(t, SoftwareOptions{Presence: func(ctx context.Context) error {
				return tt.presence(ctx, started)
			}})
			rp, user := newRP(t), newUser("alice")
			options, _ := beginRegistration(t, rp, user, func(o *protocol.PublicKeyCredentialCreationOptions) error {
				o.Timeout = tt.timeout
				return nil
			})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.cancel {
				go func() {
					<-started
					cancel()
				}()
			}
			_, err := Register(ctx, key, options, "", "", nil)
			for _, want := range tt.want {
				if !errors.Is(err, want) {
					t.Errorf("got %v, want %v", err, want)
				}
			}
			key.mu.Lock()
			defer key.mu.Unlock()
			if n := len(key.state.Credentials); n != 0 {
				t.Errorf("key holds %d credentials after a stopped ceremony, want 0", n)
			}
		})
	}
}

func TestResolveOrigin(t *testing.T) {
	tests := []struct {
		origin, rpID string
		want         string
		wantErr      error // nil: no error; errAny: some error
	}{
		{origin: "", rpID: "example.test", want: "https://example.test"},
		{origin: "https://example.test/", rpID: "example.test", want: "https://example.test"},
		{origin: "https://login.example.test", rpID: "example.test", want: "https://login.example.test"},
		{origin: "https://example.test:8443", rpID: "example.test", want: "https://example.test:8443"},
		{origin: "http://localhost:8080", rpID: "localhost", want: "http://localhost:8080"},
		{origin: "https://evil.test", rpID: "example.test", wantErr: ErrRPIDMismatch},
		{origin: "https://notexample.test", rpID: "example.test", wantErr: ErrRPIDMismatch},
		{origin: "ftp://example.test", rpID: "example.test", wantErr: errAny},
		{origin: "https://example.test", rpID: "", wantErr: errAny},
	}
	for _, tt := range tests {
		got, err := resolveOrigin(tt.origin, tt.rpID)
		switch {
		case tt.wantErr == nil && (err != nil || got != tt.want):
			t.Errorf("resolveOrigin(%q, %q) = %q, %v, want %q", tt.origin, tt.rpID, got, err, tt.want)
		case tt.wantErr == errAny && err == nil,
			tt.wantErr != nil && tt.wantErr != errAny && !errors.Is(err, tt.wantErr):
			t.Errorf("resolveOrigin(%q, %q) = %q, %v, want error %v", tt.origin, tt.rpID, got, err, tt.wantErr)
		}
	}
}

func TestRegisterRefusesMismatchedRPID(t *testing.T) {
	rp, user := newRP(t), newUser("alice")
	options, _ := beginRegistration(t, rp, user)
	key := newSoftwareKey(t, SoftwareOptions{})
	if _, err := Register(context.Background(), key, options, "https://evil.test", "", nil); !errors.Is(err, ErrRPIDMismatch) {
		t.Errorf("got %v, want ErrRPIDMismatch", err)
	}
}

func TestClientDataJSON(t *testing.T) {
	got, err := clientDataJSON("webauthn.get", []byte{0xfb, 0xff, 0x01}, "https://example.test")
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"webauthn.get","challenge":"-_8B","origin":"https://example.test","crossOrigin":false}`
	if string(got) != want {
		t.Errorf("client data = %s, want %s", got, want)
	}
}

var errAny = errors.New("any error")

func mustRegister(t *testing.T, key Authenticator, options []byte, origin string) []byte {
	t.Helper()
	response, err := Register(context.Background(), key, options, origin, "", nil)
	if err != nil {
		t.Fatalf("Register: %v", err)
	}
	return response
}

func waitForContext(ctx context.Context, started chan<- struct{}) error {
	started <- struct{}{}
	<-ctx.Done()
	return ctx.Err()
}

// flipSignatureBit changes one bit of the signature in an assertion
// response.
func flipSignatureBit(t *testing.T, response []byte) []byte {
	t.Helper()
	var cred map[string]any
	if err := json.Unmarshal(response, &cred); err != nil {
		t.Fatal(err)
	}
	inner := cred["response"].(map[string]any)
	sig, err := base64.RawURLEncoding.DecodeString(inner["signature"].(string))
	if err != nil {
		t.Fatal(err)
	}
	sig[len(sig)-1] ^= 0x01
	inner["signature"] = base64.RawURLEncoding.EncodeToString(sig)
	out, err := json.Marshal(cred)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func assertProtocolError(t *testing.T, err error, wantType, wantMessage string) {
	t.Helper()
	var perr *protocol.Error
	if !errors.As(err, &perr) {
		t.Fatalf("got %v, want a go-webauthn %s error", err, wantType)
	}
	if perr.Type != wantType || !strings.Contains(perr.Details+" "+perr.DevInfo, wantMessage) {
		t.Errorf("got %s, want %s with %q", describe(err), wantType, wantMessage)
	}
}
