package ui

import (
	"errors"
	"net/url"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// buttons are the buttons in o, in layout order.
func buttons(o fyne.CanvasObject) []*widget.Button {
	var out []*widget.Button
	for _, c := range test.LaidOutObjects(o) {
		if b, ok := c.(*widget.Button); ok {
			out = append(out, b)
		}
	}
	return out
}

func TestApplicationsOpenInTheBrowser(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("demo")
	s := m.applications
	if s == nil {
		t.Fatal("no Applications area")
	}
	var opened []string
	s.openURL = func(u *url.URL) error {
		opened = append(opened, u.String())
		return nil
	}
	f.showArea(m, "Applications")
	f.waitFor("the applications", func() bool { return s.loaded })

	// The vault first, then the demo's applications for an employee.
	open := buttons(s.list)
	if len(open) != 4 {
		t.Fatalf("%d Open buttons, want the vault and 3 applications", len(open))
	}
	test.Tap(open[0])
	test.Tap(open[1])
	if len(opened) != 2 || opened[0] != "https://vault.example.com" || opened[1] != "https://mail.example.com" {
		t.Errorf("opened %v; want the vault, then Mail and calendar", opened)
	}

	// A browser that does not open says where to go.
	s.openURL = func(*url.URL) error { return errors.New("no browser") }
	test.Tap(open[1])
	if !s.message.Visible() || s.message.message() == "" {
		t.Error("no message when the browser does not open")
	}
}

func TestHelpdeskSeesTheirApplicationsWithoutTheVault(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("helpdesk")
	s := m.applications
	s.openURL = func(*url.URL) error { return nil }
	f.showArea(m, "Applications")
	f.waitFor("the applications", func() bool { return s.loaded })
	if n := len(buttons(s.list)); n != 3 {
		t.Errorf("%d applications for helpdesk, want 3 and no vault", n)
	}
}
