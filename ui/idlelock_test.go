package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// newIdleFixture is a UI with an idle lock of limit on a clock the test
// moves; the server keeps real time, so that sign-in codes work.
func newIdleFixture(t *testing.T, limit time.Duration) (*fixture, *testClock) {
	t.Helper()
	clock := &testClock{}
	f := newServerFixture(t)
	f.now = clock.now
	f.start(Options{IdleLock: limit})
	t.Cleanup(f.ui.close)
	return f, clock
}

func TestIdleLockSignsOutAfterTheLimit(t *testing.T) {
	f, clock := newIdleFixture(t, 10*time.Minute)
	f.signIn("demo")

	clock.advance(8 * time.Minute)
	f.ui.idle.check()
	if _, ok := f.ui.current.(*mainScreen); !ok || f.ui.notice.Visible() {
		t.Fatal("after 8 idle minutes of 10: want the main window, no warning")
	}

	clock.advance(90 * time.Second)
	f.ui.idle.check()
	if !f.ui.notice.Visible() || !contains(f.ui.notice.message(), "signed out in a minute") {
		t.Fatalf("notice after 9.5 idle minutes = %q; want the warning", f.ui.notice.message())
	}

	clock.advance(time.Minute)
	f.ui.idle.check()
	s := f.signInScreen()
	if !contains(s.message.message(), "signed out after 10 minutes without activity") {
		t.Errorf("sign-in message = %q; want why", s.message.message())
	}
	if f.session.SignedIn() || f.ui.notice.Visible() {
		t.Errorf("signed in %v, warning shown %v; want signed out, the warning gone", f.session.SignedIn(), f.ui.notice.Visible())
	}
	if s.username.Text != "demo" {
		t.Errorf("username = %q; want demo kept for signing in again", s.username.Text)
	}
}

func TestIdleLockInputKeepsTheSession(t *testing.T) {
	f, clock := newIdleFixture(t, 10*time.Minute)
	m := f.signIn("demo")

	clock.advance(9*time.Minute + 30*time.Second)
	f.ui.idle.check()
	if !f.ui.notice.Visible() {
		t.Fatal("no warning after 9.5 idle minutes")
	}
	test.Tap(f.ui.notice.action) // Stay signed in
	if f.ui.notice.Visible() {
		t.Error("the warning stays after Stay signed in")
	}

	clock.advance(9 * time.Minute)
	// Over the header's empty middle, where no control takes the mouse.
	test.MoveMouse(f.ui.win.Canvas(), fyne.NewPos(f.ui.win.Canvas().Size().Width/2, 20))
	clock.advance(2 * time.Minute)
	f.ui.idle.check()
	if f.ui.current != m || !f.session.SignedIn() {
		t.Fatal("signed out 2 minutes after the mouse moved; want signed in")
	}

	clock.advance(5 * time.Minute)
	test.Tap(m.signOut) // an action counts as input too; this one signs out
	f.signInScreen()
}

func TestIdleLockCountsOnlySignedIn(t *testing.T) {
	f, clock := newIdleFixture(t, 10*time.Minute)
	f.signInScreen()
	clock.advance(time.Hour)
	f.ui.idle.check()
	clock.advance(time.Minute)
	f.signIn("demo")
	f.ui.idle.check()
	if _, ok := f.ui.current.(*mainScreen); !ok {
		t.Fatal("signed out at once after an hour on the sign-in screen; the time there must not count")
	}
}
