package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"

	"selfservice/hw"
)

// resetKey is a key with a PIN and a passkey whose touches the test gives.
func resetKey(t *testing.T) (*hw.Software, *touches) {
	t.Helper()
	finger := newTouches()
	key := withPIN(t, newVirtualKey(t, finger.presence))
	go finger.give(nil) // the touch that stores the passkey
	addPasskey(t, key, "example.org", "alice@example.org")
	return key, finger
}

// startReset opens the reset, confirms it and waits for the touch request.
func startReset(t *testing.T, f *fixture, d *keyDetail) *resetDialog {
	t.Helper()
	f.selectTab(d, "Reset")
	test.Tap(d.reset.start)
	r := d.reset.dialog
	test.Type(r.confirmText, "RESET")
	test.Tap(r.confirm)
	f.waitFor("the touch request", func() bool { return contains(r.status.Text, "touch the key now") })
	return r
}

func TestResetNeedsTheTypedConfirmationAndDeletesEverything(t *testing.T) {
	key, finger := resetKey(t)
	f := newFixture(t, keysOptions(key))
	d := f.keyShown(f.openSecurityKeys())
	f.selectTab(d, "Reset")
	if !showsText(d.tabs.Selected().Content, "deletes everything on the key") {
		t.Error("the Reset tab does not say what is lost")
	}

	test.Tap(d.reset.start)
	r := d.reset.dialog
	for _, typed := range []string{"", "RESE", "reset the key"} {
		r.confirmText.SetText(typed)
		if !r.confirm.Disabled() {
			t.Errorf("Reset key is enabled after typing %q", typed)
		}
	}
	r.confirmText.SetText("")
	test.Type(r.confirmText, "RESET")
	if r.confirm.Disabled() {
		t.Fatal("Reset key stays disabled after typing RESET")
	}
	test.Tap(r.confirm)
	f.waitFor("the touch request", func() bool { return contains(r.status.Text, "touch the key now") })
	finger.give(nil)
	f.waitFor("the reset", func() bool { return r.message.message() != "" })

	if got, want := r.message.message(), "The key is reset"; !contains(got, want) {
		t.Errorf("message %q, want %q", got, want)
	}
	f.waitFor("the key read again", func() bool {
		d := shownKey(f)
		return d != nil && d.overview != nil && d.overview.pinStatus.Text == "No PIN is set."
	})
	f.selectTab(shownKey(f), "Passkeys")
	if !showsText(shownKey(f).passkeys.state, "this key has no PIN yet") {
		t.Error("the Passkeys tab after the reset does not say that the key needs a PIN")
	}
	if err := key.SetPIN(context.Background(), keyPIN); err != nil {
		t.Fatal(err)
	}
	if rps, err := key.Credentials(context.Background(), keyPIN); err != nil || len(rps) != 0 {
		t.Errorf("passkeys after the reset = %+v, %v; want none", rps, err)
	}
}

// shownKey is the key shown in the Security keys screen, or nil.
func shownKey(f *fixture) *keyDetail {
	if screen, ok := f.ui.current.(*securityKeysScreen); ok {
		return screen.key
	}
	return nil
}

func TestResetCanBeCancelled(t *testing.T) {
	key, _ := resetKey(t)
	f := newFixture(t, keysOptions(key))
	d := f.keyShown(f.openSecurityKeys())

	r := startReset(t, f, d)
	test.Tap(r.dismiss)

	if r.ctx.Err() == nil {
		t.Error("the reset goes on after Cancel")
	}
	if rps, err := key.Credentials(context.Background(), keyPIN); err != nil || len(rps) != 1 {
		t.Errorf("passkeys after a cancelled reset = %+v, %v; want the one stored", rps, err)
	}
}

func TestResetNotConfirmedInTimeSaysSo(t *testing.T) {
	key, finger := resetKey(t)
	f := newFixture(t, keysOptions(key))
	d := f.keyShown(f.openSecurityKeys())

	r := startReset(t, f, d)
	finger.give(hw.ErrTimeout) // the key gave up waiting for the touch
	f.waitFor("the error", func() bool { return r.message.message() != "" })

	if got, want := r.message.message(), "not finished in time, and nothing was deleted"; !contains(got, want) {
		t.Errorf("message %q, want %q", got, want)
	}
	if r.confirm.Disabled() || !r.confirm.Visible() {
		t.Error("the reset cannot be started again")
	}
}

func TestResetStepTexts(t *testing.T) {
	tests := []struct {
		kind hw.EventKind
		want string
	}{
		{hw.RemoveKey, "remove the key"},
		{hw.InsertKey, "insert the key again"},
		{hw.TouchKey, "touch the key now"},
	}
	for _, tt := range tests {
		if got := resetStepText(hw.Event{Kind: tt.kind}); !contains(got, tt.want) {
			t.Errorf("resetStepText(%v) = %q, want %q", tt.kind, got, tt.want)
		}
	}
}
