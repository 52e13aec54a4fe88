package ui

import (
	"context"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"selfservice/hw"
)

func TestSecurityKeysShowTheVirtualKeyWithoutSigningIn(t *testing.T) {
	f := newFixture(t, keysOptions(newVirtualKey(t, nil)))
	s := f.openSecurityKeys()
	d := f.keyShown(s)

	if f.session.SignedIn() {
		t.Fatal("signed in; the area must work without")
	}
	want := map[string]string{
		"Product":                    "Virtual security key",
		"Manufacturer":               "Selfservice",
		"Connection":                 "Virtual key (demo)",
		"FIDO versions":              "FIDO 2.0, FIDO 2.1",
		"Model (AAGUID)":             "73656c66-7365-7276-6963-652d766b6579", // "selfservice-vkey"
		"Passkeys stored on the key": "Yes",
		"Passkey management":         "Yes",
		"Fingerprints":               "Sensor present, no fingerprint enrolled",
	}
	got := map[string]string{}
	for _, fact := range d.overview.facts {
		got[fact.label] = fact.value
	}
	for label, value := range want {
		if got[label] != value {
			t.Errorf("%s = %q, want %q", label, got[label], value)
		}
	}
	if _, ok := got["PIN attempts left"]; ok {
		t.Error("PIN attempts shown for a key without a PIN")
	}
	if !showsText(d.overview.grid, "Virtual security key") {
		t.Error("the facts are not on screen")
	}
	o := d.overview
	if o.pinStatus.Text != "No PIN is set." || !o.setPIN.Visible() || o.changePIN.Visible() {
		t.Errorf("PIN status %q, Set PIN shown %v, Change PIN shown %v; want no PIN and only Set PIN",
			o.pinStatus.Text, o.setPIN.Visible(), o.changePIN.Visible())
	}
	if got, want := o.virtual.message(), "virtual security key of the demo"; !contains(got, want) {
		t.Errorf("virtual key note %q, want it to contain %q", got, want)
	}
	var titles []string
	for _, item := range d.tabs.Items {
		titles = append(titles, item.Text)
	}
	if want := []string{"Overview", "Passkeys", "Fingerprints", "Reset"}; !slices.Equal(titles, want) {
		t.Errorf("tabs %v, want %v", titles, want)
	}
	if s.picker.Visible() {
		t.Error("a key picker is shown for a single key")
	}

	test.Tap(s.back)
	f.signInScreen()
	if d.ctx.Err() == nil {
		t.Error("the key's operations go on after leaving the area")
	}
}

func TestSecurityKeysWaitForAKeyToBeInserted(t *testing.T) {
	slot := &pluggable{key: newVirtualKey(t, nil)}
	f := newFixture(t, keysOptions(hw.Libfido2{}, slot)) // no real key can be attached here
	s := f.openSecurityKeys()

	f.waitFor("the waiting state", func() bool { return s.waiting })
	if !showsText(s.state, "Insert a security key") {
		t.Error("the waiting state does not ask for a key")
	}
	if s.key != nil {
		t.Error("a key is shown while none is plugged in")
	}

	slot.plug(true)
	d := f.keyShown(s)
	if s.waiting || d.dev.Path != hw.SoftwarePath {
		t.Errorf("waiting %v, key %q after plugging it in; want the virtual key", s.waiting, d.dev.Path)
	}
}

func TestSecurityKeysExplainAKeyThatMayNotBeOpened(t *testing.T) {
	t.Run("only that key", func(t *testing.T) {
		f := newFixture(t, keysOptions(deniedKey{}))
		s := f.openSecurityKeys()
		f.waitFor("the error", func() bool { return s.failed.message() != "" })
		if got, want := s.failed.message(), "this user may not open it"; !contains(got, want) || !contains(got, "udev") {
			t.Errorf("message %q, want it to contain %q and the udev hint", got, want)
		}
		if s.waiting || s.key != nil {
			t.Errorf("waiting %v, key shown %v; a key that is present must not be waited for", s.waiting, s.key != nil)
		}
		if s.failed.action.Text != "Retry" {
			t.Errorf("action %q, want Retry", s.failed.action.Text)
		}
	})
	t.Run("beside another key", func(t *testing.T) {
		f := newFixture(t, keysOptions(deniedKey{}, newVirtualKey(t, nil)))
		s := f.openSecurityKeys()
		f.keyShown(s)
		if got := s.problem.message(); !contains(got, "udev") {
			t.Errorf("warning %q, want the udev hint", got)
		}
	})
}

func TestSecurityKeysPickAmongSeveralKeys(t *testing.T) {
	first, second := &pluggable{key: newVirtualKey(t, nil)}, &renamedKey{newVirtualKey(t, nil)}
	first.plug(true)
	f := newFixture(t, keysOptions(first, second))
	s := f.openSecurityKeys()
	d := f.keyShown(s)
	if !s.picker.Visible() || len(s.picker.Options) != 2 {
		t.Fatalf("picker shown %v with %v; want two keys to choose from", s.picker.Visible(), s.picker.Options)
	}
	if d.dev.Path != hw.SoftwarePath {
		t.Errorf("first key shown %q, want %q", d.dev.Path, hw.SoftwarePath)
	}

	s.picker.SetSelectedIndex(1)
	d2 := f.keyShown(s)
	if d2 == d || d2.dev.Path != renamedPath {
		t.Errorf("key shown %q after choosing the second, want %q", d2.dev.Path, renamedPath)
	}
	if d.ctx.Err() == nil {
		t.Error("the first key's operations go on after choosing another")
	}
}

func TestSecurityKeysAreAnAreaOfTheMainWindow(t *testing.T) {
	f := newFixture(t, keysOptions(newVirtualKey(t, nil)))
	m := f.signIn("demo")
	i := slices.IndexFunc(m.areas, func(a area) bool { return a.name == "Security keys" })
	if i < 0 || m.keys == nil {
		t.Fatal("no Security keys area")
	}

	m.nav.Select(i)
	d := f.keyShown(m.keys)
	m.nav.Select(0)
	if d.ctx.Err() == nil {
		t.Error("the area's work goes on after choosing another area")
	}

	f2 := newFixture(t, Options{})
	if securityKeysButton(f2.ui).Visible() {
		t.Error("the Security keys button is shown without access to keys")
	}
	m2 := f2.signIn("demo")
	if slices.ContainsFunc(m2.areas, func(a area) bool { return a.name == "Security keys" }) || m2.keys != nil {
		t.Error("a Security keys area without access to keys")
	}
}

// renamedPath is the path of a renamedKey.
const renamedPath = "virtual-2"

// renamedKey is a second software key, at another path.
type renamedKey struct{ key *hw.Software }

func (r *renamedKey) Devices(ctx context.Context) ([]hw.DeviceInfo, error) {
	devices, err := r.key.Devices(ctx)
	for i := range devices {
		devices[i].Path = renamedPath
	}
	return devices, err
}

func (r *renamedKey) Open(path string) (hw.Authenticator, error) {
	if path != renamedPath {
		return nil, hw.ErrNoDevice
	}
	return r.key, nil
}

// showsText reports whether o, or something visible in it, shows text
// (ignoring case).
func showsText(o fyne.CanvasObject, text string) bool {
	if o == nil || !o.Visible() {
		return false
	}
	switch w := o.(type) {
	case *widget.Label:
		return contains(w.Text, text)
	case *widget.RichText:
		return contains(w.String(), text)
	case *canvas.Text:
		return contains(w.Text, text)
	case *fyne.Container:
		return slices.ContainsFunc(w.Objects, func(c fyne.CanvasObject) bool { return showsText(c, text) })
	case fyne.Widget:
		return slices.ContainsFunc(test.WidgetRenderer(w).Objects(), func(c fyne.CanvasObject) bool { return showsText(c, text) })
	}
	return false
}
