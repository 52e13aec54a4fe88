package ui

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/hw"
)

// resetTimeout bounds the whole reset ceremony: removing, inserting and
// touching the key. The key itself gives up waiting for the touch sooner.
const resetTimeout = 2 * time.Minute

// resetTab resets a key to its factory state, after a warning that names
// what is lost and a typed confirmation, with the remove-insert-touch
// ceremony real keys need.
type resetTab struct {
	d *keyDetail

	warning *banner
	start   *widget.Button
	dialog  *resetDialog // the open reset, if any
}

// resetDialog is the typed confirmation and the ceremony.
type resetDialog struct {
	*keyActionDialog
	confirmText *entry
	confirmErr  fieldError
}

func newResetTab(d *keyDetail) *resetTab {
	t := &resetTab{d: d, warning: newBanner()}
	t.start = widget.NewButtonWithIcon(lang.L("Reset this key…"), theme.WarningIcon(), t.onReset)
	t.start.Importance = widget.DangerImportance
	return t
}

func (t *resetTab) content() fyne.CanvasObject {
	t.warning.show(bannerWarning, resetWarning(), "", nil)
	box := container.NewVBox(
		t.warning,
		paragraph(lang.L("Reset a key whose PIN is blocked or forgotten, or before you give it to someone else. Keys accept a reset only within seconds of being plugged in, so you will be asked to remove the key, insert it again and touch it.")),
		container.NewHBox(t.start),
	)
	return container.NewPadded(container.NewVScroll(withWidth(420, box)))
}

func (t *resetTab) refresh() {}

// resetWarning names what a reset deletes.
func resetWarning() string {
	return lang.L("A reset deletes everything on the key: all its passkeys, its fingerprints and its PIN. Websites, apps and accounts where you registered the key, including the security-key sign-in methods of your Selfservice account, will no longer accept it. This cannot be undone.")
}

// resetWord is what the user types to confirm a reset.
func resetWord() string { return lang.L("RESET") }

// onReset asks for the typed confirmation, then runs the ceremony.
func (t *resetTab) onReset() {
	d := t.d
	r := &resetDialog{confirmText: newEntry(), confirmErr: newFieldError()}
	warning := newBanner()
	warning.show(bannerError, resetWarning(), "", nil)
	label := lang.L("Type {{.Word}} to confirm", map[string]any{"Word": resetWord()})
	body := container.NewVBox(
		paragraph(lang.L("Reset “{{.Name}}”?", map[string]any{"Name": deviceName(d.dev)})),
		warning,
		field(label, r.confirmText, r.confirmErr),
	)
	r.keyActionDialog = newKeyActionDialog(d.ui, d.ctx, lang.L("Reset security key"), lang.L("Reset key"), body)
	r.confirm.Importance = widget.DangerImportance
	r.confirm.Disable()
	r.confirmText.OnChanged = func(text string) {
		setEnabled(r.confirm, resetConfirmed(text))
	}
	r.inputs = []fyne.Disableable{r.confirmText}
	r.check = func() bool {
		if !resetConfirmed(r.confirmText.Text) {
			r.confirmErr.set(lang.L("Type {{.Word}} exactly as shown.", map[string]any{"Word": resetWord()}))
			return false
		}
		r.confirmErr.set("")
		return true
	}
	auth := d.auth
	r.work = func(ctx context.Context, events func(hw.Event)) error {
		ctx, cancel := context.WithTimeout(ctx, resetTimeout)
		defer cancel()
		return auth.Reset(ctx, events)
	}
	r.event = resetStepText
	r.failed = func(err error) bool {
		if errors.Is(err, hw.ErrTimeout) {
			r.message.show(bannerError, lang.L("The reset was not finished in time, and nothing was deleted. Start again, and follow the steps as they are shown."), "", nil)
			return true
		}
		return false
	}
	r.done = func() {
		r.finish(bannerSuccess, lang.L("The key is reset. It has no passkeys, fingerprints or PIN now."))
		d.pin = ""
		d.forgetLists()
		d.notice.show(bannerSuccess, lang.L("“{{.Name}}” was reset.", map[string]any{"Name": deviceName(d.dev)}), "", nil)
		d.relist() // after the reinsertion the key may be found elsewhere
	}
	r.confirmText.OnSubmitted = func(string) { r.onConfirm() }
	t.dialog = r
	r.show()
	d.ui.win.Canvas().Focus(r.confirmText)
}

// resetConfirmed reports whether the typed text confirms the reset.
func resetConfirmed(text string) bool {
	return strings.EqualFold(strings.TrimSpace(text), resetWord())
}

// resetStepText says what the ceremony needs from the user now.
func resetStepText(e hw.Event) string {
	switch e.Kind {
	case hw.RemoveKey:
		return lang.L("Step 1 of 3: remove the key from this computer.")
	case hw.InsertKey:
		return lang.L("Step 2 of 3: insert the key again.")
	case hw.TouchKey:
		return lang.L("Step 3 of 3: touch the key now to confirm the reset.")
	}
	return ""
}
