package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"selfservice/app"
)

// menuItem runs the account menu's item labelled label.
func menuItem(t *testing.T, m *mainScreen, label string) {
	t.Helper()
	for _, item := range m.accountMenu.Items {
		if item.Label == label {
			item.Action()
			return
		}
	}
	t.Fatalf("the account menu has no %q", label)
}

func TestSignOutAndWipe(t *testing.T) {
	f := newServerFixture(t)
	// The app's own preferences, as Fyne keeps them on disk.
	prefs := fyne.CurrentApp().Preferences()
	f.session = app.NewSession(connect, f.secrets, prefs)
	f.session.SetDefaultServerURL(f.local.URL, true)
	f.queue = newSyncQueue()
	f.ui = newUI(fyne.CurrentApp(), f.session, Options{}, f.queue.do, f.now)
	t.Cleanup(f.ui.close)
	m := f.signIn("demo")
	prefs.SetString(app.PrefLanguage, "en")
	account := f.local.URL + " demo"
	if _, err := f.secrets.Get(app.AppID, account); err != nil {
		t.Fatalf("no saved session after sign-in: %v", err)
	}

	menuItem(t, m, "Sign out and wipe this computer…")
	if m.wipe == nil || !contains(shownText(m.wipe.content), "shared computer") {
		t.Fatal("no confirmation saying what the wipe removes")
	}
	test.Tap(m.wipe.confirm)
	s := f.signInScreen()
	for _, want := range []string{"Signed out on the server", "your saved session", "server address, username, language"} {
		if !contains(s.message.message(), want) {
			t.Errorf("message = %q; want it to say %q", s.message.message(), want)
		}
	}
	if _, err := f.secrets.Get(app.AppID, account); err == nil {
		t.Error("the saved session is still in the keyring")
	}
	for _, key := range []string{app.PrefServerURL, app.PrefLastUsername, app.PrefLanguage} {
		if v := prefs.String(key); v != "" {
			t.Errorf("preference %s = %q after the wipe; want it empty", key, v)
		}
	}
	if s.username.Text != "" || f.session.SignedIn() {
		t.Errorf("username %q, signed in %v; want an empty sign-in screen", s.username.Text, f.session.SignedIn())
	}
}

func TestSwitchUser(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("demo")

	menuItem(t, m, "Switch user")
	s := f.signInScreen()
	if s.username.Text != "" || f.ui.win.Canvas().Focused() != s.username {
		t.Errorf("username %q, focused %v; want it empty and focused for the next person", s.username.Text, f.ui.win.Canvas().Focused())
	}
	if f.session.SignedIn() || !contains(s.message.message(), "next person") {
		t.Errorf("signed in %v, message %q; want signed out, saying so", f.session.SignedIn(), s.message.message())
	}
	if s.server.text() != f.local.URL {
		t.Errorf("server = %q; want %q kept", s.server.text(), f.local.URL)
	}
}
