package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// A known server address is one line with Change server, so the username
// is the first field; Change server brings the entry back, focused.
func TestSignInServerBehindChangeServer(t *testing.T) {
	f := newFixture(t, Options{})
	s := f.signInScreen()

	if s.server.editing() || !s.server.compact.Visible() {
		t.Fatal("the server entry is shown although the address is known")
	}
	if got, want := s.server.summary.Text, "Server: "+strings.TrimPrefix(f.local.URL, "http://"); got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	if f.ui.win.Canvas().Focused() != s.username && f.ui.win.Canvas().Focused() != s.password {
		t.Errorf("focus on %v, want the username or password", f.ui.win.Canvas().Focused())
	}

	test.Tap(s.server.change)
	if !s.server.editing() || s.server.compact.Visible() {
		t.Fatal("Change server did not show the entry")
	}
	if f.ui.win.Canvas().Focused() != s.server.entry {
		t.Error("the server entry is not focused after Change server")
	}
	if got := s.server.text(); got != f.local.URL {
		t.Errorf("entry %q, want the known address %q", got, f.local.URL)
	}
}

// An error about the address shows the entry, with the error under it.
func TestSignInServerErrorShowsTheEntry(t *testing.T) {
	f := newFixture(t, Options{})
	s := f.signInScreen()
	s.server.entry.SetText("")

	test.Tap(s.submit)
	if !s.server.editing() || !s.server.err.Visible() {
		t.Errorf("editing %v, error %q: want the entry shown with its error", s.server.editing(), s.server.err.Text)
	}
}

// Without a known address the entry is all there is.
func TestServerFieldWithoutAddressIsAnEntry(t *testing.T) {
	test.NewTempApp(t)
	f := newServerField("", func(fyne.Focusable) {})
	if !f.editing() || f.compact.Visible() {
		t.Error("no address, yet the entry is hidden")
	}
	if got := serverHost("https://id.example.com:8443/base"); got != "id.example.com:8443" {
		t.Errorf("serverHost = %q", got)
	}
}
