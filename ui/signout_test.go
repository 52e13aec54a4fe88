package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
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

// TestSignOutAndWipe: the wipe leaves nothing of the user in the app's
// preferences (not even a key naming them), nor in the keyring, nor on
// the clipboard, and says what it removed. The window size and the file
// dialog's layout stay: they are the screen's.
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
	// A language of the user's own: the sign-in screen after the wipe is
	// in the computer's again.
	prefs.SetString(app.PrefLanguage, "de")
	f.session.SetWindowSize(960, 640)
	seen := app.PrefRequestsSeen + f.session.User().ID
	f.waitFor("the decisions told of kept", func() bool { return prefs.String(seen) != "" })
	// Fyne's own file dialog, where the system has none, keeps the folder
	// the user last chose.
	folder := dialog.NewFileSave(func(fyne.URIWriteCloser, error) {}, f.ui.win)
	folder.SetLocation(listable(t, t.TempDir()))
	folder.Show()
	folder.Hide()
	if prefs.String(fileDialogFolderKey) == "" {
		t.Fatalf("Fyne's file dialog kept no folder under %s", fileDialogFolderKey)
	}
	f.ui.copyText(nil, "JBSWY3DPEHPK3PXP") // a setup key
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
	for _, want := range []string{"Signed out on the server", "your saved session",
		"server address, username, language, approval decisions already shown, last folder used for files",
		"Removed from the clipboard"} {
		if !contains(s.message.message(), want) {
			t.Errorf("message = %q; want it to say %q", s.message.message(), want)
		}
	}
	if _, err := f.secrets.Get(app.AppID, account); err == nil {
		t.Error("the saved session is still in the keyring")
	}
	prefs.(interface{ ReadValues(func(map[string]any)) }).ReadValues(func(values map[string]any) {
		for key, value := range values {
			if key != app.PrefWindowSize && key != "fyne:fileDialogViewLayout" { // the screen's, and grid or list
				t.Errorf("preference %s = %v is left after the wipe; want it removed", key, value)
			}
		}
	})
	if got := f.ui.app.Clipboard().Content(); got != "" {
		t.Errorf("clipboard = %q after the wipe; want it empty", got)
	}
	if s.username.Text != "" || f.session.SignedIn() {
		t.Errorf("username %q, signed in %v; want an empty sign-in screen", s.username.Text, f.session.SignedIn())
	}
}

// TestWipeLeavesTheClipboardCopiedElsewhere: what the user copied from
// another program since is theirs to keep.
func TestWipeLeavesTheClipboardCopiedElsewhere(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("demo")
	f.ui.copyText(nil, "JBSWY3DPEHPK3PXP")
	f.ui.app.Clipboard().SetContent("a note from elsewhere")

	menuItem(t, m, "Sign out and wipe this computer…")
	test.Tap(m.wipe.confirm)
	s := f.signInScreen()
	if got := f.ui.app.Clipboard().Content(); got != "a note from elsewhere" || contains(s.message.message(), "clipboard") {
		t.Errorf("clipboard %q, message %q; want the other text kept and no word of the clipboard", got, s.message.message())
	}
}

func TestSwitchUser(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("demo")
	f.ui.copyText(nil, "JBSWY3DPEHPK3PXP")

	menuItem(t, m, "Switch user")
	s := f.signInScreen()
	if got := f.ui.app.Clipboard().Content(); got != "" {
		t.Errorf("clipboard %q after Switch user; want what the app copied gone", got)
	}
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

// listable is the folder dir as Fyne's file dialog opens it.
func listable(t *testing.T, dir string) fyne.ListableURI {
	t.Helper()
	l, err := storage.ListerForURI(storage.NewFileURI(dir))
	if err != nil {
		t.Fatal(err)
	}
	return l
}
