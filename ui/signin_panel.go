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
// at a time and a way back.
type signInPanel struct {
	ui        *UI
	ctx       context.Context
	serverURL func() string

	message  *banner
	progress *busyBar
	body     *fyne.Container
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

// showFailure shows an error that concerns no field, with Try again when
// that may help.
func (p *signInPanel) showFailure(err error, retry func()) {
	if retryable(err) {
		p.message.show(bannerError, errorMessage(err), lang.L("Try again"), retry)
		return
	}
	p.message.show(bannerError, errorMessage(err), "", nil)
}
