package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
)

// requestDialog shows one approval request in detail, with a message
// above it, a part of the area's own (a comment field) below it, and the
// area's buttons. It closes by itself when its area stops.
type requestDialog struct {
	ui     *UI
	ctx    context.Context
	cancel context.CancelFunc
	dlg    *dialog.CustomDialog

	req      api.ApprovalRequest
	message  *banner
	detail   *fyne.Container
	progress *busyBar
	dismiss  *widget.Button
	buttons  *fyne.Container
}

func newRequestDialog(u *UI, parent context.Context, title string, req api.ApprovalRequest, extra fyne.CanvasObject) *requestDialog {
	ctx, cancel := context.WithCancel(parent)
	d := &requestDialog{
		ui:       u,
		ctx:      ctx,
		cancel:   cancel,
		message:  newBanner(),
		detail:   container.NewStack(),
		progress: newBusyBar(),
		buttons:  container.NewHBox(),
	}
	d.dismiss = widget.NewButton(lang.L("Close"), d.close)
	d.buttons.Add(d.dismiss)
	scroll := container.NewVScroll(d.detail)
	scroll.SetMinSize(fyne.NewSize(480, 300))
	bottom := container.NewVBox(d.progress)
	if extra != nil {
		bottom.Add(extra)
	}
	body := container.NewBorder(d.message, bottom, nil, nil, scroll)
	d.dlg = dialog.NewCustomWithoutButtons(title, body, u.win)
	d.dlg.SetButtons([]fyne.CanvasObject{d.buttons})
	context.AfterFunc(ctx, func() { u.do(d.dlg.Hide) })
	d.setRequest(req)
	return d
}

// addButton puts a button before Close.
func (d *requestDialog) addButton(b *widget.Button) {
	d.buttons.Objects = append(d.buttons.Objects[:len(d.buttons.Objects)-1], b, d.dismiss)
	d.buttons.Refresh()
}

// setRequest shows req.
func (d *requestDialog) setRequest(req api.ApprovalRequest) {
	d.req = req
	d.detail.Objects = []fyne.CanvasObject{container.NewPadded(requestDetail(req, d.ui.dates, d.ui.now()))}
	d.detail.Refresh()
}

func (d *requestDialog) show() {
	d.dlg.Resize(fyne.NewSize(540, 560))
	d.ui.keys.showDialog(d.dlg, d.dismiss)
}

// close cancels any running call and closes the dialog.
func (d *requestDialog) close() {
	d.cancel()
	d.dlg.Hide()
}

// refresh loads the request again with get, best effort: the copy shown
// stays when it fails.
func (d *requestDialog) refresh(get func(ctx context.Context, id string) (api.ApprovalRequest, error), done func()) {
	var fresh api.ApprovalRequest
	d.ui.run(d.ctx, d.progress, func(ctx context.Context) error {
		var err error
		fresh, err = get(ctx, d.req.ID)
		return err
	}, func(err error) {
		if err == nil {
			d.setRequest(fresh)
		}
		done()
	})
}
