//go:build cgo && linux

package hw

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// A YubiKey's FIDO interface and a keyboard, as their report descriptors
// start.
var (
	fidoDescriptor     = []byte{0x06, 0xd0, 0xf1, 0x09, 0x01, 0xa1, 0x01, 0x09, 0x20, 0x15, 0x00, 0x26, 0xff, 0x00, 0x75, 0x08, 0x95, 0x40, 0x81, 0x02, 0xc0}
	keyboardDescriptor = []byte{0x05, 0x01, 0x09, 0x06, 0xa1, 0x01, 0x05, 0x07, 0x19, 0xe0, 0x29, 0xe7, 0x15, 0x00, 0x25, 0x01, 0xc0}
)

func TestIsFIDOReportDescriptor(t *testing.T) {
	tests := []struct {
		name string
		desc []byte
		want bool
	}{
		{"fido", fidoDescriptor, true},
		{"keyboard", keyboardDescriptor, false},
		{"four-byte usage page", []byte{0x07, 0xd0, 0xf1, 0x00, 0x00}, true},
		{"after a long item", []byte{0xfe, 0x02, 0x10, 0xaa, 0xbb, 0x06, 0xd0, 0xf1}, true},
		{"usage, not usage page", []byte{0x0a, 0xd0, 0xf1}, false},
		{"truncated", []byte{0x06, 0xd0}, false},
		{"empty", nil, false},
	}
	for _, tt := range tests {
		if got := isFIDOReportDescriptor(tt.desc); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestDeniedFIDONodes(t *testing.T) {
	sys := t.TempDir()
	for name, desc := range map[string][]byte{"hidraw0": keyboardDescriptor, "hidraw1": fidoDescriptor, "hidraw2": fidoDescriptor} {
		dir := filepath.Join(sys, name, "device")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "report_descriptor"), desc, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var opened []string
	open := func(path string) error {
		opened = append(opened, path)
		if path == "/dev/hidraw2" {
			return nil // this key has its udev rule
		}
		return ErrNoPermission
	}
	got := deniedFIDONodes(sys, "/dev", open)
	if want := []string{"/dev/hidraw1"}; !slices.Equal(got, want) {
		t.Errorf("denied = %v, want %v", got, want)
	}
	if want := []string{"/dev/hidraw1", "/dev/hidraw2"}; !slices.Equal(opened, want) {
		t.Errorf("opened %v, want only the FIDO nodes %v", opened, want)
	}
	if got := deniedFIDONodes(filepath.Join(sys, "missing"), "/dev", open); got != nil {
		t.Errorf("without sysfs: %v, want nil", got)
	}
}

func TestAccessError(t *testing.T) {
	if err := accessError("pcsc://slot0"); err != nil {
		t.Errorf("accessError of a non-file path = %v, want nil", err)
	}
	if err := accessError("/dev/hidraw-that-does-not-exist"); err != ErrNoDevice {
		t.Errorf("accessError of a missing node = %v, want ErrNoDevice", err)
	}
	if err := accessError("/dev/null"); err != nil {
		t.Errorf("accessError of an accessible node = %v, want nil", err)
	}
}
