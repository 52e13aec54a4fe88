package ui

import (
	"context"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
	"selfservice/app"
)

// demoPanel shows, in demo mode only, the demo accounts and the current
// code of each one's authenticator token, then the demo hardware tokens
// and theirs, so that the app can be tried without a phone or a device.
type demoPanel struct {
	ui       *UI
	rows     []*demoRow
	hardware *demoHardware // nil when there is none to show

	beforeSignIn bool // the accounts can be used: the sign-in screen
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

// newDemoPanel builds the panel with accounts and the hardware tokens;
// use, when not nil, is called by each account's "Use" button, and the
// panel, shown before signing in, explains more. After it (the second
// factor, a step-up dialog) the panel is kept short to fit beside or in
// a form.
func newDemoPanel(u *UI, accounts []DemoInfo, hardware []DemoHardwareToken, use func(DemoInfo)) *demoPanel {
	p := &demoPanel{ui: u, beforeSignIn: use != nil}
	if len(hardware) > 0 {
		p.hardware = newDemoHardware(u, hardware, nil)
	}
	for _, a := range accounts {
		r := &demoRow{account: a, code: widget.NewLabel(""), bar: newCountdown(), left: hint("")}
		r.left.Wrapping = fyne.TextWrapOff
		r.code.TextStyle = fyne.TextStyle{Monospace: true}
		r.code.SizeName = theme.SizeNameSubHeadingText
		r.copy = widget.NewButtonWithIcon("", theme.ContentCopyIcon(), func() { u.copyText(r.copy, r.current) })
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
	p.ui.every(ctx, time.Second, p.update)
}

// update shows each account's current code and how long it stays valid.
func (p *demoPanel) update() {
	if p.hardware != nil {
		p.hardware.update()
	}
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
	intro := hint(lang.L("Nothing here is real: the code replaces the authenticator app on your phone."))
	if p.beforeSignIn {
		intro = hint(lang.L("Selfservice is connected to its built-in demo server. Nothing here is real: use these accounts to try it out. The code replaces the authenticator app on your phone."))
	}
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
	if p.hardware != nil {
		box.Add(widget.NewSeparator())
		if p.beforeSignIn { // after it, the user's own tokens need no explaining
			box.Add(widget.NewLabelWithStyle(lang.L("Demo hardware tokens"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
			box.Add(hint(lang.L("Sign in, then add one with Add sign-in method.")))
		}
		box.Add(p.hardware.content()) // no countdown: the accounts' above tells
	}
	return widget.NewCard("", "", container.NewPadded(box))
}

// demoHardware shows the code each demo hardware token would show now,
// one line per token, and one countdown: like the demo accounts' codes,
// they all change every 30 s at the same moment.
type demoHardware struct {
	ui   *UI
	rows []*demoHardwareRow
	bar  *countdown
	left *widget.RichText
}

// demoHardwareRow is one demo hardware token.
type demoHardwareRow struct {
	token   DemoHardwareToken
	code    *widget.Label
	action  *widget.Button // copies the code, or, with use, fills it in
	current string         // the code shown, without spaces
}

// newDemoHardware builds the lines of tokens; use, when not nil, is
// called with a token and its current code by the token's "Use" button,
// which otherwise copies the code.
func newDemoHardware(u *UI, tokens []DemoHardwareToken, use func(DemoHardwareToken, string)) *demoHardware {
	h := &demoHardware{ui: u, bar: newCountdown(), left: hint("")}
	h.left.Wrapping = fyne.TextWrapOff
	for _, t := range tokens {
		r := &demoHardwareRow{token: t, code: widget.NewLabel("")}
		r.code.TextStyle = fyne.TextStyle{Monospace: true}
		if use != nil {
			r.action = widget.NewButton(lang.L("Use"), func() { use(r.token, r.current) })
		} else {
			r.action = widget.NewButtonWithIcon("", theme.ContentCopyIcon(), func() { u.copyText(r.action, r.current) })
		}
		h.rows = append(h.rows, r)
	}
	h.update()
	return h
}

// update shows each token's current code and how long it stays valid.
func (h *demoHardware) update() {
	now := h.ui.now()
	for _, r := range h.rows {
		code, left, err := app.DemoCode(r.token.Secret, now)
		if err != nil {
			r.current = ""
			r.code.SetText(lang.L("No code"))
			continue
		}
		r.current = code
		r.code.SetText(spacedCode(code))
		h.bar.set(float64(left) / 30)
		setStyledText(h.left, lang.L("{{.Seconds}} s", map[string]any{"Seconds": left}))
	}
}

// content is the line of each token.
func (h *demoHardware) content() fyne.CanvasObject {
	box := container.NewVBox()
	for _, r := range h.rows {
		serial := widget.NewLabelWithStyle(r.token.Serial, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		box.Add(container.NewBorder(nil, nil, serial, r.action, r.code))
	}
	return box
}

// countdown is how long the codes stay valid.
func (h *demoHardware) countdown() fyne.CanvasObject {
	return container.NewBorder(nil, nil, nil, h.left, h.bar)
}

// heldDemoHardware returns the demo hardware tokens among methods: the
// ones the user signing in holds.
func heldDemoHardware(u *UI, methods []api.LoginMethod) []DemoHardwareToken {
	var held []DemoHardwareToken
	for _, t := range u.opts.DemoHardware {
		if slices.ContainsFunc(methods, func(m api.LoginMethod) bool { return strings.EqualFold(m.Label, t.Serial) }) {
			held = append(held, t)
		}
	}
	return held
}
