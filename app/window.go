package app

import (
	"fmt"
)

// Smallest and largest window size remembered: a size outside is a
// mistake (a window closed while minimised, a preference edited by hand)
// and the app's default is used instead.
const (
	minWindowWidth, minWindowHeight = 480, 360
	maxWindowSide                   = 16384
)

// WindowSize is the main window's size when the app was last closed;
// ok is false when none was kept, or it is not usable.
func (s *Session) WindowSize() (width, height float32, ok bool) {
	var w, h float32
	if _, err := fmt.Sscanf(s.prefs.String(PrefWindowSize), "%gx%g", &w, &h); err != nil {
		return 0, 0, false
	}
	// Written so that NaN is refused too.
	if !(w >= minWindowWidth && h >= minWindowHeight && w <= maxWindowSide && h <= maxWindowSide) {
		return 0, 0, false
	}
	return w, h, true
}

// SetWindowSize keeps the main window's size for the next start.
func (s *Session) SetWindowSize(width, height float32) {
	s.prefs.SetString(PrefWindowSize, fmt.Sprintf("%.0fx%.0f", width, height))
}
