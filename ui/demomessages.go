package ui

import (
	"context"
	"regexp"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// demoMessageView tells, in demo mode, what the code just sent says: the
// demo server writes its text messages and emails to a folder instead of
// sending them, so without it nobody could try SMS or email codes. It
// shows the code of the newest message of its channel, with Copy, and
// looks again every second while ctx lasts.
type demoMessageView struct {
	widget.BaseWidget
	ui      *UI
	channel string
	text    *widget.RichText
	code    *widget.Label
	copy    *widget.Button
	current string // the code shown; "" while there is none
}

// demoMessageHint is the demo line for codes sent on channel
// (api.ChannelSMS or api.ChannelEmail), refreshed until ctx ends; nil
// outside demo mode. Put it under the code entry.
func (u *UI) demoMessageHint(ctx context.Context, channel string) fyne.CanvasObject {
	if u.opts.DemoMessages == nil {
		return nil
	}
	v := &demoMessageView{ui: u, channel: channel, text: hint(""), code: widget.NewLabel("")}
	v.code.TextStyle = fyne.TextStyle{Monospace: true}
	v.code.SizeName = theme.SizeNameSubHeadingText
	v.copy = widget.NewButtonWithIcon(lang.L("Copy"), theme.ContentCopyIcon(), func() { u.copyText(v.current) })
	v.copy.Importance = widget.LowImportance
	v.show(nil)
	v.ExtendBaseWidget(v)
	go v.watch(ctx)
	return v
}

// watch reads the messages now and then every second until ctx ends.
func (v *demoMessageView) watch(ctx context.Context) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		messages, err := v.ui.opts.DemoMessages()
		if err != nil {
			messages = nil // a folder being written is read again next time
		}
		newest := newestOf(messages, v.channel)
		v.ui.do(func() {
			if ctx.Err() == nil {
				v.show(newest)
			}
		})
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// newestOf is the newest message of channel, or nil.
func newestOf(messages []DemoMessage, channel string) *DemoMessage {
	var newest *DemoMessage
	for i, m := range messages {
		if m.Channel == channel && (newest == nil || m.At.After(newest.At)) {
			newest = &messages[i]
		}
	}
	return newest
}

// codePattern finds a one-time code in a message's text.
var codePattern = regexp.MustCompile(`\b[0-9]{6,8}\b`)

// show shows the code of m, or that none has arrived yet.
func (v *demoMessageView) show(m *DemoMessage) {
	code := ""
	if m != nil {
		code = codePattern.FindString(m.Body)
	}
	v.current = code
	if code == "" {
		setStyledText(v.text, lang.L("Demo: messages are written to a folder instead of being sent. Waiting for the message…"))
		v.code.Hide()
		v.copy.Hide()
		return
	}
	setStyledText(v.text, lang.L("Demo: messages are written to a folder instead of being sent — this one says:"))
	v.code.SetText(code)
	v.code.Show()
	v.copy.Show()
}

func (v *demoMessageView) CreateRenderer() fyne.WidgetRenderer {
	row := container.NewHBox(v.code, v.copy)
	return widget.NewSimpleRenderer(container.NewVBox(v.text, row))
}
