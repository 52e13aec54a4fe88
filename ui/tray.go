package ui

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/driver/software"
	"fyne.io/fyne/v2/lang"

	"selfservice/resources"
)

// trayIconSize is the side of the tray icon in pixels, as Fyne's own
// tray code renders icons.
const trayIconSize = 64

// tray is the app's icon in the system tray (notification area). It
// appears once the signed-in user has requests to decide on, shows how
// many wait in a red badge, and its menu opens the window or the To
// approve area. Fyne adds Quit to the menu. Closing the window still
// quits the app: on desktops without a tray the window could not be
// brought back.
type tray struct {
	app     desktop.App
	show    func()         // brings the window to the front
	approve func()         // opens To approve; nil while nothing can be decided
	count   int            // the count shown
	started bool           // the tray icon exists
	icons   map[int][]byte // rendered badge icons by count, as PNG
}

// newTray is the tray of a, nil when a has none (the test driver, mobile).
func newTray(a fyne.App, show func()) *tray {
	d, ok := a.(desktop.App)
	if !ok {
		return nil
	}
	return &tray{app: d, show: show, icons: map[int][]byte{}}
}

// setPending shows count requests waiting, with approve opening them
// (nil when the user decides on nothing). The tray icon appears at the
// first count of a user who approves; before that nothing is shown.
func (t *tray) setPending(count int, approve func()) {
	if t == nil || (!t.started && approve == nil) {
		return
	}
	changed := !t.started || count != t.count || (approve == nil) != (t.approve == nil)
	t.count, t.approve = count, approve
	if !changed {
		return
	}
	t.app.SetSystemTrayMenu(t.menu())
	t.app.SetSystemTrayIcon(t.icon())
	t.started = true
}

// menu is the tray's menu for the current count.
func (t *tray) menu() *fyne.Menu {
	open := fyne.NewMenuItem(lang.L("Open Selfservice"), t.show)
	if t.approve == nil {
		return fyne.NewMenu(lang.L("Selfservice"), open)
	}
	approve := fyne.NewMenuItem(lang.L("Nothing to approve"), nil)
	approve.Disabled = true
	if t.count > 0 {
		approve.Label = lang.N("To approve: {{.Count}} waiting", t.count, map[string]any{"Count": t.count})
		approve.Disabled = false
		approve.Action = func() {
			t.show()
			if t.approve != nil {
				t.approve()
			}
		}
	}
	return fyne.NewMenu(lang.L("Selfservice"), open, approve)
}

// icon is the app icon, with the count in a red badge when it is not zero.
func (t *tray) icon() fyne.Resource {
	if t.count == 0 {
		return resources.Icon
	}
	shown := min(t.count, 10) // 10 stands for "9+"
	if _, ok := t.icons[shown]; !ok {
		t.icons[shown] = renderTrayIcon(shown)
	}
	return fyne.NewStaticResource(fmt.Sprintf("tray-%d.png", shown), t.icons[shown])
}

// trayBadgeRed is the badge's colour: the red of notification badges,
// readable with white text (contrast 4.8:1).
var trayBadgeRed = color.NRGBA{R: 0xd3, G: 0x2f, B: 0x2f, A: 0xff}

// renderTrayIcon draws the app icon with count (10 for "9+") in a red
// circle at its top right, as a PNG.
func renderTrayIcon(count int) []byte {
	text := strconv.Itoa(count)
	if count > 9 {
		text = "9+"
	}
	const badge = float32(trayIconSize) * 0.62
	logo := canvas.NewImageFromResource(resources.Icon)
	logo.Resize(fyne.NewSquareSize(trayIconSize))
	circle := canvas.NewCircle(trayBadgeRed)
	circle.StrokeColor = color.White
	circle.StrokeWidth = 3
	circle.Move(fyne.NewPos(trayIconSize-badge, 0))
	circle.Resize(fyne.NewSquareSize(badge))
	label := canvas.NewText(text, color.White)
	label.TextStyle = fyne.TextStyle{Bold: true}
	label.TextSize = badge * 0.62
	if count > 9 {
		label.TextSize = badge * 0.5
	}
	label.Alignment = fyne.TextAlignCenter
	label.Move(circle.Position())
	label.Resize(circle.Size())

	c := software.NewTransparentCanvas()
	c.SetPadded(false)
	c.SetContent(container.NewWithoutLayout(logo, circle, label))
	c.Resize(fyne.NewSquareSize(trayIconSize))
	var buf bytes.Buffer
	if err := png.Encode(&buf, c.Capture()); err != nil {
		fyne.LogError("drawing the tray icon", err)
		return resources.Icon.Content()
	}
	return buf.Bytes()
}
