package ui

import (
	"errors"

	"fyne.io/fyne/v2/lang"
)

// screenshotInvitations captures "invitations": the Invitations area of
// the demo employee with all the demo's invitations in their states; and
// "invitation-new": the New invitation form filled in for a contractor.
func screenshotInvitations(main *mainScreen, capture func(string) error, wait func(string, func() bool) error) error {
	if main.invitations == nil {
		return errors.New("the demo account has no Invitations area")
	}
	main.nav.Select(main.areaIndex(lang.L("Invitations")))
	s := main.invitations
	if err := wait("the invitations", func() bool { return (s.loaded && !s.create.Disabled()) || s.message.message() != "" }); err != nil {
		return err
	}
	if !s.loaded || s.create.Disabled() {
		return errors.New("the invitations did not load: " + s.message.message())
	}
	s.filter.choose(invitationsAll)
	if err := capture("invitations"); err != nil {
		return err
	}
	s.onCreate()
	form := s.form
	if form == nil {
		return errors.New("New invitation opened no form")
	}
	form.name.SetText("Zoë van Dijk")
	form.email.SetText("zoe.vandijk@partner.example")
	if e := form.values["department"]; e != nil {
		e.SetText("Research")
	}
	if e := form.values["job_title"]; e != nil {
		e.SetText("Data engineer")
	}
	if err := capture("invitation-new"); err != nil {
		return err
	}
	s.closeDialog(form.d)
	return nil
}
