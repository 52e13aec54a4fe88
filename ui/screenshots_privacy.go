package ui

import (
	"errors"

	"fyne.io/fyne/v2/lang"
)

// screenshotPrivacy captures "privacy": the Privacy and data area of the
// demo account, with the company directory consent given.
func screenshotPrivacy(main *mainScreen, capture func(string) error, wait func(string, func() bool) error) error {
	if main.privacy == nil {
		return errors.New("the demo account has no Privacy and data area")
	}
	main.nav.Select(main.areaIndex(lang.L("Privacy and data")))
	s := main.privacy
	if err := wait("the consents", func() bool { return s.loaded || s.message.message() != "" }); err != nil {
		return err
	}
	directory, ok := s.checks["company-directory"]
	if !s.loaded || !ok {
		return errors.New("the demo account's consents did not load: " + s.message.message())
	}
	if !directory.Checked {
		directory.SetChecked(true)
	}
	if err := wait("the consent", func() bool { return !directory.Disabled() }); err != nil {
		return err
	}
	if msg := s.message.message(); msg != "" {
		return errors.New("the consent was not given: " + msg)
	}
	return capture("privacy")
}
