package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
)

// formDialog is a dialog with a small form whose confirm button runs a
// server call. It stays open on failure, showing the error next to the
// field it concerns or in a message above the form. It closes by itself
// when its screen goes away.
type formDialog struct {
	ui     *UI
	ctx    context.Context
	cancel context.CancelFunc
	dlg    *dialog.CustomDialog
	title  string

	content  *fyne.Container
	message  *banner
	confirm  *widget.Button
	dismiss  *widget.Button
	progress *busyBar

	// Set by the caller before show.
	fields    map[string]fieldError // api field name → where its error shows
	codeField string                // where a wrong or used code is reported; "" for the message
	inputs    []fyne.Disableable    // disabled while working
	work      func(context.Context) error
	done      func() // after work succeeded, on the UI thread
}

func newFormDialog(u *UI, parent context.Context, title, confirm string, body fyne.CanvasObject) *formDialog {
	ctx, cancel := context.WithCancel(parent)
	d := &formDialog{
		ui:       u,
		ctx:      ctx,
		cancel:   cancel,
		title:    title,
		message:  newBanner(),
		progress: newBusyBar(),
		fields:   map[string]fieldError{},
	}
	d.confirm = widget.NewButton(confirm, d.onConfirm)
	d.confirm.Importance = widget.HighImportance
	d.dismiss = widget.NewButton(lang.L("Cancel"), d.close)
	d.content = container.NewVBox(d.message, body, d.progress)
	d.dlg = dialog.NewCustomWithoutButtons(title, d.content, u.win)
	d.dlg.SetButtons([]fyne.CanvasObject{d.dismiss, d.confirm})
	context.AfterFunc(ctx, func() { u.do(d.dlg.Hide) })
	return d
}

func (d *formDialog) show() {
	// Wrapped text is only as tall as it needs once it knows its width.
	const width = 460
	d.content.Resize(fyne.NewSize(width-4*theme.Padding(), d.content.MinSize().Height))
	d.dlg.Resize(fyne.NewSize(width, d.dlg.MinSize().Height))
	d.ui.keys.showDialog(d.dlg, d.dismiss)
}

// close cancels any running call and closes the dialog.
func (d *formDialog) close() {
	d.cancel()
	d.dlg.Hide()
}

// finish turns the dialog into a message with a single Close button.
func (d *formDialog) finish(kind bannerKind, message string) {
	d.message.show(kind, message, "", nil)
	d.confirm.Hide()
	d.dismiss.SetText(lang.L("Close"))
	for _, in := range d.inputs {
		in.Disable()
	}
}

func (d *formDialog) onConfirm() {
	if d.confirm.Disabled() {
		return
	}
	d.message.hide()
	for _, f := range d.fields {
		f.set("")
	}
	d.setBusy(true)
	d.ui.run(d.ctx, d.progress, d.work, func(err error) {
		d.setBusy(false)
		if err == nil {
			d.done()
			return
		}
		d.showError(err)
	})
}

func (d *formDialog) showError(err error) {
	if d.codeField != "" && (errors.Is(err, api.ErrOTPInvalid) || errors.Is(err, api.ErrOTPReplayed)) {
		d.fields[d.codeField].set(errorMessage(err))
		return
	}
	shown := false
	for name, msg := range fieldErrors(err) {
		if f, ok := d.fields[name]; ok {
			f.set(msg)
			shown = true
		}
	}
	if !shown {
		d.message.show(bannerError, errorMessage(err), "", nil)
	}
}

func (d *formDialog) setBusy(busy bool) {
	for _, in := range d.inputs {
		setEnabled(in, !busy)
	}
	setEnabled(d.confirm, !busy)
}

// buttonRow lays out dialog or form buttons at the trailing edge.
func buttonRow(buttons ...fyne.CanvasObject) *fyne.Container {
	return container.NewHBox(append([]fyne.CanvasObject{layout.NewSpacer()}, buttons...)...)
}

// dialogSlot keeps the form dialog a screen has open, until it closes;
// screens embed it (their tests look at dialog).
type dialogSlot struct {
	dialog *formDialog // nil when none is open
}

// openDialog shows d and remembers it until it closes.
func (o *dialogSlot) openDialog(d *formDialog) {
	o.dialog = d
	d.dlg.SetOnClosed(func() {
		if o.dialog == d {
			o.dialog = nil
		}
	})
	d.show()
}

// closeDialog closes d, and forgets it if it is the open one.
func (o *dialogSlot) closeDialog(d *formDialog) {
	d.close()
	if o.dialog == d {
		o.dialog = nil
	}
}
