package ui

import (
	"errors"

	"fyne.io/fyne/v2/lang"
)

// The account areas' shots.

// screenshotPassword captures "password": the Password area with the
// current password and the start of a new one typed, so that the rules
// show ticked and unticked.
func screenshotPassword(main *mainScreen, capture func(string) error, wait func(string, func() bool) error) error {
	if main.password == nil {
		return errors.New("the demo account has no Password area")
	}
	main.nav.Select(main.areaIndex(lang.L("Password")))
	s := main.password
	if err := wait("the password policy", func() bool { return s.policy != nil || s.message.message() != "" }); err != nil {
		return err
	}
	if s.policy == nil {
		return errors.New("the password policy did not load: " + s.message.message())
	}
	s.current.SetText("the current password")
	s.next.SetText("Granite-7")
	if err := capture("password"); err != nil {
		return err
	}
	s.current.SetText("")
	s.next.SetText("")
	return nil
}

// screenshotApplications captures "applications": the Applications area
// with the demo's applications and vault.
func screenshotApplications(main *mainScreen, capture func(string) error, wait func(string, func() bool) error) error {
	if main.applications == nil {
		return errors.New("the demo account has no Applications area")
	}
	main.nav.Select(main.areaIndex(lang.L("Applications")))
	s := main.applications
	if err := wait("the applications", func() bool { return s.loaded || s.message.message() != "" }); err != nil {
		return err
	}
	if !s.loaded {
		return errors.New("the applications did not load: " + s.message.message())
	}
	return capture("applications")
}

// screenshotContacts captures "contacts": the Contact details area with
// the demo user's values.
func screenshotContacts(main *mainScreen, capture func(string) error, wait func(string, func() bool) error) error {
	if main.contacts == nil {
		return errors.New("the demo account has no Contact details area")
	}
	main.nav.Select(main.areaIndex(lang.L("Contact details")))
	s := main.contacts
	if err := wait("the contact details", func() bool { return s.loaded || s.message.message() != "" }); err != nil {
		return err
	}
	if !s.loaded {
		return errors.New("the contact details did not load: " + s.message.message())
	}
	return capture("contacts")
}
