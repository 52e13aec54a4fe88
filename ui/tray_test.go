package ui

import (
	"bytes"
	"image"
	"image/png"
	"testing"

	"fyne.io/fyne/v2"
)

// trayApp is the test app with a system tray that keeps what it was
// given: the test driver has none.
type trayApp struct {
	fyne.App
	menu *fyne.Menu
	icon fyne.Resource
}

func (a *trayApp) SetSystemTrayMenu(m *fyne.Menu)       { a.menu = m }
func (a *trayApp) SetSystemTrayIcon(icon fyne.Resource) { a.icon = icon }
func (a *trayApp) SetSystemTrayWindow(fyne.Window)      {}

// An approver's tray icon carries the number of requests waiting in a red
// badge; its menu opens To approve, and with nothing left the plain icon
// and a disabled entry remain. Signing out leaves only Open Selfservice.
func TestTrayShowsTheRequestsWaiting(t *testing.T) {
	f := newServerFixture(t)
	f.seedApprovals()
	f.start(Options{})
	tray := &trayApp{App: fyne.CurrentApp()}
	shown := 0
	f.ui.tray = newTray(tray, func() { shown++ })
	requester := f.apiSession("demo")
	f.requestHOTP(requester, "Desk token")
	f.requestHOTP(requester, "Spare token")

	f.ui.showSignIn("")
	if tray.menu != nil || tray.icon != nil {
		t.Fatal("tray icon shown before anyone signed in; want none")
	}

	m := f.signIn("helpdesk")
	f.waitFor("the tray", func() bool { return tray.menu != nil })
	if got := menuLabels(tray.menu); len(got) != 2 || got[0] != "Open Selfservice" || got[1] != "To approve: 2 waiting" {
		t.Fatalf("tray menu %q; want Open Selfservice, To approve: 2 waiting", got)
	}
	if !hasBadge(t, tray.icon) {
		t.Error("tray icon has no red badge with 2 requests waiting")
	}

	tray.menu.Items[1].Action()
	if shown != 1 || m.shown != m.areaIndex("To approve") {
		t.Errorf("To approve in the tray: window shown %d times, area %d; want shown once and To approve", shown, m.shown)
	}

	m.onPendingCount(0, true)
	if hasBadge(t, tray.icon) {
		t.Error("tray icon keeps its badge with nothing waiting")
	}
	if item := tray.menu.Items[1]; item.Label != "Nothing to approve" || !item.Disabled {
		t.Errorf("tray entry %q (disabled %v); want a disabled Nothing to approve", item.Label, item.Disabled)
	}

	f.ui.showSignIn("")
	if got := menuLabels(tray.menu); len(got) != 1 || got[0] != "Open Selfservice" {
		t.Errorf("tray menu after signing out %q; want Open Selfservice only", got)
	}
}

// The badge icon says "9+" from ten requests on, drawn once per number.
func TestTrayIconCountsUpToNinePlus(t *testing.T) {
	tr := newTray(&trayApp{}, func() {})
	tr.approve = func() {}
	for _, n := range []int{3, 12, 40} {
		tr.count = n
		if !hasBadge(t, tr.icon()) {
			t.Errorf("icon for %d has no badge", n)
		}
	}
	if len(tr.icons) != 2 {
		t.Errorf("%d icons drawn for 3, 12 and 40; want 2 (3 and 9+)", len(tr.icons))
	}
}

func menuLabels(m *fyne.Menu) []string {
	var labels []string
	for _, item := range m.Items {
		labels = append(labels, item.Label)
	}
	return labels
}

// hasBadge reports whether icon is a PNG with the badge's red inside the
// badge's left edge, beside its number.
func hasBadge(t *testing.T, icon fyne.Resource) bool {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(icon.Content()))
	if err != nil {
		t.Fatalf("tray icon %s is not a PNG: %v", icon.Name(), err)
	}
	b := img.Bounds()
	p := image.Pt(b.Min.X+b.Dx()*46/100, b.Min.Y+b.Dy()*31/100)
	r, g, bl, _ := img.At(p.X, p.Y).RGBA()
	want := trayBadgeRed
	near := func(got uint32, want uint8) bool { d := int(got>>8) - int(want); return d > -24 && d < 24 }
	return near(r, want.R) && near(g, want.G) && near(bl, want.B)
}
