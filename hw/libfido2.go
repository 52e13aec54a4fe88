//go:build cgo

package hw

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/fxamacker/cbor/v2"
	libfido2 "github.com/keys-pub/go-libfido2"
)

// Libfido2 reaches the security keys attached to this computer through
// libfido2: USB keys, and NFC keys where libfido2 was built with PC/SC.
// The zero value is ready to use.
//
// Gaps of the go-libfido2 binding and what this package does about them:
//   - It cannot pass an exclude list to makeCredential: MakeCredential
//     first asks the key, without a touch, whether it holds one of the
//     excluded credentials (see excludedOnKey).
//   - It can cancel only a device it has open, and opens the device inside
//     each call: a cancelled context repeats Device.Cancel until the call
//     returns (see run).
//   - Its BioEnroll prints to standard output and waits a fixed 10 s per
//     sample without progress or cancel: EnrollFingerprint returns
//     ErrNotSupported; list, rename and delete work.
//   - The C copies it makes of PINs are never freed (nor wiped): PINs are
//     passed only to the calls that need them.
//   - It returns only the first assertion, so a username-less sign-in with
//     several accounts on one key uses the key's first choice.
//   - It has no separate change-PIN call: ChangePIN is SetPIN with the old
//     PIN, which libfido2 turns into changePIN.
type Libfido2 struct{}

var _ Provider = Libfido2{}

// Devices lists the keys libfido2 finds. With none it returns an empty
// list, unless a key is present that this user may not open (Linux without
// a udev rule): then ErrNoPermission. On Windows without administrator
// rights it returns ErrNeedsAdmin.
func (Libfido2) Devices(ctx context.Context) ([]DeviceInfo, error) {
	if err := contextError(ctx); err != nil {
		return nil, err
	}
	if needsAdmin() {
		return nil, ErrNeedsAdmin
	}
	locations, err := libfido2.DeviceLocations()
	if err != nil {
		return nil, fmt.Errorf("list fido2 devices: %w", err)
	}
	devices := make([]DeviceInfo, 0, len(locations))
	for _, l := range locations {
		devices = append(devices, DeviceInfo{
			Path:         l.Path,
			Product:      l.Product,
			Manufacturer: l.Manufacturer,
			Transport:    transportOf(l.Path),
		})
	}
	if len(devices) == 0 {
		if denied := deniedKeys(); len(denied) > 0 {
			return devices, fmt.Errorf("%w: %s", ErrNoPermission, strings.Join(denied, ", "))
		}
	}
	return devices, nil
}

// Open returns the key at path. It does no I/O.
func (Libfido2) Open(path string) (Authenticator, error) {
	if path == "" {
		return nil, fmt.Errorf("open: empty path: %w", ErrNoDevice)
	}
	return &libfido2Device{path: path}, nil
}

// transportOf guesses the transport from a libfido2 device path.
func transportOf(path string) string {
	switch {
	case strings.HasPrefix(path, "pcsc://"), strings.HasPrefix(path, "nfc:"):
		return TransportNFC
	case strings.HasPrefix(path, "windows://"):
		return TransportInternal
	}
	return TransportUSB
}

// libfido2Device is one key. Every operation opens and closes the device,
// as go-libfido2 does.
type libfido2Device struct {
	mu   sync.Mutex
	path string // changes when the key comes back elsewhere after a reset
}

var _ Authenticator = (*libfido2Device)(nil)

func (d *libfido2Device) currentPath() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.path
}

// cancelRetry is how often a cancelled operation repeats Device.Cancel.
const cancelRetry = 100 * time.Millisecond

// run calls op with a go-libfido2 Device for path. When ctx ends while op
// blocks (waiting for a touch), it calls Device.Cancel, again every
// cancelRetry until op returns: go-libfido2 opens the device inside op and
// its Cancel does nothing while the device is not open yet, so one early
// Cancel could be lost. (go-libfido2 sets its open handle without its
// lock, a data race with Cancel that this cannot avoid.) A cancelled op
// returns ErrCancelled or ErrTimeout from the context; other errors are
// returned as go-libfido2 made them, for the caller to map.
func run(ctx context.Context, path string, op func(dev *libfido2.Device) error) error {
	if err := contextError(ctx); err != nil {
		return err
	}
	if needsAdmin() {
		return ErrNeedsAdmin
	}
	dev, err := libfido2.NewDevice(path)
	if err != nil {
		return err
	}
	done := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		ticker := time.NewTicker(cancelRetry)
		defer ticker.Stop()
		for {
			_ = dev.Cancel() // best effort: op's own result tells what happened
			select {
			case <-done:
				return
			case <-ticker.C:
			}
		}
	})
	err = op(dev)
	close(done)
	stop()
	if err != nil && ctx.Err() != nil {
		return contextError(ctx)
	}
	return err
}

// unwrapAuthData returns the raw authenticator data that libfido2 hands
// out CBOR-encoded (a CBOR byte string).
func unwrapAuthData(encoded []byte) ([]byte, error) {
	var raw []byte
	if err := cbor.Unmarshal(encoded, &raw); err != nil {
		return nil, fmt.Errorf("decode authenticator data: %w", err)
	}
	return raw, nil
}

// optionValue is libfido2's tri-state option: omitted (the key's default)
// unless on.
func optionValue(on bool) libfido2.OptionValue {
	if on {
		return libfido2.True
	}
	return libfido2.Default
}
