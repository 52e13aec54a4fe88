package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// transferBar shows the progress of an upload or a download: what moves,
// how much of it has, and Cancel when it can be stopped. It is hidden
// while nothing moves.
type transferBar struct {
	*fyne.Container
	label  *widget.Label
	bar    *widget.ProgressBar
	cancel *widget.Button
	stopFn context.CancelFunc
}

func newTransferBar() *transferBar {
	t := &transferBar{label: widget.NewLabel(""), bar: widget.NewProgressBar()}
	t.label.SizeName = theme.SizeNameCaptionText
	t.cancel = widget.NewButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), func() {
		if t.stopFn != nil {
			t.stopFn()
		}
	})
	t.Container = container.NewVBox(t.label, container.NewBorder(nil, nil, nil, t.cancel, t.bar))
	t.Hide()
	return t
}

// start shows text and an empty bar; cancel, when not nil, is what
// Cancel calls.
func (t *transferBar) start(text string, cancel context.CancelFunc) {
	t.label.SetText(text)
	t.bar.SetValue(0)
	t.stopFn = cancel
	if cancel == nil {
		t.cancel.Hide()
	} else {
		t.cancel.Show()
	}
	t.Show()
}

func (t *transferBar) stop() {
	t.stopFn = nil
	t.Hide()
}

// progress is the function a transfer reports to, from its goroutine: it
// moves the bar through do, once for each percent.
func (t *transferBar) progress(do func(func())) func(done, total int64) {
	shown := int64(-1)
	return func(done, total int64) {
		if total <= 0 {
			return
		}
		percent := done * 100 / total
		if percent == shown {
			return
		}
		shown = percent
		do(func() { t.bar.SetValue(float64(done) / float64(total)) })
	}
}
