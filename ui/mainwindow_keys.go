package ui

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

// shortcuts are the signed-in window's: refresh, add a sign-in method,
// go to an area by its place in the navigation, sign out.
func (s *mainScreen) shortcuts() []shortcut {
	list := []shortcut{{key: fyne.KeyR, does: lang.L("Refresh what is shown"), run: s.refresh}}
	if s.tokens != nil && s.tokens.add != nil {
		list = append(list, shortcut{key: fyne.KeyN, does: lang.L("Add a sign-in method"), run: s.addMethod})
	}
	for i := range min(len(s.areas), 9) {
		list = append(list, shortcut{
			key:  fyne.KeyName(strconv.Itoa(i + 1)),
			does: lang.L("Go to {{.Area}}", map[string]any{"Area": s.areas[i].name}),
			run:  func() { s.nav.Select(i) },
		})
	}
	return append(list, shortcut{key: fyne.KeyQ, shift: true, does: lang.L("Sign out"), run: s.onSignOut})
}

// refresh loads the area shown again.
func (s *mainScreen) refresh() {
	if s.shown < 0 || s.ctx == nil {
		return
	}
	if s.tokens != nil && s.areas[s.shown].name == lang.L("Sign-in methods") {
		s.tokens.load()
		return
	}
	a := s.areas[s.shown]
	if a.close != nil {
		a.close()
	}
	if a.open != nil {
		a.open(s.ctx)
	}
}

// addMethod goes to the sign-in methods and opens the choice of what to
// add, unless adding is not possible right now.
func (s *mainScreen) addMethod() {
	if s.tokens.add.Disabled() {
		return
	}
	s.selectArea(lang.L("Sign-in methods"))
	s.tokens.onAdd()
}
