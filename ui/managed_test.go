package ui

import (
	"errors"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"selfservice/app"
)

func TestManagedLockedServer(t *testing.T) {
	f := newServerFixture(t)
	f.session = app.NewSession(connect, f.secrets, f.prefs)
	f.session.ApplyManaged(app.Managed{ServerURL: f.local.URL, LockServer: true})
	f.queue = newSyncQueue()
	f.ui = newUI(fyne.CurrentApp(), f.session, Options{}, f.queue.do, f.now)
	t.Cleanup(f.ui.close)

	s := f.signInScreen()
	if s.server.text() != f.local.URL || !s.server.entry.Disabled() || s.server.change.Visible() {
		t.Fatalf("server field = %q, disabled %v, Change server shown %v; want IT's %q, not editable",
			s.server.text(), s.server.entry.Disabled(), s.server.change.Visible(), f.local.URL)
	}
	u := f.demoUser("demo")
	test.Type(s.username, u.Username)
	test.Type(s.password, "not the password")
	test.Tap(s.submit)
	f.waitFor("the refused sign-in", func() bool { return s.message.Visible() })
	if !s.server.entry.Disabled() {
		t.Error("the server field became editable after a sign-in attempt")
	}
}

func TestManagedProblemIsShown(t *testing.T) {
	f := newServerFixture(t)
	f.start(Options{ManagedProblem: errors.New("/etc/selfservice/config.json: idle_lock_minutes: must be a whole number, not a string")})
	f.signInScreen()
	msg := f.ui.notice.message()
	if !f.ui.notice.Visible() || !contains(msg, "Tell IT") || !contains(msg, "idle_lock_minutes") {
		t.Errorf("notice = %q (shown %v); want the problem, naming the field, for IT", msg, f.ui.notice.Visible())
	}
}

func TestNoDemoWithoutServerAsksForIT(t *testing.T) {
	test.NewTempApp(t)
	session := app.NewSession(connect, app.NewMemorySecrets(), &mapPrefs{})
	queue := newSyncQueue()
	u := newUI(fyne.CurrentApp(), session, Options{NoDemo: true}, queue.do, time.Now)
	t.Cleanup(u.close)
	var s *signInScreen
	if !queue.waitUntil(15*time.Second, func() bool { s, _ = u.current.(*signInScreen); return s != nil }) {
		t.Fatal("no sign-in screen")
	}
	if !contains(s.message.message(), "ask IT") || s.server.text() != "" || s.server.entry.Disabled() {
		t.Errorf("message %q, server %q (disabled %v); want an empty server field and to ask IT", s.message.message(), s.server.text(), s.server.entry.Disabled())
	}
}
