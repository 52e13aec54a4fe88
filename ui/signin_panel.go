package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// signInPanel is what the views the sign-in card shows instead of the
// password form (the recovery, Create account) have in common: the
// server address of the form, a message, progress, one of their views
// at a time and a way back, and how they send a request (sendRequest).
type signInPanel struct {
	ui        *UI
	ctx       context.Context
	serverURL func() string

	message  *banner
	progress *busyBar
	body     *fyne.Container

	// Set by the view: its field errors, which clear empties, and
	// failed, which shows what went wrong where it belongs, with retry
	// for Try again.
	fieldErrs []fieldError
	failed    func(err error, retry func())
}

func newSignInPanel(u *UI, serverURL func() string) signInPanel {
	return signInPanel{ui: u, ctx: context.Background(), serverURL: serverURL,
		message: newBanner(), progress: newBusyBar(), body: container.NewStack()}
}

// content is the panel, with Back to sign-in calling back.
func (p *signInPanel) content(back func()) fyne.CanvasObject {
	backButton := widget.NewButtonWithIcon(lang.L("Back to sign-in"), theme.NavigateBackIcon(), back)
	backButton.Importance = widget.LowImportance
	return container.NewVBox(p.message, p.progress, p.body, container.NewHBox(backButton))
}

func (p *signInPanel) show(view fyne.CanvasObject) {
	p.body.Objects = []fyne.CanvasObject{view}
	p.body.Refresh()
}

// clear hides the message and empties the field errors.
func (p *signInPanel) clear() {
	p.message.hide()
	for _, e := range p.fieldErrs {
		e.set("")
	}
}

// sendRequest is what a button of the panel's views does: unless the
// button is disabled (its request runs), it clears the messages and
// runs send off the UI thread, the button disabled meanwhile. Then
// failed shows the error, Try again tapping the button again, or done
// gets what send returned.
func sendRequest[T any](p *signInPanel, button *widget.Button, send func(ctx context.Context) (T, error), done func(T)) {
	if button.Disabled() {
		return
	}
	p.clear()
	button.Disable()
	var out T
	p.ui.run(p.ctx, p.progress, func(ctx context.Context) error {
		var err error
		out, err = send(ctx)
		return err
	}, func(err error) {
		button.Enable()
		if err != nil {
			p.failed(err, button.OnTapped)
			return
		}
		done(out)
	})
}

// showFailure shows an error that concerns no field, with Try again when
// that may help.
func (p *signInPanel) showFailure(err error, retry func()) {
	if retryable(err) {
		p.message.show(bannerError, errorMessage(err), lang.L("Try again"), retry)
		return
	}
	p.message.show(bannerError, errorMessage(err), "", nil)
}
