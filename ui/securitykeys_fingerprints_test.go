package ui

import (
	"context"
	"fmt"
	"testing"

	"fyne.io/fyne/v2/test"

	"selfservice/hw"
)

// openFingerprints shows the Fingerprints tab of the only key, unlocked.
func openFingerprints(t *testing.T, f *fixture) (*keyDetail, *fingerprintsTab) {
	t.Helper()
	d := f.keyShown(f.openSecurityKeys())
	f.selectTab(d, "Fingerprints")
	fp := d.fingerprints
	f.unlock(fp.gate, keyPIN)
	f.waitFor("the fingerprints", func() bool { return fp.loaded })
	return d, fp
}

func TestFingerprintsAddRenameDelete(t *testing.T) {
	finger := newTouches()
	key := withPIN(t, newVirtualKey(t, finger.presence))
	f := newFixture(t, keysOptions(key))
	d, fp := openFingerprints(t, f)
	if len(fp.rows) != 0 || !showsText(fp.state, "No fingerprint is enrolled") {
		t.Fatalf("%d fingerprints listed on a new key", len(fp.rows))
	}

	test.Tap(fp.add)
	e := fp.enroll
	test.Type(e.name, "Right index")
	test.Tap(e.dlg.confirm)
	f.waitFor("the first request", func() bool { return contains(e.dlg.status.Text, "Lay your finger") })
	for i, want := range []string{"3 more samples", "2 more samples", "1 more sample"} {
		finger.give(nil)
		f.waitFor("sample "+fmt.Sprint(i+1), func() bool { return contains(e.dlg.status.Text, want) })
		if got, want := e.samples.Value, float64(i+1)/4; got != want {
			t.Errorf("progress after sample %d = %v, want %v", i+1, got, want)
		}
	}
	finger.give(nil)
	f.waitFor("the enrolled fingerprint", func() bool { return e.dlg.message.message() != "" })
	if e.samples.Value != 1 {
		t.Errorf("progress after the last sample = %v, want 1", e.samples.Value)
	}
	if got, want := e.dlg.message.message(), "“Right index” is enrolled"; !contains(got, want) {
		t.Errorf("message %q, want %q", got, want)
	}
	f.waitFor("the list", func() bool { return fp.loaded && len(fp.rows) == 1 })
	if got := fp.rows[0].print.Name; got != "Right index" {
		t.Errorf("fingerprint %q, want Right index", got)
	}
	f.waitFor("the key's new state", func() bool {
		return showsText(d.overview.grid, "Enrolled: the key checks your fingerprint")
	})
	test.Tap(e.dlg.dismiss)

	test.Tap(fp.rows[0].rename)
	dlg := fp.dialog
	name := dlg.inputs[0].(*entry)
	name.SetText("")
	test.Tap(dlg.confirm)
	if got := dlg.fields["name"].Text; !contains(got, "Enter a name") {
		t.Errorf("empty name error %q, want Enter a name", got)
	}
	test.Type(name, "Left thumb")
	test.Tap(dlg.confirm)
	f.waitFor("the new name", func() bool { return fp.loaded && len(fp.rows) == 1 && fp.rows[0].print.Name == "Left thumb" })

	test.Tap(fp.rows[0].delete)
	test.Tap(fp.dialog.confirm)
	f.waitFor("the deletion", func() bool { return fp.loaded && len(fp.rows) == 0 })
	prints, err := key.Fingerprints(context.Background(), keyPIN)
	if err != nil || len(prints) != 0 {
		t.Errorf("fingerprints on the key = %v, %v; want none", prints, err)
	}
}

func TestFingerprintEnrollmentCanBeCancelled(t *testing.T) {
	finger := newTouches()
	key := withPIN(t, newVirtualKey(t, finger.presence))
	f := newFixture(t, keysOptions(key))
	_, fp := openFingerprints(t, f)

	test.Tap(fp.add)
	e := fp.enroll
	test.Tap(e.dlg.confirm)
	f.waitFor("the first request", func() bool { return contains(e.dlg.status.Text, "Lay your finger") })
	test.Tap(e.dlg.dismiss)

	if e.dlg.ctx.Err() == nil {
		t.Error("the enrollment goes on after Cancel")
	}
	prints, err := key.Fingerprints(context.Background(), keyPIN)
	if err != nil || len(prints) != 0 {
		t.Errorf("fingerprints on the key = %v, %v; want none", prints, err)
	}
}

// noBioEnroll is a key that lists fingerprints but cannot enroll them
// from this app, as with libfido2.
type noBioEnroll struct{ *hw.Software }

func (noBioEnroll) EnrollFingerprint(context.Context, string, string, func(hw.Event)) (hw.Fingerprint, error) {
	return hw.Fingerprint{}, fmt.Errorf("fingerprint enrollment: %w", hw.ErrNotSupported)
}

// noBioEnrollProvider offers a noBioEnroll key.
type noBioEnrollProvider struct{ key noBioEnroll }

func (p noBioEnrollProvider) Devices(ctx context.Context) ([]hw.DeviceInfo, error) {
	return p.key.Devices(ctx)
}

func (p noBioEnrollProvider) Open(string) (hw.Authenticator, error) { return p.key, nil }

func TestFingerprintEnrollmentNotSupportedIsExplained(t *testing.T) {
	key := noBioEnroll{withPIN(t, newVirtualKey(t, nil))}
	f := newFixture(t, keysOptions(noBioEnrollProvider{key}))
	_, fp := openFingerprints(t, f)

	test.Tap(fp.add)
	e := fp.enroll
	test.Tap(e.dlg.confirm)
	f.waitFor("the error", func() bool { return e.dlg.message.message() != "" })
	if got, want := e.dlg.message.message(), "does not support that"; !contains(got, want) {
		t.Errorf("message %q, want %q", got, want)
	}
}

func TestKeyWithoutSensorHasNoFingerprintsTab(t *testing.T) {
	key, err := hw.NewSoftware(hw.SoftwareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, keysOptions(key))
	d := f.keyShown(f.openSecurityKeys())
	for _, item := range d.tabs.Items {
		if item.Text == "Fingerprints" {
			t.Error("a Fingerprints tab for a key without a sensor")
		}
	}
}
