package hw

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
)

func TestSoftwareSetPINPolicy(t *testing.T) {
	tests := []struct {
		pin  string
		want error
	}{
		{pin: "1234", want: nil},
		{pin: "äöüß", want: nil}, // four characters, eight bytes
		{pin: "123", want: ErrPINPolicy},
		{pin: "", want: ErrPINPolicy},
		{pin: strings.Repeat("x", 63), want: nil},
		{pin: strings.Repeat("x", 64), want: ErrPINPolicy},
		{pin: "12\xff4", want: ErrPINPolicy},
	}
	for _, tt := range tests {
		key := newSoftwareKey(t, SoftwareOptions{})
		if err := key.SetPIN(context.Background(), tt.pin); !errors.Is(err, tt.want) {
			t.Errorf("SetPIN(%q) = %v, want %v", tt.pin, err, tt.want)
		}
	}
}

func TestSoftwarePINLifecycle(t *testing.T) {
	ctx := context.Background()
	key := newSoftwareKey(t, SoftwareOptions{})
	info, err := key.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !info.SupportsPIN() || info.PINSet() || info.PINRetries != maxPINRetries {
		t.Fatalf("new key: supports pin %v, pin set %v, retries %d", info.SupportsPIN(), info.PINSet(), info.PINRetries)
	}
	if err := key.ChangePIN(ctx, testPIN, "5678"); !errors.Is(err, ErrPINNotSet) {
		t.Errorf("ChangePIN without a pin = %v, want ErrPINNotSet", err)
	}
	setPIN(t, key)
	if err := key.SetPIN(ctx, "5678"); !errors.Is(err, ErrPINAlreadySet) {
		t.Errorf("second SetPIN = %v, want ErrPINAlreadySet", err)
	}

	err = key.ChangePIN(ctx, "wrong", "5678")
	var wrong *WrongPINError
	if !errors.As(err, &wrong) || wrong.RetriesLeft != maxPINRetries-1 {
		t.Fatalf("ChangePIN with a wrong pin = %v, want 7 retries left", err)
	}
	if info, _ := key.Info(ctx); info.PINRetries != maxPINRetries-1 {
		t.Errorf("retries after a wrong pin = %d, want %d", info.PINRetries, maxPINRetries-1)
	}
	if err := key.ChangePIN(ctx, testPIN, "12"); !errors.Is(err, ErrPINPolicy) {
		t.Errorf("ChangePIN to a short pin = %v, want ErrPINPolicy", err)
	}
	if err := key.ChangePIN(ctx, testPIN, "5678"); err != nil {
		t.Fatalf("ChangePIN: %v", err)
	}
	info, _ = key.Info(ctx)
	if !info.PINSet() || info.PINRetries != maxPINRetries {
		t.Errorf("after change: pin set %v, retries %d, want true, %d", info.PINSet(), info.PINRetries, maxPINRetries)
	}
	if _, err := key.Credentials(ctx, testPIN); !errors.Is(err, ErrWrongPIN) {
		t.Errorf("old pin = %v, want ErrWrongPIN", err)
	}
	if _, err := key.Credentials(ctx, "5678"); err != nil {
		t.Errorf("new pin = %v", err)
	}
}

func TestSoftwareCredentialManagement(t *testing.T) {
	ctx := context.Background()
	key := newSoftwareKey(t, SoftwareOptions{})
	if _, err := key.Credentials(ctx, testPIN); !errors.Is(err, ErrPINNotSet) {
		t.Errorf("Credentials without a pin set = %v, want ErrPINNotSet", err)
	}
	setPIN(t, key)
	create := func(rpID, user string, resident bool) []byte {
		t.Helper()
		hash := sha256.Sum256([]byte(rpID + user))
		att, err := key.MakeCredential(ctx, MakeCredentialRequest{
			ClientDataHash: hash[:],
			RP:             RelyingParty{ID: rpID, Name: strings.ToUpper(rpID)},
			User:           User{ID: []byte(user), Name: user, DisplayName: "The " + user},
			ResidentKey:    resident,
			PIN:            testPIN,
		}, nil)
		if err != nil {
			t.Fatalf("MakeCredential(%s, %s): %v", rpID, user, err)
		}
		return att.CredentialID
	}
	zed := create("zed.test", "alice", true)
	create("alpha.test", "alice", true)
	bob := create("alpha.test", "bob", true)
	create("alpha.test", "carol", false)          // not discoverable: not listed
	bobAgain := create("alpha.test", "bob", true) // replaces bob's

	if _, err := key.Credentials(ctx, ""); !errors.Is(err, ErrPINRequired) {
		t.Errorf("Credentials without pin = %v, want ErrPINRequired", err)
	}
	rps, err := key.Credentials(ctx, testPIN)
	if err != nil {
		t.Fatal(err)
	}
	got := summarize(rps)
	want := []string{"alpha.test/ALPHA.TEST: alice bob", "zed.test/ZED.TEST: alice"}
	if !slices.Equal(got, want) {
		t.Errorf("credentials = %q, want %q", got, want)
	}
	if !bytes.Equal(rps[0].Credentials[1].ID, bobAgain) || rps[0].Credentials[1].User.DisplayName != "The bob" {
		t.Errorf("bob's credential = %+v, want the newest one", rps[0].Credentials[1])
	}

	if err := key.DeleteCredential(ctx, testPIN, bob); !errors.Is(err, ErrNoCredentials) {
		t.Errorf("delete a replaced credential = %v, want ErrNoCredentials", err)
	}
	if err := key.DeleteCredential(ctx, testPIN, zed); err != nil {
		t.Fatalf("DeleteCredential: %v", err)
	}
	rps, _ = key.Credentials(ctx, testPIN)
	if got, want := summarize(rps), []string{"alpha.test/ALPHA.TEST: alice bob"}; !slices.Equal(got, want) {
		t.Errorf("after delete = %q, want %q", got, want)
	}
	hash := sha256.Sum256(nil)
	_, err = key.GetAssertion(ctx, GetAssertionRequest{RPID: "zed.test", ClientDataHash: hash[:]}, nil)
	if !errors.Is(err, ErrNoCredentials) {
		t.Errorf("sign in with a deleted credential = %v, want ErrNoCredentials", err)
	}
}

func summarize(rps []RPCredentials) []string {
	var out []string
	for _, rp := range rps {
		var names []string
		for _, c := range rp.Credentials {
			names = append(names, c.User.Name)
		}
		out = append(out, rp.RP.ID+"/"+rp.RP.Name+": "+strings.Join(names, " "))
	}
	return out
}

func TestSoftwareReset(t *testing.T) {
	ctx := context.Background()
	rp, user := newRP(t), newUser("alice")
	key := newSoftwareKey(t, SoftwareOptions{})
	setPIN(t, key)
	enroll(t, rp, user, key, testPIN, webauthn.WithResidentKeyRequirement(protocol.ResidentKeyRequirementRequired))

	var ev events
	if err := key.Reset(ctx, ev.add); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	if want := []EventKind{TouchKey}; !slices.Equal(ev.kinds(), want) {
		t.Errorf("events = %v, want %v", ev.kinds(), want)
	}
	info, _ := key.Info(ctx)
	if info.PINSet() || info.PINRetries != maxPINRetries {
		t.Errorf("after reset: pin set %v, retries %d", info.PINSet(), info.PINRetries)
	}
	options, _ := beginLogin(t, rp, user)
	if _, err := Authenticate(ctx, key, options, "", "", nil); !errors.Is(err, ErrNoCredentials) {
		t.Errorf("sign in after reset = %v, want ErrNoCredentials", err)
	}

	denying := newSoftwareKey(t, SoftwareOptions{Presence: func(context.Context) error { return errors.New("button not pressed") }})
	setPIN(t, denying)
	if err := denying.Reset(ctx, nil); !errors.Is(err, ErrDenied) {
		t.Errorf("reset without the touch = %v, want ErrDenied", err)
	}
	if info, _ := denying.Info(ctx); !info.PINSet() {
		t.Error("a denied reset cleared the pin")
	}
}

func TestSoftwareFingerprints(t *testing.T) {
	ctx := context.Background()
	plain := newSoftwareKey(t, SoftwareOptions{})
	setPIN(t, plain)
	if _, err := plain.EnrollFingerprint(ctx, testPIN, "", nil); !errors.Is(err, ErrNotSupported) {
		t.Errorf("enroll without a sensor = %v, want ErrNotSupported", err)
	}

	key := newSoftwareKey(t, SoftwareOptions{Fingerprints: true})
	if info, _ := key.Info(ctx); !info.SupportsFingerprints() || info.BuiltInUV() {
		t.Errorf("new bio key: supports fingerprints %v, built-in uv %v, want true, false", info.SupportsFingerprints(), info.BuiltInUV())
	}
	setPIN(t, key)
	var ev events
	if _, err := key.EnrollFingerprint(ctx, "", "", ev.add); !errors.Is(err, ErrPINRequired) {
		t.Errorf("enroll without pin = %v, want ErrPINRequired", err)
	}
	if want := []Event{{Kind: PINNeeded, RetriesLeft: maxPINRetries}}; !slices.Equal(ev.got, want) {
		t.Errorf("events = %+v, want %+v", ev.got, want)
	}

	ev = events{}
	first, err := key.EnrollFingerprint(ctx, testPIN, "", ev.add)
	if err != nil {
		t.Fatalf("EnrollFingerprint: %v", err)
	}
	var want []Event
	for remaining := fingerprintSamples - 1; remaining >= 0; remaining-- {
		want = append(want, Event{Kind: TouchKey}, Event{Kind: FingerprintSample, SamplesRemaining: remaining, Sample: SampleGood})
	}
	if !slices.Equal(ev.got, want) {
		t.Errorf("events = %+v, want %+v", ev.got, want)
	}
	second, err := key.EnrollFingerprint(ctx, testPIN, "Left thumb", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := key.RenameFingerprint(ctx, testPIN, first.ID, "Right index"); err != nil {
		t.Fatalf("RenameFingerprint: %v", err)
	}
	if err := key.DeleteFingerprint(ctx, testPIN, second.ID); err != nil {
		t.Fatalf("DeleteFingerprint: %v", err)
	}
	if err := key.DeleteFingerprint(ctx, testPIN, second.ID); err == nil {
		t.Error("deleting a deleted fingerprint succeeded")
	}
	list, err := key.Fingerprints(ctx, testPIN)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || !bytes.Equal(list[0].ID, first.ID) || list[0].Name != "Right index" {
		t.Errorf("fingerprints = %+v, want only %x named Right index", list, first.ID)
	}

	// An enrolled finger verifies the user without the PIN.
	if info, _ := key.Info(ctx); !info.BuiltInUV() {
		t.Error("built-in uv = false after enrollment")
	}
	rp, user := newRP(t), newUser("alice")
	enroll(t, rp, user, key, "", webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{UserVerification: protocol.VerificationRequired}))
	if !user.credentials[0].Flags.UserVerified {
		t.Error("credential made with a fingerprint is not user verified")
	}
}

func TestSoftwareEnrollFingerprintCancelled(t *testing.T) {
	samples := 0
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	key := newSoftwareKey(t, SoftwareOptions{Fingerprints: true, Presence: func(ctx context.Context) error {
		samples++
		if samples == 2 {
			cancel() // the user cancels while the second sample is taken
			<-ctx.Done()
			return ctx.Err()
		}
		return nil
	}})
	setPIN(t, key)
	var ev events
	_, err := key.EnrollFingerprint(ctx, testPIN, "", ev.add)
	if !errors.Is(err, ErrCancelled) {
		t.Fatalf("got %v, want ErrCancelled", err)
	}
	if want := []EventKind{TouchKey, FingerprintSample, TouchKey}; !slices.Equal(ev.kinds(), want) {
		t.Errorf("events = %v, want %v", ev.kinds(), want)
	}
	if list, _ := key.Fingerprints(context.Background(), testPIN); len(list) != 0 {
		t.Errorf("fingerprints after cancel = %+v, want none", list)
	}
}

func TestSoftwarePersistence(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "config", "virtual-key.json") // Save creates the directory
	rp, user := newRP(t), newUser("alice")
	key := newSoftwareKey(t, SoftwareOptions{Store: FileStore(path)})
	setPIN(t, key)
	enroll(t, rp, user, key, testPIN, webauthn.WithResidentKeyRequirement(protocol.ResidentKeyRequirementRequired))
	if _, err := key.Credentials(ctx, "wrong"); !errors.Is(err, ErrWrongPIN) {
		t.Fatal(err)
	}

	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Errorf("state file mode = %o, want 600", mode)
	}
	data, _ := os.ReadFile(path)
	if bytes.Contains(data, []byte(testPIN)) {
		t.Error("state file holds the pin")
	}

	restarted := newSoftwareKey(t, SoftwareOptions{Store: FileStore(path)})
	info, _ := restarted.Info(ctx)
	if !info.PINSet() || info.PINRetries != maxPINRetries-1 {
		t.Errorf("restarted: pin set %v, retries %d, want true, %d", info.PINSet(), info.PINRetries, maxPINRetries-1)
	}
	cred := login(t, rp, user, restarted, testPIN)
	if cred.Authenticator.SignCount != 1 {
		t.Errorf("sign count = %d, want 1", cred.Authenticator.SignCount)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("state directory holds %d files, want 1 (no temporary files left)", len(entries))
	}

	if err := os.WriteFile(path, []byte(`{"version":99}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := NewSoftware(SoftwareOptions{Store: FileStore(path)}); err == nil {
		t.Error("state of an unknown version accepted")
	}
}

func TestSoftwareRefusesUnsupportedRequests(t *testing.T) {
	ctx := context.Background()
	key := newSoftwareKey(t, SoftwareOptions{})
	hash := sha256.Sum256(nil)
	valid := MakeCredentialRequest{ClientDataHash: hash[:], RP: RelyingParty{ID: testRPID}, User: User{ID: []byte("u"), Name: "u"}}
	tests := []struct {
		name   string
		change func(*MakeCredentialRequest)
		want   error // errAny: some error
	}{
		{name: "only RS256", change: func(r *MakeCredentialRequest) { r.Algorithms = []int{AlgRS256} }, want: ErrNotSupported},
		{name: "short hash", change: func(r *MakeCredentialRequest) { r.ClientDataHash = hash[:16] }, want: errAny},
		{name: "no rp id", change: func(r *MakeCredentialRequest) { r.RP.ID = "" }, want: errAny},
		{name: "no user id", change: func(r *MakeCredentialRequest) { r.User.ID = nil }, want: errAny},
		{name: "uv without pin", change: func(r *MakeCredentialRequest) { r.UserVerification = true }, want: ErrPINNotSet},
		{name: "pin without pin set", change: func(r *MakeCredentialRequest) { r.PIN = testPIN }, want: ErrPINNotSet},
	}
	for _, tt := range tests {
		req := valid
		tt.change(&req)
		_, err := key.MakeCredential(ctx, req, nil)
		if err == nil || (tt.want != errAny && !errors.Is(err, tt.want)) {
			t.Errorf("%s: got %v, want %v", tt.name, err, tt.want)
		}
	}
	if _, err := NewSoftware(SoftwareOptions{Format: "tpm"}); !errors.Is(err, ErrNotSupported) {
		t.Errorf("format tpm: got %v, want ErrNotSupported", err)
	}
}

func TestSoftwareProvider(t *testing.T) {
	key := newSoftwareKey(t, SoftwareOptions{})
	devices, err := key.Devices(context.Background())
	if err != nil || len(devices) != 1 || devices[0].Path != SoftwarePath || devices[0].Transport != TransportVirtual {
		t.Fatalf("Devices = %+v, %v", devices, err)
	}
	opened, err := key.Open(devices[0].Path)
	if err != nil || opened != Authenticator(key) {
		t.Errorf("Open(%q) = %v, %v, want the key", devices[0].Path, opened, err)
	}
	if _, err := key.Open("/dev/hidraw0"); !errors.Is(err, ErrNoDevice) {
		t.Errorf("Open(other) = %v, want ErrNoDevice", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := key.Info(ctx); !errors.Is(err, ErrCancelled) {
		t.Errorf("Info with a cancelled context = %v, want ErrCancelled", err)
	}
}
