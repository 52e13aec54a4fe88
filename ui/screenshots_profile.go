package ui

import (
	"errors"
	"slices"

	"fyne.io/fyne/v2/lang"

	"selfservice/api"
)

// screenshotProfile captures "profile": the Profile area of the demo
// account, with the organisation's fields locked, the office and the
// preferences being changed (not saved), so that Save is enabled.
func screenshotProfile(main *mainScreen, capture func(string) error, wait func(string, func() bool) error) error {
	if main.profile == nil {
		return errors.New("the demo account has no Profile area")
	}
	main.nav.Select(main.areaIndex(lang.L("Profile")))
	s := main.profile
	if err := wait("the profile", func() bool { return s.ready || s.message.message() != "" }); err != nil {
		return err
	}
	if !s.ready {
		return errors.New("the profile did not load: " + s.message.message())
	}
	if office := s.fields["office"]; office != nil {
		office.SetText("Prague, 3rd floor")
	}
	s.zone.SetText("Europe/Prague")
	if i := slices.Index(s.formats, api.DateDotted); i >= 0 {
		s.dateFormat.SetSelectedIndex(i)
	}
	return capture("profile")
}
