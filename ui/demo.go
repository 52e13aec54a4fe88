package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/app"
)

// demoPanel shows, in demo mode only, the demo accounts and the current
// code of each one's authenticator token, so that the app can be tried
// without a phone.
type demoPanel struct {
	ui   *UI
	rows []*demoRow
}

// demoRow is one demo account in the panel.
type demoRow struct {
	account DemoInfo
	code    *widget.Label
	bar     *countdown
	left    *widget.RichText
	copy    *widget.Button
	use     *widget.Button // nil when the panel cannot fill in the account
	current string         // the code shown, without spaces
}

// newDemoPanel builds the panel; use, when not nil, is called by each
// account's "Use" button.
func newDemoPanel(u *UI, accounts []DemoInfo, use func(DemoInfo)) *demoPanel {
	p := &demoPanel{ui: u}
	for _, a := range accounts {
		r := &demoRow{account: a, code: widget.NewLabel(""), bar: newCountdown(), left: hint("")}
		r.left.Wrapping = fyne.TextWrapOff
		r.code.TextStyle = fyne.TextStyle{Monospace: true}
		r.code.SizeName = theme.SizeNameSubHeadingText
		r.copy = widget.NewButtonWithIcon("", theme.ContentCopyIcon(), func() { u.copyText(r.current) })
		if use != nil {
			r.use = widget.NewButton(lang.L("Use"), func() { use(r.account) })
		}
		p.rows = append(p.rows, r)
	}
	p.update()
	return p
}

// start refreshes the codes every second until ctx ends.
func (p *demoPanel) start(ctx context.Context) {
	go func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				p.ui.do(p.update)
			}
		}
	}()
}

// update shows each account's current code and how long it stays valid.
func (p *demoPanel) update() {
	now := p.ui.now()
	for _, r := range p.rows {
		code, left, err := app.DemoCode(r.account.TOTPSecret, now)
		if err != nil {
			r.current = ""
			r.code.SetText(lang.L("No code"))
			continue
		}
		r.current = code
		r.code.SetText(spacedCode(code))
		r.bar.set(float64(left) / 30)
		setStyledText(r.left, lang.L("{{.Seconds}} s", map[string]any{"Seconds": left}))
	}
}

// spacedCode shows "123456" as "123 456".
func spacedCode(code string) string {
	if len(code) < 6 {
		return code
	}
	half := len(code) / 2
	return code[:half] + " " + code[half:]
}

func (p *demoPanel) content() fyne.CanvasObject {
	title := container.NewHBox(newBadge(lang.L("Demo mode"), theme.ColorNameWarning))
	intro := hint(lang.L("Selfservice is connected to its built-in demo server. Nothing here is real: use these accounts to try it out. The code replaces the authenticator app on your phone."))
	box := container.NewVBox(title, intro)
	for _, r := range p.rows {
		box.Add(widget.NewSeparator())
		account := widget.NewLabelWithStyle(r.account.Username, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		var top fyne.CanvasObject = account
		if r.use != nil {
			top = container.NewBorder(nil, nil, nil, r.use, account)
		}
		rows := container.NewVBox(top)
		if r.use != nil {
			rows.Add(muted(lang.L("Password: {{.Password}}", map[string]any{"Password": r.account.Password})))
		}
		rows.Add(container.NewBorder(nil, nil, nil, r.copy, r.code))
		rows.Add(container.NewBorder(nil, nil, nil, r.left, r.bar))
		box.Add(rows)
	}
	return widget.NewCard("", "", container.NewPadded(box))
}
