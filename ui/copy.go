package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// copiedFor is how long a copy button says "Copied" after copying.
const copiedFor = 2 * time.Second

// copiedButton is what a copy button showed before it said "Copied",
// and which of its copies may put that back (the latest one).
type copiedButton struct {
	text   string
	icon   fyne.Resource
	copies int
}

// copyText puts text on the clipboard. The button b that asked for it
// (nil for none) says "Copied" with a check for copiedFor, then shows
// what it showed before; a button without text shows only the check.
func (u *UI) copyText(b *widget.Button, text string) {
	u.app.Clipboard().SetContent(text)
	u.lastCopied = text
	if b == nil {
		return
	}
	state, ok := u.copied[b]
	if !ok {
		state = &copiedButton{text: b.Text, icon: b.Icon}
		u.copied[b] = state
	}
	state.copies++
	this := state.copies
	if state.text != "" {
		b.SetText(lang.L("Copied"))
	}
	b.SetIcon(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
	u.after(copiedFor, func() {
		if state.copies != this {
			return // a later copy shows "Copied" for longer
		}
		delete(u.copied, b)
		b.SetText(state.text)
		b.SetIcon(state.icon)
	})
}

// clearCopied empties the clipboard when it still holds what copyText
// put there last (a setup key, a code, a link), and reports whether it
// did; what the user copied elsewhere since stays.
func (u *UI) clearCopied() bool {
	copied := u.lastCopied
	u.lastCopied = ""
	if copied == "" || u.app.Clipboard().Content() != copied {
		return false
	}
	u.app.Clipboard().SetContent("")
	return true
}
