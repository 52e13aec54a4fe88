package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/app"
)

// fakeTimer is the UI's after: it keeps what is due, which the test runs
// by advancing the time.
type fakeTimer struct {
	now time.Duration
	due []fakeTimerEntry
}

type fakeTimerEntry struct {
	at time.Duration
	f  func()
}

func (t *fakeTimer) after(d time.Duration, f func()) {
	t.due = append(t.due, fakeTimerEntry{at: t.now + d, f: f})
}

// advance moves the time on by d and runs what fell due, in order.
func (t *fakeTimer) advance(d time.Duration) {
	t.now += d
	keep := t.due[:0]
	var run []func()
	for _, e := range t.due {
		if e.at <= t.now {
			run = append(run, e.f)
		} else {
			keep = append(keep, e)
		}
	}
	t.due = keep
	for _, f := range run {
		f()
	}
}

func TestCopyButtonSaysCopiedForTwoSeconds(t *testing.T) {
	test.NewTempApp(t)
	session := app.NewSession(connect, app.NewMemorySecrets(), &mapPrefs{})
	u := newUI(fyne.CurrentApp(), session, Options{}, newSyncQueue().do, time.Now)
	timer := &fakeTimer{}
	u.after = timer.after

	var b *widget.Button
	b = widget.NewButtonWithIcon("Copy code", theme.ContentCopyIcon(), func() { u.copyText(b, "ABCD-EFGH") })
	icon := b.Icon
	test.Tap(b)
	if got := u.app.Clipboard().Content(); got != "ABCD-EFGH" {
		t.Errorf("clipboard = %q, want the code", got)
	}
	if b.Text != lang.L("Copied") || b.Icon == icon {
		t.Errorf("after copying: %q with the copy icon %v; want Copied with a check", b.Text, b.Icon == icon)
	}

	timer.advance(time.Second)
	test.Tap(b) // copying again keeps "Copied" two seconds from now
	timer.advance(time.Second)
	if b.Text != lang.L("Copied") {
		t.Errorf("1 s after the second copy: %q, want still Copied", b.Text)
	}
	timer.advance(time.Second)
	if b.Text != "Copy code" || b.Icon != icon {
		t.Errorf("2 s after the last copy: %q, want Copy code with its icon", b.Text)
	}

	var iconOnly *widget.Button
	iconOnly = widget.NewButtonWithIcon("", theme.ContentCopyIcon(), func() { u.copyText(iconOnly, "123456") })
	test.Tap(iconOnly)
	if iconOnly.Text != "" || iconOnly.Icon == icon {
		t.Errorf("an icon-only button after copying: %q, copy icon %v; want the check alone", iconOnly.Text, iconOnly.Icon == icon)
	}
	timer.advance(copiedFor)
	if iconOnly.Icon != icon {
		t.Error("an icon-only button keeps the check after two seconds")
	}
}
