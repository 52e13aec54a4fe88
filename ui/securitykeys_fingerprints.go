package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/hw"
)

// maxFingerprintNameBytes is CTAP's limit for a fingerprint's name.
const maxFingerprintNameBytes = 64

// fingerprintsTab lists the fingerprints enrolled on a key with a
// fingerprint sensor, adds, renames and deletes them.
type fingerprintsTab struct {
	d *keyDetail

	gate   *pinGate
	add    *widget.Button
	notice *banner
	state  *fyne.Container

	loaded  bool
	loading bool
	prints  []hw.Fingerprint
	rows    []*fingerprintRow
	dialog  *keyActionDialog // the open dialog, if any
	enroll  *fingerprintEnrollment
}

// fingerprintRow is one fingerprint in the list.
type fingerprintRow struct {
	print          hw.Fingerprint
	rename, delete *widget.Button
}

func newFingerprintsTab(d *keyDetail) *fingerprintsTab {
	t := &fingerprintsTab{d: d, notice: newBanner(), state: container.NewStack()}
	t.gate = newPINGate(lang.L("The key shows and changes its fingerprints only after you enter its PIN."), func(pin string) {
		t.notice.hide()
		t.load(pin)
	})
	t.add = widget.NewButtonWithIcon(lang.L("Add fingerprint"), theme.ContentAddIcon(), t.onAdd)
	t.add.Importance = widget.HighImportance
	return t
}

func (t *fingerprintsTab) content() fyne.CanvasObject {
	intro := muted(lang.L("With a fingerprint enrolled, the key can check that it is you instead of asking for the PIN."))
	return container.NewPadded(container.NewBorder(container.NewVBox(intro, t.notice), nil, nil, nil, t.state))
}

func (t *fingerprintsTab) setState(o fyne.CanvasObject) {
	t.state.Objects = []fyne.CanvasObject{o}
	t.state.Refresh()
}

// refresh shows what fits the key now: that a PIN is needed, the PIN
// gate, or the list.
func (t *fingerprintsTab) refresh() {
	switch {
	case !t.d.info.PINSet():
		t.setState(needsPINView(t.d, lang.L("A key enrolls fingerprints only once it has a PIN, and this key has no PIN yet.")))
	case t.d.pin == "":
		t.setState(t.gate.box)
	case !t.loaded:
		t.load(t.d.pin)
	}
}

// load lists the fingerprints with pin.
func (t *fingerprintsTab) load(pin string) {
	if t.loading {
		return
	}
	t.loading = true
	t.gate.setBusy(true)
	auth := t.d.auth
	var prints []hw.Fingerprint
	t.d.ui.run(t.d.ctx, t.d.progress, func(ctx context.Context) error {
		var err error
		prints, err = auth.Fingerprints(ctx, pin)
		return err
	}, func(err error) {
		t.loading = false
		t.gate.setBusy(false)
		if err != nil {
			t.failed(err)
			return
		}
		t.gate.pin.SetText("")
		t.d.pin = pin
		t.show(prints)
	})
}

// failed shows why the fingerprints could not be listed: under the PIN
// field when it was the PIN.
func (t *fingerprintsTab) failed(err error) {
	t.loaded = false
	if t.d.gone(err) {
		return
	}
	if t.d.pinFailed(err) {
		t.gate.failed(err)
		t.setState(t.gate.box)
		return
	}
	if msg := errorMessage(err); msg != "" {
		t.notice.show(bannerError, msg, lang.L("Retry"), func() {
			t.notice.hide()
			t.refresh()
		})
	}
}

func (t *fingerprintsTab) show(prints []hw.Fingerprint) {
	t.loaded = true
	t.prints = prints
	t.rows = nil
	list := container.NewVBox()
	for _, p := range prints {
		r := &fingerprintRow{print: p}
		r.rename = widget.NewButtonWithIcon(lang.L("Rename"), theme.DocumentCreateIcon(), func() { t.onRename(r) })
		r.delete = widget.NewButtonWithIcon(lang.L("Delete"), theme.DeleteIcon(), func() { t.onDelete(r) })
		t.rows = append(t.rows, r)
		name := widget.NewLabel(fingerprintName(p))
		name.Truncation = fyne.TextTruncateEllipsis
		list.Add(widget.NewCard("", "", container.NewBorder(nil, nil, widget.NewIcon(theme.VisibilityIcon()), container.NewHBox(r.rename, r.delete), name)))
	}
	top := container.NewHBox(t.add)
	if len(prints) == 0 {
		t.setState(container.NewVBox(top, paragraph(lang.L("No fingerprint is enrolled on this key yet."))))
		return
	}
	t.setState(container.NewBorder(top, nil, nil, nil, container.NewVScroll(list)))
}

// fingerprintName is a fingerprint's name, or a general one.
func fingerprintName(p hw.Fingerprint) string {
	if p.Name != "" {
		return p.Name
	}
	return lang.L("Unnamed fingerprint")
}

// pinDialogFailed closes a dialog whose key wants the PIN again and shows
// the PIN gate with the error.
func (t *fingerprintsTab) pinDialogFailed(dlg *keyActionDialog, err error) bool {
	if !t.d.pinFailed(err) {
		return false
	}
	dlg.close()
	t.gate.failed(err)
	t.setState(t.gate.box)
	return true
}

// onRename gives a fingerprint a new name.
func (t *fingerprintsTab) onRename(r *fingerprintRow) {
	d := t.d
	t.notice.hide()
	name, nameErr := newEntry(), newFieldError()
	name.SetText(r.print.Name)
	body := field(lang.L("Name"), name, nameErr)
	dlg := newKeyActionDialog(d.ui, d.ctx, lang.L("Rename fingerprint"), lang.L("Save"), body)
	dlg.inputs = []fyne.Disableable{name}
	dlg.fields["name"] = nameErr
	dlg.check = func() bool {
		msg := checkFingerprintName(name.Text, true)
		nameErr.set(msg)
		return msg == ""
	}
	auth, pin, id := d.auth, d.pin, r.print.ID
	dlg.work = func(ctx context.Context, _ func(hw.Event)) error {
		return auth.RenameFingerprint(ctx, pin, id, name.Text)
	}
	dlg.failed = func(err error) bool { return t.pinDialogFailed(dlg, err) }
	dlg.done = func() {
		dlg.close()
		t.load(d.pin)
	}
	name.OnSubmitted = func(string) { dlg.onConfirm() }
	t.dialog = dlg
	dlg.show()
	d.ui.win.Canvas().Focus(name)
}

// checkFingerprintName checks a fingerprint's name; an empty one is fine
// only where the key picks one.
func checkFingerprintName(name string, required bool) string {
	switch {
	case name == "" && required:
		return lang.L("Enter a name.")
	case len(name) > maxFingerprintNameBytes:
		return lang.L("This name is too long. Use at most 64 characters.")
	}
	return ""
}

// onDelete deletes a fingerprint after confirmation.
func (t *fingerprintsTab) onDelete(r *fingerprintRow) {
	d := t.d
	t.notice.hide()
	name := fingerprintName(r.print)
	body := paragraph(lang.L("“{{.Name}}” will be deleted from the key, which will no longer accept that finger.", map[string]any{"Name": name}))
	dlg := newKeyActionDialog(d.ui, d.ctx, lang.L("Delete this fingerprint?"), lang.L("Delete"), body)
	dlg.confirm.Importance = widget.DangerImportance
	auth, pin, id := d.auth, d.pin, r.print.ID
	dlg.work = func(ctx context.Context, _ func(hw.Event)) error {
		return auth.DeleteFingerprint(ctx, pin, id)
	}
	dlg.failed = func(err error) bool { return t.pinDialogFailed(dlg, err) }
	dlg.done = func() {
		dlg.close()
		t.notice.show(bannerSuccess, lang.L("“{{.Name}}” is deleted.", map[string]any{"Name": name}), "", nil)
		t.loaded = false
		d.loadInfo() // whether the key checks fingerprints may have changed
	}
	t.dialog = dlg
	dlg.show()
}
