package app_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"selfservice/api"
	"selfservice/app"
	"selfservice/hw"
)

// The security-key ceremonies against the real server, with the software
// authenticator of package hw standing in for the key.

// Templates of the FIDO2 tokens (see the server's migrations).
const (
	templateKey     = "fido2-key"     // second factor, user verification preferred
	templatePasskey = "fido2-passkey" // discoverable, user verification required, passwordless
)

// keyPIN is the PIN of the tests' software keys.
const keyPIN = "2468"

// newKey is a software key with keyPIN set; presence, when not nil,
// stands for the user's touch.
func newKey(t *testing.T, presence func(context.Context) error) *hw.Software {
	t.Helper()
	key, err := hw.NewSoftware(hw.SoftwareOptions{Presence: presence})
	if err != nil {
		t.Fatal(err)
	}
	if err := key.SetPIN(context.Background(), keyPIN); err != nil {
		t.Fatal(err)
	}
	return key
}

// pinEvents records the PINNeeded events of a ceremony.
type pinEvents struct{ retries []int }

func (p *pinEvents) record(e hw.Event) {
	if e.Kind == hw.PINNeeded {
		p.retries = append(p.retries, e.RetriesLeft)
	}
}

// enrollKey signs the demo user in on s and registers key on templateID.
func enrollKey(t *testing.T, b *backend, s *app.Session, templateID string, key hw.Authenticator) api.Token {
	t.Helper()
	ctx := context.Background()
	if !s.SignedIn() {
		b.signIn(t, s)
	}
	e, err := s.EnrollKey(ctx, templateID, "My key")
	if err != nil {
		t.Fatalf("EnrollKey(%s): %v", templateID, err)
	}
	tok, err := s.RegisterKey(ctx, e, key, keyPIN, nil)
	if err != nil {
		t.Fatalf("RegisterKey: %v", err)
	}
	return tok
}

// tokenStatuses lists the statuses of the signed-in user's tokens by type.
func tokenStatuses(t *testing.T, s *app.Session, typ api.TokenType) []api.TokenStatus {
	t.Helper()
	tokens, err := s.Tokens(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []api.TokenStatus
	for _, tok := range tokens {
		if tok.Type == typ {
			out = append(out, tok.Status)
		}
	}
	return out
}

func TestEnrollKeyThenSignInAndTestWithIt(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	key := newKey(t, nil)
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())

	tok := enrollKey(t, b, s, templateKey, key)
	if tok.Type != api.TypeFIDO2 || tok.Status != api.StatusActive || tok.Description != "My key" || tok.Credential == nil {
		t.Fatalf("enrolled token = %+v; want an ACTIVE FIDO2 token named My key with its credential", tok)
	}
	if got := tokenStatuses(t, s, api.TypeFIDO2); !slices.Equal(got, []api.TokenStatus{api.StatusActive}) {
		t.Errorf("FIDO2 tokens in the list = %v; want one ACTIVE", got)
	}

	// Sign in again: password, then the key.
	s2 := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	ch, err := s2.Login(ctx, b.url, b.demo.Username, b.demo.Password)
	if err != nil || ch == nil {
		t.Fatalf("Login = %v, %v; want a challenge", ch, err)
	}
	if !slices.Contains(ch.Methods, api.LoginMethod{TokenID: tok.ID, Type: api.TypeFIDO2, Label: tok.Label, Name: tok.Description}) {
		t.Fatalf("methods = %+v; want the key among them", ch.Methods)
	}
	var events pinEvents
	if err := s2.VerifyWithKey(ctx, ch, tok.ID, key, "", events.record); !errors.Is(err, hw.ErrPINRequired) {
		t.Fatalf("VerifyWithKey without the PIN = %v; want %v", err, hw.ErrPINRequired)
	}
	if !slices.Equal(events.retries, []int{8}) {
		t.Errorf("PINNeeded retries = %v; want [8]", events.retries)
	}
	if err := s2.VerifyWithKey(ctx, ch, tok.ID, key, keyPIN, nil); err != nil {
		t.Fatalf("VerifyWithKey with the PIN: %v", err)
	}
	if !s2.SignedIn() || s2.User().Username != b.demo.Username {
		t.Fatalf("after VerifyWithKey: signed in %v as %q; want %s", s2.SignedIn(), s2.User().Username, b.demo.Username)
	}

	// Test it from the list.
	b.clock.Advance(30 * time.Second)
	tested, err := s2.TestKey(ctx, tok.ID, key, keyPIN, nil)
	if err != nil {
		t.Fatalf("TestKey: %v", err)
	}
	if tested.LastUsedAt == nil || !tested.LastUsedAt.Equal(b.clock.Now()) {
		t.Errorf("last used = %v; want the test's time %v", tested.LastUsedAt, b.clock.Now())
	}
}

func TestRegisterKeyAsksForThePINAndCountsWrongOnes(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	key := newKey(t, nil)
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	b.signIn(t, s)

	e, err := s.EnrollKey(ctx, templateKey, "")
	if err != nil {
		t.Fatal(err)
	}
	if e.Token.Status != api.StatusPending || e.Token.Type != api.TypeFIDO2 {
		t.Fatalf("enrollment token = %+v; want a PENDING FIDO2 token", e.Token)
	}

	var events pinEvents
	_, err = s.RegisterKey(ctx, e, key, "", events.record)
	if !errors.Is(err, hw.ErrPINRequired) || !slices.Equal(events.retries, []int{8}) {
		t.Fatalf("RegisterKey without the PIN = %v, PINNeeded retries %v; want %v and [8]", err, events.retries, hw.ErrPINRequired)
	}
	for _, want := range []int{7, 6} {
		_, err = s.RegisterKey(ctx, e, key, "9999", nil)
		var wrong *hw.WrongPINError
		if !errors.As(err, &wrong) || wrong.RetriesLeft != want {
			t.Fatalf("RegisterKey with a wrong PIN = %v; want a wrong PIN with %d retries left", err, want)
		}
	}
	// Each try used fresh options from the server; the right PIN works.
	tok, err := s.RegisterKey(ctx, e, key, keyPIN, nil)
	if err != nil {
		t.Fatalf("RegisterKey with the PIN: %v", err)
	}
	if tok.Status != api.StatusActive || tok.ID != e.Token.ID {
		t.Errorf("token after RegisterKey = %+v; want %s ACTIVE", tok, e.Token.ID)
	}
	if info, _ := key.Info(ctx); info.PINRetries != 8 {
		t.Errorf("PIN retries after the right PIN = %d; want 8 again", info.PINRetries)
	}
	// An ACTIVE key stays when the dialog is closed afterwards.
	if err := s.CancelKeyEnrollment(ctx, e); err != nil {
		t.Fatal(err)
	}
	if got := tokenStatuses(t, s, api.TypeFIDO2); !slices.Equal(got, []api.TokenStatus{api.StatusActive}) {
		t.Errorf("FIDO2 tokens = %v; want the ACTIVE one", got)
	}
}

func TestCancelledKeyEnrollmentLeavesNoPendingToken(t *testing.T) {
	b := newBackend(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	waiting := make(chan struct{})
	key := newKey(t, func(ctx context.Context) error {
		close(waiting) // the user is asked to touch the key…
		<-ctx.Done()   // …and cancels instead
		return ctx.Err()
	})
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	b.signIn(t, s)

	e, err := s.EnrollKey(context.Background(), templateKey, "")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		<-waiting
		cancel()
	}()
	_, err = s.RegisterKey(ctx, e, key, keyPIN, nil)
	if !errors.Is(err, hw.ErrCancelled) {
		t.Fatalf("RegisterKey cancelled while waiting for the touch = %v; want %v", err, hw.ErrCancelled)
	}
	if err := s.CancelKeyEnrollment(context.Background(), e); err != nil {
		t.Fatalf("CancelKeyEnrollment: %v", err)
	}
	if got := tokenStatuses(t, s, api.TypeFIDO2); len(got) != 0 {
		t.Errorf("FIDO2 tokens after cancelling = %v; want none", got)
	}
	if rps, err := key.Credentials(context.Background(), keyPIN); err != nil || len(rps) != 0 {
		t.Errorf("passkeys on the key = %v, %v; want none", rps, err)
	}
}

func TestEnrollKeyRefusesATemplateThatIsNoKey(t *testing.T) {
	b := newBackend(t)
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	b.signIn(t, s)

	_, err := s.EnrollKey(context.Background(), "totp-app", "")
	if !errors.Is(err, &api.Error{Code: api.CodeBadResponse}) {
		t.Fatalf("EnrollKey on an authenticator-app template = %v; want %s", err, api.CodeBadResponse)
	}
	if got := tokenStatuses(t, s, api.TypeTOTP); !slices.Equal(got, []api.TokenStatus{api.StatusActive}) {
		t.Errorf("TOTP tokens = %v; want only the demo's ACTIVE one", got)
	}
}

func TestSignInWithPasskey(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	passkey := newKey(t, nil)
	enrollKey(t, b, app.NewSession(connect, app.NewMemorySecrets(), newPrefs()), templatePasskey, passkey)

	secrets, prefs := app.NewMemorySecrets(), newPrefs()
	s := app.NewSession(connect, secrets, prefs)
	var events pinEvents
	if err := s.SignInWithPasskey(ctx, b.url, passkey, "", events.record); !errors.Is(err, hw.ErrPINRequired) {
		t.Fatalf("SignInWithPasskey without the PIN = %v; want %v", err, hw.ErrPINRequired)
	}
	if err := s.SignInWithPasskey(ctx, b.url+"/", passkey, keyPIN, nil); err != nil {
		t.Fatalf("SignInWithPasskey: %v", err)
	}
	if !s.SignedIn() || s.User().Username != b.demo.Username {
		t.Fatalf("after the passkey: signed in %v as %q; want %s", s.SignedIn(), s.User().Username, b.demo.Username)
	}
	if got := s.LastUsername(); got != b.demo.Username {
		t.Errorf("LastUsername = %q; want %s", got, b.demo.Username)
	}
	if token := b.savedToken(t, secrets); token == "" || !b.tokenWorks(t, token) {
		t.Error("the session of the passkey sign-in is not saved for the next start")
	}

	// The next start resumes it.
	resumed, err := app.NewSession(connect, secrets, prefs).Resume(ctx)
	if err != nil || !resumed {
		t.Errorf("Resume = %v, %v; want the passkey's session", resumed, err)
	}
}

func TestSignInWithPasskeyNeedsAPasskey(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	key := newKey(t, nil)
	// A second-factor key stores no passkey, so it has nothing to offer.
	enrollKey(t, b, app.NewSession(connect, app.NewMemorySecrets(), newPrefs()), templateKey, key)

	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	if err := s.SignInWithPasskey(ctx, b.url, key, keyPIN, nil); !errors.Is(err, hw.ErrNoCredentials) {
		t.Errorf("SignInWithPasskey with a key without passkeys = %v; want %v", err, hw.ErrNoCredentials)
	}
	if err := s.SignInWithPasskey(ctx, " ", key, keyPIN, nil); fieldErrors(err)["server_url"] == "" {
		t.Errorf("SignInWithPasskey without a server = %v; want a server_url field error", err)
	}
	if s.SignedIn() {
		t.Error("signed in after failures")
	}
}

func TestVerifyWithKeyWrongPINLeavesSignedOut(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	key := newKey(t, nil)
	tok := enrollKey(t, b, app.NewSession(connect, app.NewMemorySecrets(), newPrefs()), templateKey, key)

	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	ch, err := s.Login(ctx, b.url, b.demo.Username, b.demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	err = s.VerifyWithKey(ctx, ch, tok.ID, key, "0000", nil)
	var wrong *hw.WrongPINError
	if !errors.As(err, &wrong) || wrong.RetriesLeft != 7 {
		t.Fatalf("VerifyWithKey with a wrong PIN = %v; want a wrong PIN with 7 retries left", err)
	}
	if s.SignedIn() {
		t.Fatal("signed in with a wrong PIN")
	}
	// The same login goes on with a new challenge.
	if err := s.VerifyWithKey(ctx, ch, tok.ID, key, keyPIN, nil); err != nil || !s.SignedIn() {
		t.Fatalf("VerifyWithKey with the PIN afterwards = %v, signed in %v", err, s.SignedIn())
	}
}
