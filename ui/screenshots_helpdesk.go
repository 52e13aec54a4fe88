package ui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"

	"selfservice/api"
)

// The shots of a helpdesk's shared workstation.

// screenshotSharedWorkstation captures, signed in as the demo helpdesk
// account (main is its window): "helpdesk-emergency", the confirmation
// before an emergency code is issued to the demo employee demoUser;
// "to-approve-stale", To approve after a refresh that could not reach
// the server; "idle-warning", the warning before the idle sign-out; and
// "signout-wipe", the confirmation of Sign out and wipe. It cancels each.
func screenshotSharedWorkstation(u *UI, main *mainScreen, demoUser string, capture func(string) error, wait func(string, func() bool) error) error {
	e := main.emergency
	if e == nil || main.approvals == nil {
		return errors.New("the helpdesk account cannot issue emergency codes or approve")
	}
	main.nav.Select(main.areaIndex(lang.L("Helpdesk")))
	if scroll, ok := main.area.Objects[0].(*container.Scroll); ok {
		scroll.ScrollToTop() // the shot before scrolled to its card
	}
	e.username.SetText(demoUser)
	e.onFind()
	if err := wait("the person", func() bool { return !e.find.Disabled() }); err != nil {
		return err
	}
	if e.holder == nil {
		return errors.New("looking up the demo employee failed: " + e.message.message() + e.usernameErr.Text)
	}
	e.onIssue()
	if e.dialog == nil {
		return errors.New("issuing a code asks for no confirmation")
	}
	if err := capture("helpdesk-emergency"); err != nil {
		return err
	}
	e.closeDialog(e.dialog)

	// A refresh of To approve that cannot reach the server: the list
	// loaded before stays, marked as of when it was loaded.
	main.nav.Select(main.areaIndex(lang.L("To approve")))
	list := main.approvals.list
	if err := wait("To approve", func() bool { return list.loads.current() }); err != nil {
		return err
	}
	fetch := list.fetch
	list.fetch = func(context.Context, string) ([]api.ApprovalRequest, error) { return nil, api.ErrUnreachable }
	list.load()
	if err := wait("the failed refresh", func() bool { return list.loads.stale() }); err != nil {
		return err
	}
	if err := capture("to-approve-stale"); err != nil {
		return err
	}
	list.fetch = fetch
	list.load()
	if err := wait("To approve again", func() bool { return list.loads.current() }); err != nil {
		return err
	}

	idle := &idleLock{ui: u, limit: 15 * time.Minute}
	idle.warn()
	if err := capture("idle-warning"); err != nil {
		return err
	}
	idle.stay()

	main.confirmWipe()
	if err := capture("signout-wipe"); err != nil {
		return err
	}
	main.wipe.close()
	return nil
}
