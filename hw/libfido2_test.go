//go:build cgo

package hw

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	libfido2 "github.com/keys-pub/go-libfido2"
)

// Tests against a real key run only when SELFSERVICE_FIDO2_DEVICE names
// its path (for example /dev/hidraw3); they need touches. Set
// SELFSERVICE_FIDO2_PIN when the key has a PIN. The reset test also needs
// SELFSERVICE_FIDO2_ALLOW_RESET=1: it deletes everything on the key.
const (
	envDevice     = "SELFSERVICE_FIDO2_DEVICE"
	envPIN        = "SELFSERVICE_FIDO2_PIN"
	envAllowReset = "SELFSERVICE_FIDO2_ALLOW_RESET"
)

func TestLibfido2DevicesWithoutKey(t *testing.T) {
	if os.Getenv(envDevice) != "" {
		t.Skipf("%s is set: a key may be attached", envDevice)
	}
	devices, err := Libfido2{}.Devices(context.Background())
	if err != nil || devices == nil || len(devices) != 0 {
		t.Errorf("Devices = %#v, %v, want an empty list and no error", devices, err)
	}
}

func TestLibfido2MissingDevice(t *testing.T) {
	key, err := Libfido2{}.Open(filepath.Join(t.TempDir(), "hidraw9"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if _, err := key.Info(context.Background()); !errors.Is(err, ErrNoDevice) {
		t.Errorf("Info of a missing device = %v, want ErrNoDevice", err)
	}
	if _, err := (Libfido2{}).Open(""); !errors.Is(err, ErrNoDevice) {
		t.Errorf("Open(\"\") = %v, want ErrNoDevice", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := key.Info(ctx); !errors.Is(err, ErrCancelled) {
		t.Errorf("Info with a cancelled context = %v, want ErrCancelled", err)
	}
}

func TestMapLibfido2Error(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("failed to get assertion: %w", err) }
	tests := []struct {
		in   error
		want error
	}{
		{wrap(libfido2.ErrPinInvalid), ErrWrongPIN},
		{wrap(libfido2.ErrPinRequired), ErrPINRequired},
		{wrap(libfido2.ErrPinNotSet), ErrPINNotSet},
		{wrap(libfido2.ErrPinAuthBlocked), ErrPINAuthBlocked},
		{wrap(libfido2.Error{Code: ctapPINBlocked}), ErrPINBlocked},
		{wrap(libfido2.ErrPinPolicyViolation), ErrPINPolicy},
		{wrap(libfido2.ErrActionTimeout), ErrTimeout},
		{wrap(libfido2.Error{Code: ctapUserActionTimeout}), ErrTimeout},
		{wrap(libfido2.ErrKeepaliveCancel), ErrCancelled},
		{wrap(libfido2.ErrNoCredentials), ErrNoCredentials},
		{wrap(libfido2.Error{Code: ctapCredentialExcluded}), ErrCredentialExcluded},
		{wrap(libfido2.Error{Code: ctapKeyStoreFull}), ErrKeyStoreFull},
		{wrap(libfido2.ErrOperationDenied), ErrDenied},
		{wrap(libfido2.ErrUnsupportedOption), ErrNotSupported},
		{wrap(libfido2.ErrNotFIDO2), ErrNotSupported},
		{wrap(libfido2.Error{Code: ctapUnsupportedAlgorithm}), ErrNotSupported},
		{wrap(libfido2.ErrTX), nil},
		{wrap(libfido2.Error{Code: 0x7e}), nil},
	}
	for _, tt := range tests {
		if got := mapLibfido2Error(tt.in); got != tt.want {
			t.Errorf("mapLibfido2Error(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestLibfido2Fail(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "hidraw9")
	var ev events
	err := fail("get assertion", missing, fmt.Errorf("failed: %w", libfido2.ErrPinInvalid), ev.add)
	var wrong *WrongPINError
	if !errors.As(err, &wrong) || wrong.RetriesLeft != -1 {
		t.Errorf("wrong pin on an unreachable key = %v, want *WrongPINError with -1 retries", err)
	}

	err = fail("get assertion", missing, fmt.Errorf("failed: %w", libfido2.ErrPinRequired), ev.add)
	if !errors.Is(err, ErrPINRequired) || !slices.Equal(ev.got, []Event{{Kind: PINNeeded, RetriesLeft: -1}}) {
		t.Errorf("pin required = %v with events %+v, want ErrPINRequired and PINNeeded", err, ev.got)
	}

	err = fail("get info", missing, fmt.Errorf("failed to open: %w", libfido2.ErrInternal), nil)
	if !errors.Is(err, ErrNoDevice) {
		t.Errorf("open failure of a missing node = %v, want ErrNoDevice", err)
	}
	if err := fail("get info", "pcsc://slot0", libfido2.ErrRX, nil); err == nil || errors.Is(err, ErrNoDevice) {
		t.Errorf("unmapped error = %v, want it passed on", err)
	}
	if err := fail("x", missing, nil, nil); err != nil {
		t.Errorf("fail(nil) = %v", err)
	}
}

func TestTransportOf(t *testing.T) {
	tests := map[string]string{
		"/dev/hidraw0":          TransportUSB,
		"IOService:/AppleACPI":  TransportUSB,
		"pcsc://slot0":          TransportNFC,
		"nfc:pn533_usb:1-2":     TransportNFC,
		"windows://hello":       TransportInternal,
		`\\?\hid#vid_1050&pid_`: TransportUSB,
	}
	for path, want := range tests {
		if got := transportOf(path); got != want {
			t.Errorf("transportOf(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestLibfido2Algorithm(t *testing.T) {
	tests := []struct {
		in   []int
		want libfido2.CredentialType
		err  error
	}{
		{in: nil, want: libfido2.ES256},
		{in: []int{-36, AlgEdDSA, AlgES256}, want: libfido2.EDDSA},
		{in: []int{AlgRS256}, want: libfido2.RS256},
		{in: []int{-36}, err: ErrNotSupported},
	}
	for _, tt := range tests {
		got, err := libfido2Algorithm(tt.in)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("libfido2Algorithm(%v) = %v, %v, want %v, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestUnwrapAuthData(t *testing.T) {
	raw := []byte{1, 2, 3, 4}
	encoded, err := ctap2CBOR.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	got, err := unwrapAuthData(encoded)
	if err != nil || !slices.Equal(got, raw) {
		t.Errorf("unwrapAuthData = %v, %v, want %v", got, err, raw)
	}
	if _, err := unwrapAuthData([]byte{0xff}); err == nil {
		t.Error("broken CBOR accepted")
	}
}

// Real keys: each test below needs the key named by SELFSERVICE_FIDO2_DEVICE.

func realKey(t *testing.T) (Authenticator, string) {
	t.Helper()
	path := os.Getenv(envDevice)
	if path == "" {
		t.Skipf("set %s to the path of a key to run this test", envDevice)
	}
	key, err := Libfido2{}.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return key, os.Getenv(envPIN)
}

func logEvents(t *testing.T) func(Event) {
	return func(e Event) { t.Logf("key: %v", e.Kind) }
}

func TestRealKeyInfo(t *testing.T) {
	key, _ := realKey(t)
	devices, err := Libfido2{}.Devices(context.Background())
	if err != nil || !containsPath(devices, os.Getenv(envDevice)) {
		t.Errorf("Devices = %+v, %v, want the key among them", devices, err)
	}
	info, err := key.Info(context.Background())
	if err != nil {
		t.Fatalf("Info: %v", err)
	}
	t.Logf("info: %+v", info)
	if !info.FIDO2() || len(info.AAGUID) != 16 {
		t.Errorf("versions %v, AAGUID %x: want a FIDO2 key with a 16-byte AAGUID", info.Versions, info.AAGUID)
	}
}

func TestRealKeyRegisterAndSignIn(t *testing.T) {
	key, pin := realKey(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rp, user := newRP(t), newUser("hardware-test")
	options, session := beginRegistration(t, rp, user)
	t.Log("touch the key to register")
	response, err := Register(ctx, key, options, "", pin, logEvents(t))
	if err != nil {
		t.Fatalf("Register: %v", err)
	}
	cred, err := finishRegistration(rp, user, session, response)
	if err != nil {
		t.Fatalf("registration refused: %s", describe(err))
	}
	user.credentials = append(user.credentials, *cred)

	loginOptions, loginSession := beginLogin(t, rp, user)
	t.Log("touch the key to sign in")
	response, err = Authenticate(ctx, key, loginOptions, "", pin, logEvents(t))
	if err != nil {
		t.Fatalf("Authenticate: %v", err)
	}
	if _, err := finishLogin(rp, user, loginSession, response); err != nil {
		t.Fatalf("login refused: %s", describe(err))
	}
}

func TestRealKeyReset(t *testing.T) {
	key, _ := realKey(t)
	if os.Getenv(envAllowReset) != "1" {
		t.Skipf("set %s=1 as well to reset the key; it deletes every credential on it", envAllowReset)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	t.Log("remove the key, insert it again, then touch it")
	if err := key.Reset(ctx, logEvents(t)); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	info, err := key.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.PINSet() {
		t.Error("pin still set after reset")
	}
}
