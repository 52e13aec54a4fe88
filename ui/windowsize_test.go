package ui

import (
	"testing"

	"fyne.io/fyne/v2"
)

// TestWindowSizeIsRestoredAtTheNextStart: the size the window had when
// it was closed is the size it opens with after a restart.
func TestWindowSizeIsRestoredAtTheNextStart(t *testing.T) {
	f := newFixture(t, Options{})
	if got := f.ui.win.Canvas().Size(); got != fyne.NewSize(960, 640) {
		t.Errorf("first start at %v, want 960×640", got)
	}
	f.ui.win.Resize(fyne.NewSize(1180, 760))
	f.ui.win.Close()

	f.start(Options{})
	if got := f.ui.win.Canvas().Size(); got != fyne.NewSize(1180, 760) {
		t.Errorf("restarted at %v, want the 1180×760 it was closed at", got)
	}
}
