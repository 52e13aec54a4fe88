package ui

import (
	"errors"

	"fyne.io/fyne/v2/lang"
)

// screenshotSessions captures "sessions": the Sessions and activity
// area of the demo employee, with the demo's laptop and Mac signed in
// besides this computer and their recent sign-ins, scrolled to show
// both lists.
func screenshotSessions(main *mainScreen, capture func(string) error, wait func(string, func() bool) error) error {
	if main.sessions == nil {
		return errors.New("the demo account has no Sessions and activity area")
	}
	main.nav.Select(main.areaIndex(lang.L("Sessions and activity")))
	s := main.sessions
	if err := wait("the sessions", func() bool { return s.loaded || s.message.message() != "" }); err != nil {
		return err
	}
	if !s.loaded {
		return errors.New("the sessions did not load: " + s.message.message())
	}
	// Both lists in the picture, once they are laid out.
	if err := wait("the lists laid out", func() bool { s.scrollToLists(); return s.scroll.Offset.Y > 0 }); err != nil {
		return err
	}
	return capture("sessions")
}
