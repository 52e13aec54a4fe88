package ui

import (
	"context"
	"errors"
	"testing"

	"fyne.io/fyne/v2/test"

	"selfservice/hw"
)

func TestCheckNewPIN(t *testing.T) {
	long := string(make([]byte, 64))
	tests := []struct {
		pin, repeat       string
		pinErr, repeatErr string
	}{
		{"", "", "at least 4", ""},
		{"123", "123", "at least 4", ""},
		{"1234", "1243", "", "not the same"},
		{"1234", "1234", "", ""},
		{"äöüß", "äöüß", "", ""}, // 4 characters, 8 bytes
		{long, long, "too long", ""},
	}
	for _, tt := range tests {
		pinErr, repeatErr := checkNewPIN(tt.pin, tt.repeat)
		if !matches(pinErr, tt.pinErr) || !matches(repeatErr, tt.repeatErr) {
			t.Errorf("checkNewPIN(%q, %q) = %q, %q; want %q, %q", tt.pin, tt.repeat, pinErr, repeatErr, tt.pinErr, tt.repeatErr)
		}
	}
}

// matches reports whether got contains want, and is empty when want is.
func matches(got, want string) bool {
	if want == "" {
		return got == ""
	}
	return contains(got, want)
}

func TestSetPINThenChangePIN(t *testing.T) {
	key := newVirtualKey(t, nil)
	f := newFixture(t, keysOptions(key))
	d := f.keyShown(f.openSecurityKeys())
	o := d.overview

	test.Tap(o.setPIN)
	dlg := o.dialog
	if !showsText(dlg.content, "cannot be removed") {
		t.Error("the Set PIN dialog does not warn that a PIN cannot be removed")
	}
	newPIN, repeat := dlg.inputs[0].(*entry), dlg.inputs[1].(*entry)
	for _, tt := range []struct{ pin, repeat, field, want string }{
		{"12", "12", fieldNewPIN, "at least 4"},
		{"1234", "1243", fieldRepeatPIN, "not the same"},
	} {
		newPIN.SetText(tt.pin)
		repeat.SetText(tt.repeat)
		test.Tap(dlg.confirm)
		if got := dlg.fields[tt.field].Text; !dlg.fields[tt.field].Visible() || !contains(got, tt.want) {
			t.Errorf("PIN %q, %q: %s error %q, want %q", tt.pin, tt.repeat, tt.field, got, tt.want)
		}
	}
	newPIN.SetText(keyPIN)
	repeat.SetText(keyPIN)
	test.Tap(dlg.confirm)
	f.waitFor("the PIN set", func() bool { return o.pinStatus.Text == "A PIN is set." })
	if got, want := d.notice.message(), "The PIN is set"; !contains(got, want) {
		t.Errorf("notice %q, want %q", got, want)
	}
	if got, want := richText(o.pinHint), "8 attempts are left"; !contains(got, want) {
		t.Errorf("PIN hint %q, want %q", got, want)
	}
	if o.setPIN.Visible() || !o.changePIN.Visible() {
		t.Error("Set PIN shown, or Change PIN hidden, for a key with a PIN")
	}

	test.Tap(o.changePIN)
	dlg = o.dialog
	current, newPIN, repeat := dlg.inputs[0].(*entry), dlg.inputs[1].(*entry), dlg.inputs[2].(*entry)
	current.SetText("9999")
	newPIN.SetText("13579")
	repeat.SetText("13579")
	test.Tap(dlg.confirm)
	currentErr := dlg.fields[fieldCurrentPIN]
	f.waitFor("the wrong PIN", func() bool { return currentErr.Visible() })
	if got, want := currentErr.Text, "7 attempts are left"; !contains(got, want) {
		t.Errorf("current PIN error %q, want %q", got, want)
	}
	f.waitFor("the attempts left", func() bool { return contains(richText(o.pinHint), "7 attempts are left") })

	current.SetText(keyPIN)
	test.Tap(dlg.confirm)
	f.waitFor("the PIN changed", func() bool { return contains(d.notice.message(), "The PIN is changed") })
	if _, err := key.Credentials(context.Background(), "13579"); err != nil {
		t.Errorf("the new PIN does not work: %v", err)
	}
	f.waitFor("the attempts reset", func() bool { return contains(richText(o.pinHint), "8 attempts are left") })
}

func TestBlockedPINIsExplained(t *testing.T) {
	key := withPIN(t, newVirtualKey(t, nil))
	for range 7 {
		if err := key.ChangePIN(context.Background(), "0000", "1111"); !errors.Is(err, hw.ErrWrongPIN) {
			t.Fatalf("ChangePIN with a wrong PIN: %v", err)
		}
	}
	f := newFixture(t, keysOptions(key))
	d := f.keyShown(f.openSecurityKeys())
	o := d.overview
	if got, want := richText(o.pinHint), "1 attempt is left"; !contains(got, want) {
		t.Errorf("PIN hint %q, want %q", got, want)
	}

	test.Tap(o.changePIN)
	dlg := o.dialog
	dlg.inputs[0].(*entry).SetText("0000")
	dlg.inputs[1].(*entry).SetText("13579")
	dlg.inputs[2].(*entry).SetText("13579")
	test.Tap(dlg.confirm)
	f.waitFor("the blocked PIN", func() bool { return dlg.message.message() != "" })

	if got, want := dlg.message.message(), "Only a reset makes the key usable again"; !contains(got, want) {
		t.Errorf("message %q, want %q", got, want)
	}
	if dlg.confirm.Visible() {
		t.Error("the dialog still offers to change a blocked PIN")
	}
	f.waitFor("the blocked state", func() bool { return o.pinStatus.Text == "The PIN is blocked." })
	if !o.changePIN.Disabled() {
		t.Error("Change PIN is enabled for a blocked PIN")
	}
}
