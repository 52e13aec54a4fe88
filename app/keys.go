package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"selfservice/hw"
)

// keyPollInterval is how often Keys looks for a newly inserted key.
const keyPollInterval = 250 * time.Millisecond

// Keys reaches the FIDO2 security keys of this computer through one or
// more providers: libfido2 for real keys and, in demo mode, the virtual
// security key. It works without a server or a session.
type Keys struct {
	providers []hw.Provider
}

// NewKeys returns Keys over providers, listed in that order.
func NewKeys(providers ...hw.Provider) *Keys {
	return &Keys{providers: providers}
}

// Devices lists the keys present now, of every provider. A provider that
// fails (no permission, not compiled in) does not hide the others' keys:
// its error is returned only when no provider found a key. Use Scan to
// get the errors always.
func (k *Keys) Devices(ctx context.Context) ([]hw.DeviceInfo, error) {
	devices, err := k.Scan(ctx)
	if len(devices) > 0 {
		return devices, nil
	}
	return nil, err
}

// Scan lists the keys present now, like Devices, and also returns the
// errors of the providers that failed, even when others found keys: a
// key this user may not open (no permission, needs administrator) is
// worth telling while the virtual key is listed.
func (k *Keys) Scan(ctx context.Context) ([]hw.DeviceInfo, error) {
	var devices []hw.DeviceInfo
	var errs []error
	for _, p := range k.providers {
		d, err := p.Devices(ctx)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		devices = append(devices, d...)
	}
	return devices, errors.Join(errs...)
}

// Open returns the key at path, a DeviceInfo.Path from Devices.
func (k *Keys) Open(path string) (hw.Authenticator, error) {
	for _, p := range k.providers {
		devices, err := p.Devices(context.Background())
		if err != nil {
			continue
		}
		for _, d := range devices {
			if d.Path == path {
				return p.Open(path)
			}
		}
	}
	return nil, fmt.Errorf("open %q: %w", path, hw.ErrNoDevice)
}

// WaitForKey returns the keys present as soon as there is at least one,
// reporting hw.InsertKey once while it waits. It ends with ctx.
func (k *Keys) WaitForKey(ctx context.Context, events func(hw.Event)) ([]hw.DeviceInfo, error) {
	return hw.WaitForKey(ctx, k, keyPollInterval, events)
}
