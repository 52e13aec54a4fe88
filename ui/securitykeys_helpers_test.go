package ui

import (
	"context"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"selfservice/app"
	"selfservice/hw"
)

// keyPIN is the PIN the tests give the virtual key.
const keyPIN = "2468"

// touches stands for the user's finger on a software key: every touch
// the key waits for is held until the test gives it.
type touches struct {
	ch chan error
}

func newTouches() *touches { return &touches{ch: make(chan error)} }

// presence is a hw.SoftwareOptions.Presence that waits for give.
func (p *touches) presence(ctx context.Context) error {
	select {
	case err := <-p.ch:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// give answers the touch the key waits for now: nil is a touch.
func (p *touches) give(err error) { p.ch <- err }

// newVirtualKey is a software key with a fingerprint sensor, in memory.
// With presence nil every touch happens at once.
func newVirtualKey(t *testing.T, presence func(context.Context) error) *hw.Software {
	t.Helper()
	key, err := hw.NewSoftware(hw.SoftwareOptions{Presence: presence, Fingerprints: true})
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// withPIN sets keyPIN on key.
func withPIN(t *testing.T, key *hw.Software) *hw.Software {
	t.Helper()
	if err := key.SetPIN(context.Background(), keyPIN); err != nil {
		t.Fatal(err)
	}
	return key
}

// pluggable is a provider whose software key is plugged in or not.
type pluggable struct {
	key *hw.Software
	mu  sync.Mutex
	in  bool
}

func (p *pluggable) plug(in bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.in = in
}

func (p *pluggable) Devices(ctx context.Context) ([]hw.DeviceInfo, error) {
	p.mu.Lock()
	in := p.in
	p.mu.Unlock()
	if !in {
		return []hw.DeviceInfo{}, nil
	}
	return p.key.Devices(ctx)
}

func (p *pluggable) Open(path string) (hw.Authenticator, error) { return p.key.Open(path) }

// deniedKey is a provider that finds a key this user may not open, as
// libfido2 does on Linux without a udev rule.
type deniedKey struct{}

func (deniedKey) Devices(context.Context) ([]hw.DeviceInfo, error) {
	return nil, hw.ErrNoPermission
}

func (deniedKey) Open(string) (hw.Authenticator, error) { return nil, hw.ErrNoPermission }

// keysOptions gives the UI the providers.
func keysOptions(providers ...hw.Provider) Options {
	return Options{Keys: app.NewKeys(providers...)}
}

// openSecurityKeys opens the Security keys area from the sign-in screen.
func (f *fixture) openSecurityKeys() *securityKeysScreen {
	f.t.Helper()
	f.signInScreen()
	test.Tap(securityKeysButton(f.ui).(*widget.Button))
	var s *securityKeysScreen
	f.waitFor("the Security keys screen", func() bool { s, _ = f.ui.current.(*securityKeysScreen); return s != nil })
	return s
}

// keyShown waits until the area shows a key with its tabs.
func (f *fixture) keyShown(s *securityKeysScreen) *keyDetail {
	f.t.Helper()
	f.waitFor("a key with its tabs", func() bool { return s.key != nil && s.key.tabs != nil })
	return s.key
}

// selectTab shows the tab with the given title.
func (f *fixture) selectTab(d *keyDetail, title string) {
	f.t.Helper()
	for _, item := range d.tabs.Items {
		if item.Text == title {
			d.tabs.Select(item)
			return
		}
	}
	f.t.Fatalf("no %q tab", title)
}

// unlock types the key's PIN into a tab's PIN gate.
func (f *fixture) unlock(g *pinGate, pin string) {
	f.t.Helper()
	g.pin.SetText("")
	test.Type(g.pin, pin)
	test.Tap(g.unlock)
}
