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

	"selfservice/api"
)

// demoMessageView tells, in demo mode, what the message just sent says:
// the demo server writes its text messages and emails to a folder instead
// of sending them, so without it nobody could try SMS or email codes or
// the links of emails. It shows what find takes from the newest message
// of its channel (a code, a link), with a button that uses it (Copy, Use
// this link), and looks again every second while ctx lasts.
type demoMessageView struct {
	widget.BaseWidget
	ui      *UI
	channel string
	find    func(body string) string
	text    *widget.RichText
	found   *widget.Label
	use     *widget.Button
	current string // what is shown; "" while there is nothing
}

// demoMessageHint is the demo line for codes sent on channel
// (api.ChannelSMS or api.ChannelEmail), refreshed until ctx ends; nil
// outside demo mode. Put it under the code entry.
func (u *UI) demoMessageHint(ctx context.Context, channel string) fyne.CanvasObject {
	v := u.demoHint(ctx, channel, codePattern.FindString, lang.L("Copy"), theme.ContentCopyIcon(), u.copyText)
	if v == nil {
		return nil
	}
	v.found.TextStyle = fyne.TextStyle{Monospace: true}
	v.found.SizeName = theme.SizeNameSubHeadingText
	return v
}

// demoLinkHint is the demo line for the link of the newest email that
// has one, whose button passes it to use; nil outside demo mode.
func (u *UI) demoLinkHint(ctx context.Context, use func(link string)) fyne.CanvasObject {
	v := u.demoHint(ctx, api.ChannelEmail, linkPattern.FindString, lang.L("Use this link"), theme.NavigateNextIcon(), func(_ *widget.Button, link string) { use(link) })
	if v == nil {
		return nil
	}
	v.found.Truncation = fyne.TextTruncateEllipsis
	return v
}

func (u *UI) demoHint(ctx context.Context, channel string, find func(string) string, action string, icon fyne.Resource, use func(b *widget.Button, found string)) *demoMessageView {
	if u.opts.DemoMessages == nil {
		return nil
	}
	v := &demoMessageView{ui: u, channel: channel, find: find, text: hint(""), found: widget.NewLabel("")}
	v.use = widget.NewButtonWithIcon(action, icon, func() { use(v.use, v.current) })
	v.use.Importance = widget.LowImportance
	v.show("")
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
		found := ""
		if newest := newestOf(messages, v.channel, v.find); newest != nil {
			found = v.find(newest.Body)
		}
		v.ui.do(func() {
			if ctx.Err() == nil {
				v.show(found)
			}
		})
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// newestOf is the newest message of channel in which find finds
// something, or nil.
func newestOf(messages []DemoMessage, channel string, find func(string) string) *DemoMessage {
	var newest *DemoMessage
	for i, m := range messages {
		if m.Channel == channel && find(m.Body) != "" && (newest == nil || m.At.After(newest.At)) {
			newest = &messages[i]
		}
	}
	return newest
}

// codePattern finds a one-time code in a message's text; linkPattern
// the link of an email.
var (
	codePattern = regexp.MustCompile(`\b[0-9]{6,8}\b`)
	linkPattern = regexp.MustCompile(`https?://\S+`)
)

// show shows found, or that no message has arrived yet.
func (v *demoMessageView) show(found string) {
	v.current = found
	if found == "" {
		setStyledText(v.text, lang.L("Demo: messages are written to a folder instead of being sent. Waiting for the message…"))
		v.found.Hide()
		v.use.Hide()
		return
	}
	setStyledText(v.text, lang.L("Demo: messages are written to a folder instead of being sent — this one says:"))
	v.found.SetText(found)
	v.found.Show()
	v.use.Show()
}

func (v *demoMessageView) CreateRenderer() fyne.WidgetRenderer {
	row := container.NewBorder(nil, nil, nil, v.use, v.found)
	return widget.NewSimpleRenderer(container.NewVBox(v.text, row))
}
