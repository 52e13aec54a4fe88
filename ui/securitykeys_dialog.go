package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/hw"
)

// keyActionDialog is a dialog whose confirm button runs an operation on a
// security key. The inputs are checked on the UI thread first; then the
// operation runs off it with a progress bar, and what the key needs from
// the user (touch it, insert it…) shows as it happens. Cancel stops the
// operation and closes the dialog, and so does the end of its screen.
// Errors show next to the field they concern, or above the form.
type keyActionDialog struct {
	ui     *UI
	ctx    context.Context
	cancel context.CancelFunc
	dlg    *dialog.CustomDialog

	content  *fyne.Container
	message  *banner
	status   *widget.Label // what the key needs now; hidden while empty
	progress *busyBar
	confirm  *widget.Button
	dismiss  *widget.Button
	running  bool

	// Set by the caller before show.
	inputs []fyne.Disableable    // disabled while the operation runs
	fields map[string]fieldError // the error text of each field, by name
	// check validates the inputs on the UI thread; false stops.
	check func() bool
	// work is the operation; events reports what the key needs.
	work func(ctx context.Context, events func(hw.Event)) error
	// event turns a key event into a status text, "" to keep the last.
	event func(hw.Event) string
	// failed shows err next to a field and reports true, or reports
	// false to have it shown above the form.
	failed func(err error) bool
	// done runs after work succeeded, on the UI thread.
	done func()
}

func newKeyActionDialog(u *UI, parent context.Context, title, confirm string, body fyne.CanvasObject) *keyActionDialog {
	ctx, cancel := context.WithCancel(parent)
	d := &keyActionDialog{
		ui:       u,
		ctx:      ctx,
		cancel:   cancel,
		message:  newBanner(),
		status:   widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		progress: newBusyBar(),
		fields:   map[string]fieldError{},
	}
	d.status.Wrapping = fyne.TextWrapWord
	d.status.Hide()
	d.confirm = widget.NewButton(confirm, d.onConfirm)
	d.confirm.Importance = widget.HighImportance
	d.dismiss = widget.NewButton(lang.L("Cancel"), d.close)
	d.content = container.NewVBox(d.message, body, d.status, d.progress)
	d.dlg = dialog.NewCustomWithoutButtons(title, d.content, u.win)
	d.dlg.SetButtons([]fyne.CanvasObject{d.dismiss, d.confirm})
	context.AfterFunc(ctx, func() { u.do(d.dlg.Hide) })
	return d
}

func (d *keyActionDialog) show() {
	// Wrapped text is only as tall as it needs once it knows its width.
	const width = 480
	d.content.Resize(fyne.NewSize(width-4*theme.Padding(), d.content.MinSize().Height))
	d.dlg.Resize(fyne.NewSize(width, d.dlg.MinSize().Height))
	d.ui.keys.showDialog(d.dlg, d.dismiss)
}

// close cancels a running operation and closes the dialog.
func (d *keyActionDialog) close() {
	d.cancel()
	d.dlg.Hide()
}

// finish turns the dialog into a message with a single Close button.
func (d *keyActionDialog) finish(kind bannerKind, message string) {
	d.message.show(kind, message, "", nil)
	d.setStatus("")
	d.confirm.Hide()
	d.dismiss.SetText(lang.L("Close"))
	for _, in := range d.inputs {
		in.Disable()
	}
}

func (d *keyActionDialog) setStatus(text string) {
	d.status.SetText(text)
	if text == "" {
		d.status.Hide()
	} else {
		d.status.Show()
	}
}

func (d *keyActionDialog) onConfirm() {
	if d.running || d.confirm.Disabled() {
		return
	}
	d.message.hide()
	for _, f := range d.fields {
		f.set("")
	}
	if d.check != nil && !d.check() {
		return
	}
	d.setBusy(true)
	ctx := d.ctx
	events := func(e hw.Event) {
		d.ui.do(func() {
			if ctx.Err() != nil || !d.running || d.event == nil {
				return
			}
			if text := d.event(e); text != "" {
				d.setStatus(text)
			}
		})
	}
	d.ui.run(ctx, d.progress, func(ctx context.Context) error {
		return d.work(ctx, events)
	}, func(err error) {
		d.setBusy(false)
		d.setStatus("")
		if err == nil {
			d.done()
			return
		}
		if d.failed != nil && d.failed(err) {
			return
		}
		if msg := errorMessage(err); msg != "" {
			d.message.show(bannerError, msg, "", nil)
		}
	})
}

func (d *keyActionDialog) setBusy(busy bool) {
	d.running = busy
	for _, in := range d.inputs {
		setEnabled(in, !busy)
	}
	setEnabled(d.confirm, !busy)
}
