package ui

import (
	"testing"

	"fyne.io/fyne/v2"
)

// TestAreasKeepAReadableWidthOnAWideWindow: on a wide window the area
// shown is at most contentMaxWidth wide, centred in the room beside the
// navigation; on a narrow one it takes all the room.
func TestAreasKeepAReadableWidthOnAWideWindow(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("demo")
	d := fyne.CurrentApp().Driver()

	f.ui.win.Resize(fyne.NewSize(1800, 900))
	if got := m.area.Size().Width; got != contentMaxWidth {
		t.Errorf("on a 1800 wide window the area is %v wide, want %v", got, contentMaxWidth)
	}
	navEnd := d.AbsolutePositionForObject(m.nav).X + m.nav.Size().Width
	left := d.AbsolutePositionForObject(m.area).X - navEnd
	right := f.ui.win.Canvas().Size().Width - (d.AbsolutePositionForObject(m.area).X + m.area.Size().Width)
	if diff := left - right; diff > 8 || diff < -8 {
		t.Errorf("the area has %v on its left and %v on its right, want it centred", left, right)
	}

	f.ui.win.Resize(fyne.NewSize(900, 640))
	if got, room := m.area.Size().Width, 900-navEnd; got < room-16 { // the separator and padding beside the navigation
		t.Errorf("on a 900 wide window the area is %v wide of %v", got, room)
	}
}
