package ui

import (
	"fyne.io/fyne/v2/lang"
)

// showManagedProblem tells the user that the configuration IT installed
// on this computer cannot be used, and what to tell IT.
func (u *UI) showManagedProblem() {
	if u.opts.ManagedProblem == nil {
		return
	}
	u.notice.show(bannerError,
		lang.L("The settings IT installed on this computer cannot be used, so Selfservice runs without them. Tell IT: {{.Problem}}",
			map[string]any{"Problem": u.opts.ManagedProblem.Error()}),
		lang.L("Dismiss"), u.notice.hide)
}
