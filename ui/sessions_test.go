package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"fyne.io/fyne/v2/test"
)

// sessionsArea signs the demo employee in and opens Sessions and
// activity with its lists loaded.
func sessionsArea(f *fixture) *sessionsScreen {
	f.t.Helper()
	m := f.signIn("demo")
	s := m.sessions
	if s == nil {
		f.t.Fatal("no Sessions and activity area")
	}
	f.showArea(m, "Sessions and activity")
	f.waitFor("the sessions", func() bool { return s.loaded })
	return s
}

func TestSessionsListShowsThisDeviceAndTheActivity(t *testing.T) {
	f := newFixture(t, Options{})
	s := sessionsArea(f)

	// The demo's laptop and Mac, and this computer.
	if len(s.sessionRows) != 3 {
		t.Fatalf("%d sessions shown, want 3", len(s.sessionRows))
	}
	current := 0
	for _, r := range s.sessionRows {
		if r.session.Current {
			current++
		}
		if !r.signOut.Visible() {
			t.Errorf("session %s has no Sign out", r.session.Device)
		}
	}
	if current != 1 || !contains(shownText(s.sessionList), "This device") {
		t.Errorf("%d current sessions; want one, badged This device", current)
	}
	// This sign-in is the newest attempt; the demo's failed guesses show as failed.
	if len(s.attemptRows) < 2 || !s.attemptRows[0].attempt.Succeeded() {
		t.Fatalf("activity %d rows; want this sign-in first", len(s.attemptRows))
	}
	text := shownText(s.activityList)
	for _, want := range []string{"Success", "Failed", "Password: wrong password", "192.0.2.77"} {
		if !contains(text, want) {
			t.Errorf("the activity does not show %q", want)
		}
	}
}

func TestSignOutAnotherSession(t *testing.T) {
	f := newFixture(t, Options{})
	s := sessionsArea(f)
	var other *sessionRow
	for _, r := range s.sessionRows {
		if !r.session.Current {
			other = r
		}
	}
	test.Tap(other.signOut)
	d := s.dialog
	if d == nil {
		t.Fatal("Sign out asks nothing")
	}
	test.Tap(d.confirm)
	f.waitFor("the shorter list", func() bool { return s.dialog == nil && len(s.sessionRows) == 2 })
	for _, r := range s.sessionRows {
		if r.session.ID == other.session.ID {
			t.Error("the signed-out session is still listed")
		}
	}
	if !contains(s.message.message(), "is signed out") {
		t.Errorf("message %q", s.message.message())
	}

	test.Tap(s.signOutOthers)
	f.waitFor("only this session", func() bool { return len(s.sessionRows) == 1 && s.sessionRows[0].session.Current })
	if !contains(s.message.message(), "1 other session is signed out") || !s.signOutOthers.Disabled() {
		t.Errorf("message %q; want the count, and nothing left to sign out", s.message.message())
	}
}

func TestThisWasntMeSignsOutAndSaysWhatHappened(t *testing.T) {
	f := newFixture(t, Options{})
	s := sessionsArea(f)
	var row *attemptRow
	for _, r := range s.attemptRows {
		if r.attempt.IP == "192.0.2.77" {
			row = r
			break
		}
	}
	if row == nil || row.report == nil {
		t.Fatal("no This wasn't me on the stranger's attempt")
	}
	test.Tap(row.report)
	d := s.dialog
	if d == nil {
		t.Fatal("This wasn't me asks nothing")
	}
	text := shownText(d.content)
	for _, want := range []string{"192.0.2.77", "sign you out everywhere, on this computer too", "tell your helpdesk"} {
		if !contains(text, want) {
			t.Errorf("the confirmation does not say %q:\n%s", want, text)
		}
	}
	test.Tap(d.confirm)
	signIn := f.signInScreen()
	if got := signIn.message.message(); !contains(got, "signed out everywhere") {
		t.Errorf("sign-in message %q; want it to say what happened", got)
	}
	if f.session.SignedIn() {
		t.Error("the app is still signed in")
	}
}

func TestSignOutEverywhereAsksThenSignsIn(t *testing.T) {
	f := newFixture(t, Options{})
	s := sessionsArea(f)
	test.Tap(s.signOutAll)
	if s.dialog == nil {
		t.Fatal("Sign out everywhere asks nothing")
	}
	test.Tap(s.dialog.dismiss)
	if !f.session.SignedIn() {
		t.Fatal("Cancel signed out")
	}
	test.Tap(s.signOutAll)
	test.Tap(s.dialog.confirm)
	if got := f.signInScreen().message.message(); !contains(got, "signed out everywhere") {
		t.Errorf("sign-in message %q", got)
	}
}

// shownText joins the texts shown in o.
func shownText(o fyne.CanvasObject) string { return strings.Join(texts(o), "\n") }
