package ui

import (
	"context"
	"errors"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/hw"
)

// FIDO2's rules for a PIN: at least 4 characters, at most 63 bytes. Keys
// may ask for more characters; they say so by refusing the PIN.
const (
	minKeyPINRunes = 4
	maxKeyPINBytes = 63
)

// checkNewPIN checks a new PIN and its repetition, and returns the message
// for each field ("" when it is fine).
func checkNewPIN(pin, repeat string) (pinErr, repeatErr string) {
	switch {
	case utf8.RuneCountInString(pin) < minKeyPINRunes:
		pinErr = lang.L("Use at least 4 characters.")
	case len(pin) > maxKeyPINBytes:
		pinErr = lang.L("This PIN is too long. Use at most 63 characters.")
	case repeat != pin:
		repeatErr = lang.L("The two PINs are not the same. Type the new PIN again.")
	}
	return pinErr, repeatErr
}

// pinGate asks for the key's PIN before a tab shows what it protects.
type pinGate struct {
	box    *fyne.Container
	pin    *entry
	pinErr fieldError
	unlock *widget.Button
}

func newPINGate(explanation string, onUnlock func(pin string)) *pinGate {
	g := &pinGate{pin: newPasswordEntry(), pinErr: newFieldError()}
	g.pin.SetPlaceHolder(lang.L("The key's PIN"))
	submit := func() {
		if g.unlock.Disabled() {
			return
		}
		if g.pin.Text == "" {
			g.pinErr.set(lang.L("Enter the key's PIN."))
			return
		}
		g.pinErr.set("")
		onUnlock(g.pin.Text)
	}
	g.pin.OnSubmitted = func(string) { submit() }
	g.unlock = widget.NewButtonWithIcon(lang.L("Unlock"), theme.LoginIcon(), submit)
	g.unlock.Importance = widget.HighImportance
	form := container.NewVBox(
		paragraph(explanation),
		field(lang.L("PIN"), g.pin, g.pinErr),
		container.NewHBox(g.unlock),
	)
	g.box = container.NewVBox(withWidth(420, form))
	return g
}

// setBusy disables the gate while the PIN is tried.
func (g *pinGate) setBusy(busy bool) {
	setEnabled(g.pin, !busy)
	setEnabled(g.unlock, !busy)
}

// failed shows a PIN error under the PIN field.
func (g *pinGate) failed(err error) {
	g.pin.SetText("")
	g.pinErr.set(errorMessage(err))
}

// Names of the PIN dialogs' fields.
const (
	fieldCurrentPIN = "current_pin"
	fieldNewPIN     = "new_pin"
	fieldRepeatPIN  = "repeat_pin"
)

// pinEntries are a new PIN typed twice, with their error texts.
type pinEntries struct {
	pin, repeat       *entry
	pinErr, repeatErr fieldError
}

func newPINEntries() pinEntries {
	p := pinEntries{pin: newPasswordEntry(), repeat: newPasswordEntry(), pinErr: newFieldError(), repeatErr: newFieldError()}
	p.pin.SetPlaceHolder(lang.L("At least 4 characters"))
	return p
}

// addTo lets dlg disable the entries and name their error texts.
func (p pinEntries) addTo(dlg *keyActionDialog) {
	dlg.inputs = append(dlg.inputs, p.pin, p.repeat)
	dlg.fields[fieldNewPIN] = p.pinErr
	dlg.fields[fieldRepeatPIN] = p.repeatErr
}

// check shows the errors of the new PIN and reports whether it is fine.
func (p pinEntries) check() bool {
	pinErr, repeatErr := checkNewPIN(p.pin.Text, p.repeat.Text)
	p.pinErr.set(pinErr)
	p.repeatErr.set(repeatErr)
	return pinErr == "" && repeatErr == ""
}

func (p pinEntries) fields() fyne.CanvasObject {
	return container.NewVBox(
		field(lang.L("New PIN"), p.pin, p.pinErr),
		field(lang.L("New PIN again"), p.repeat, p.repeatErr),
	)
}

// onSetPIN sets the first PIN of the key, after warning that it cannot be
// removed without a reset.
func (o *keyOverview) onSetPIN() {
	d := o.d
	entries := newPINEntries()
	warning := newBanner()
	warning.show(bannerWarning, lang.L("Once a key has a PIN, the PIN cannot be removed: only a reset removes it, and a reset deletes everything on the key."), "", nil)
	body := container.NewVBox(
		paragraph(lang.L("A PIN protects your passkeys if the key is lost: the key asks for it before it signs you in. Choose one you will remember; after too many wrong attempts the key locks.")),
		warning,
		entries.fields(),
	)
	dlg := newKeyActionDialog(d.ui, d.ctx, lang.L("Set a PIN"), lang.L("Set PIN"), body)
	entries.addTo(dlg)
	dlg.check = entries.check
	auth := d.auth
	dlg.work = func(ctx context.Context, _ func(hw.Event)) error {
		return auth.SetPIN(ctx, entries.pin.Text)
	}
	dlg.failed = func(err error) bool {
		if errors.Is(err, hw.ErrPINPolicy) {
			entries.pinErr.set(errorMessage(err))
			return true
		}
		if errors.Is(err, hw.ErrPINAlreadySet) {
			d.changed()
		}
		return false
	}
	dlg.done = func() {
		dlg.close()
		d.notice.show(bannerSuccess, lang.L("The PIN is set. The key asks for it from now on."), "", nil)
		d.changed()
	}
	entries.repeat.OnSubmitted = func(string) { dlg.onConfirm() }
	o.dialog = dlg
	dlg.show()
	d.ui.win.Canvas().Focus(entries.pin)
}

// onChangePIN replaces the key's PIN; it needs the current one.
func (o *keyOverview) onChangePIN() {
	d := o.d
	current, currentErr := newPasswordEntry(), newFieldError()
	entries := newPINEntries()
	body := container.NewVBox(
		field(lang.L("Current PIN"), current, currentErr),
		entries.fields(),
	)
	dlg := newKeyActionDialog(d.ui, d.ctx, lang.L("Change PIN"), lang.L("Change PIN"), body)
	dlg.inputs = []fyne.Disableable{current}
	dlg.fields[fieldCurrentPIN] = currentErr
	entries.addTo(dlg)
	dlg.check = func() bool {
		ok := entries.check()
		if current.Text == "" {
			currentErr.set(lang.L("Enter the key's current PIN."))
			ok = false
		}
		return ok
	}
	auth := d.auth
	dlg.work = func(ctx context.Context, _ func(hw.Event)) error {
		return auth.ChangePIN(ctx, current.Text, entries.pin.Text)
	}
	dlg.failed = func(err error) bool {
		switch {
		case errors.Is(err, hw.ErrWrongPIN):
			current.SetText("")
			currentErr.set(errorMessage(err))
			d.pinFailed(err)
			return true
		case errors.Is(err, hw.ErrPINPolicy):
			entries.pinErr.set(errorMessage(err))
			return true
		case errors.Is(err, hw.ErrPINBlocked), errors.Is(err, hw.ErrPINAuthBlocked):
			dlg.finish(bannerError, errorMessage(err))
			d.pinFailed(err)
			return true
		}
		return false
	}
	dlg.done = func() {
		if d.pin != "" {
			d.pin = entries.pin.Text
		}
		dlg.close()
		d.notice.show(bannerSuccess, lang.L("The PIN is changed. Use the new PIN from now on."), "", nil)
		d.loadInfo()
	}
	entries.repeat.OnSubmitted = func(string) { dlg.onConfirm() }
	o.dialog = dlg
	dlg.show()
	d.ui.win.Canvas().Focus(current)
}
