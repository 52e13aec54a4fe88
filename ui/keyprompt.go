package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/hw"
	"selfservice/resources"
)

// keyOp is one attempt of a ceremony with the security key a: typically
// it asks the server for options, lets the key answer them and sends the
// answer back. pin is "" until the key has asked for it; events reports
// what the key needs from the user. It runs off the UI thread.
type keyOp func(ctx context.Context, a hw.Authenticator, pin string, events func(hw.Event)) error

// keyCeremony is what a keyPrompt runs.
type keyCeremony struct {
	// purpose says in one sentence what the key is used for.
	purpose string
	op      keyOp
	// final reports errors after which trying again cannot help (for
	// example an expired sign-in): the ceremony ends with them. When nil,
	// every error offers Try again.
	final func(error) bool
	// done runs once, on the UI thread, when the ceremony ends: with nil
	// after op succeeded, with a final error, or with an error matching
	// hw.ErrCancelled when the user cancelled.
	done func(error)
}

// promptState is what a keyPrompt asks of the user.
type promptState int

const (
	promptStarting  promptState = iota + 1 // looking for the key, asking the server
	promptInsert                           // waiting for a key to be plugged in
	promptChoose                           // several keys: pick one
	promptPIN                              // enter the key's PIN
	promptTouch                            // touch the key
	promptCancelled                        // the key stopped before it answered
	promptFailed                           // an error, with Try again
	promptDone                             // the ceremony succeeded
)

// errChooseKey ends an attempt that found several keys and needs the
// user to pick one.
var errChooseKey = errors.New("more than one security key")

// keyPrompt runs a ceremony with a security key and shows what the key
// needs from the user: insert it, choose it among several, enter its PIN,
// touch it; and what went wrong, with Try again. It has no Cancel button
// of its own: its container (a dialog, the enrollment) offers one that
// calls stop, and places the action button (Continue or Try again).
type keyPrompt struct {
	ui *UI
	c  keyCeremony

	ctx     context.Context    // the ceremony's; set by start
	end     context.CancelFunc // ends ctx
	stopOp  context.CancelFunc // ends the running attempt
	attempt int                // counts attempts; events of earlier ones are dropped
	ended   bool

	state   promptState
	chosen  string          // path of the key picked among several; "" takes the only one
	devices []hw.DeviceInfo // the keys offered in promptChoose
	pin     string          // the PIN entered during this ceremony
	retries int             // PIN attempts left as the key last said; -1 unknown
	virtual bool            // the attempt uses the demo's virtual key
	failure string          // the message of promptFailed
	keyIcon fyne.Resource   // the key in the theme's primary colour

	icon     *keyPulse
	title    *widget.Label
	text     *widget.Label
	body     *fyne.Container
	choices  *widget.RadioGroup
	pinEntry *entry
	pinHint  *widget.Label
	pinErr   fieldError
	progress *busyBar
	action   *widget.Button // Continue or Try again; placed by the container
}

func newKeyPrompt(u *UI, c keyCeremony) *keyPrompt {
	p := &keyPrompt{
		ui:       u,
		c:        c,
		retries:  -1,
		keyIcon:  theme.NewPrimaryThemedResource(resources.SecurityKeyIcon),
		title:    widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		text:     paragraph(""),
		body:     container.NewStack(),
		choices:  widget.NewRadioGroup(nil, nil),
		pinEntry: newPasswordEntry(),
		pinHint:  paragraph(""),
		pinErr:   newFieldError(),
		progress: newBusyBar(),
	}
	p.icon = newKeyPulse(p.keyIcon)
	p.title.SizeName = theme.SizeNameSubHeadingText
	p.text.Alignment = fyne.TextAlignCenter
	p.choices.Required = true
	p.pinEntry.SetPlaceHolder(lang.L("PIN"))
	p.pinEntry.OnSubmitted = func(string) { p.onAction() }
	p.action = widget.NewButton("", p.onAction)
	p.action.Importance = widget.HighImportance
	p.action.Hide()
	return p
}

func (p *keyPrompt) content() fyne.CanvasObject {
	icon := container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(96), p.icon))
	return withWidth(380, container.NewVBox(icon, p.title, p.text, p.body, p.progress))
}

// start runs the first attempt. The ceremony ends with ctx.
func (p *keyPrompt) start(ctx context.Context) {
	p.ctx, p.end = context.WithCancel(ctx)
	p.run()
}

// stop cancels the ceremony: the key stops waiting, and done gets an
// error matching hw.ErrCancelled.
func (p *keyPrompt) stop() {
	p.finish(fmt.Errorf("security key ceremony: %w", hw.ErrCancelled))
}

// finish ends the ceremony with err and tells done.
func (p *keyPrompt) finish(err error) {
	if p.ended {
		return
	}
	p.ended = true
	if p.end != nil {
		p.end()
	}
	p.pin = ""
	p.icon.setPulsing(false)
	p.action.Hide()
	if p.c.done != nil {
		p.c.done(err)
	}
}

// run starts an attempt: find the key, then the ceremony's op.
func (p *keyPrompt) run() {
	if p.ended {
		return
	}
	p.attempt++
	n := p.attempt
	ctx, cancel := context.WithCancel(p.ctx)
	p.stopOp = cancel
	p.show(promptStarting)

	current := func(fn func()) {
		p.ui.do(func() {
			if n == p.attempt && !p.ended {
				fn()
			}
		})
	}
	events := func(e hw.Event) { current(func() { p.onEvent(e) }) }
	keys, chosen, pin := p.ui.opts.Keys, p.chosen, p.pin
	var devices []hw.DeviceInfo
	p.ui.run(ctx, p.progress, func(ctx context.Context) error {
		path := chosen
		if path == "" {
			var err error
			devices, err = keys.WaitForKey(ctx, events)
			if err != nil {
				return err
			}
			if len(devices) > 1 {
				return errChooseKey
			}
			path = devices[0].Path
		}
		a, err := keys.Open(path)
		if err != nil {
			return err
		}
		current(func() { p.virtual = path == hw.SoftwarePath })
		return p.c.op(ctx, a, pin, events)
	}, func(err error) {
		cancel()
		p.attemptDone(err, devices)
	})
}

// onEvent shows what the key needs now.
func (p *keyPrompt) onEvent(e hw.Event) {
	switch e.Kind {
	case hw.InsertKey:
		p.show(promptInsert)
	case hw.TouchKey:
		p.show(promptTouch)
	case hw.PINNeeded:
		p.retries = e.RetriesLeft
	}
}

// attemptDone handles the end of an attempt that was not cancelled.
func (p *keyPrompt) attemptDone(err error, devices []hw.DeviceInfo) {
	var wrongPIN *hw.WrongPINError
	switch {
	case err == nil:
		p.show(promptDone)
		p.finish(nil)
	case errors.Is(err, errChooseKey):
		p.devices = devices
		p.show(promptChoose)
	case errors.Is(err, hw.ErrPINRequired):
		p.pinErr.set("")
		p.show(promptPIN)
	case errors.As(err, &wrongPIN):
		p.pin = ""
		p.retries = wrongPIN.RetriesLeft
		p.pinErr.set(lang.L("The PIN is not correct."))
		p.show(promptPIN)
	case errors.Is(err, hw.ErrCancelled) || errorMessage(err) == "":
		p.show(promptCancelled)
	case p.c.final != nil && p.c.final(err):
		p.finish(err)
	default:
		if errors.Is(err, hw.ErrNoDevice) {
			p.chosen = "" // it was removed: look again
		}
		if errors.Is(err, hw.ErrPINBlocked) || errors.Is(err, hw.ErrPINAuthBlocked) {
			p.pin = ""
		}
		p.failure = errorMessage(err)
		p.show(promptFailed)
	}
}

// onAction continues after the user chose a key or entered the PIN, or
// tries again.
func (p *keyPrompt) onAction() {
	if p.ended || !p.action.Visible() {
		return
	}
	switch p.state {
	case promptChoose:
		i := slices.Index(p.choices.Options, p.choices.Selected)
		if i < 0 || i >= len(p.devices) {
			return
		}
		p.chosen = p.devices[i].Path
	case promptPIN:
		if p.pinEntry.Text == "" {
			p.pinErr.set(lang.L("Enter the PIN of your security key."))
			p.ui.win.Canvas().Focus(p.pinEntry)
			return
		}
		p.pin = p.pinEntry.Text
		p.pinEntry.SetText("")
	}
	p.run()
}

// show puts state on screen.
func (p *keyPrompt) show(state promptState) {
	p.state = state
	p.icon.setResource(p.keyIcon)
	p.icon.setPulsing(state == promptTouch)
	var body fyne.CanvasObject
	action := ""
	switch state {
	case promptStarting:
		p.setText(lang.L("Getting ready…"), p.c.purpose)
	case promptInsert:
		p.setText(lang.L("Insert your security key"), lang.L("Plug your security key into this computer. Selfservice notices it by itself."))
	case promptChoose:
		p.setText(lang.L("Choose a security key"), lang.L("More than one security key is plugged in. Choose the one to use."))
		p.choices.Options = deviceLabels(p.devices)
		p.choices.Selected = p.choices.Options[0]
		p.choices.Refresh()
		body, action = p.choices, lang.L("Continue")
	case promptPIN:
		p.setText(lang.L("Enter your key's PIN"), lang.L("Your security key is protected by a PIN. Enter it to continue."))
		p.pinHint.SetText(pinRetriesText(p.retries))
		body = container.NewVBox(p.pinEntry, p.pinErr, p.pinHint)
		action = lang.L("Continue")
	case promptTouch:
		text := lang.L("Touch the button or metal contact of your security key when it blinks.")
		if p.virtual {
			text = lang.L("This is the demo's virtual security key: it answers by itself in a moment.")
		}
		p.setText(lang.L("Touch your security key"), text)
	case promptCancelled:
		p.icon.setResource(theme.NewWarningThemedResource(theme.WarningIcon()))
		p.setText(lang.L("Cancelled"), lang.L("The security key stopped before it answered, so nothing was changed. Try again when you are ready."))
		action = lang.L("Try again")
	case promptFailed:
		p.icon.setResource(theme.NewErrorThemedResource(theme.ErrorIcon()))
		p.setText(lang.L("That did not work"), p.failure)
		action = lang.L("Try again")
	case promptDone:
		p.icon.setResource(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
		p.setText(lang.L("Done"), "")
	}

	if body == nil {
		p.body.Objects = nil
	} else {
		p.body.Objects = []fyne.CanvasObject{body}
	}
	p.body.Refresh()
	if action == "" {
		p.action.Hide()
	} else {
		p.action.SetText(action)
		p.action.Show()
	}
	if state == promptPIN {
		p.ui.win.Canvas().Focus(p.pinEntry)
	}
}

func (p *keyPrompt) setText(title, text string) {
	p.title.SetText(title)
	p.text.SetText(text)
}

// pinRetriesText says how many PIN attempts are left, or "" when unknown.
func pinRetriesText(retries int) string {
	if retries < 0 {
		return ""
	}
	return lang.L("{{.Left}} attempts left before the key locks.", map[string]any{"Left": retries})
}

// keyDialog is a security-key ceremony in a dialog with a Cancel button.
type keyDialog struct {
	prompt *keyPrompt
	dlg    *dialog.CustomDialog
	cancel *widget.Button
}

// runKeyCeremony shows a dialog titled title that runs c. The dialog
// closes before c.done runs, and also when parent ends (then done is not
// called: there is nowhere to report to). Cancel stops the key at once.
func runKeyCeremony(u *UI, parent context.Context, title string, c keyCeremony) *keyDialog {
	d := &keyDialog{}
	ctx, cancel := context.WithCancel(parent)
	done := c.done
	c.done = func(err error) {
		cancel()
		d.dlg.Hide()
		if done != nil {
			done(err)
		}
	}
	d.prompt = newKeyPrompt(u, c)
	d.cancel = widget.NewButton(lang.L("Cancel"), d.prompt.stop)
	// Room between the busy bar and the buttons.
	content := container.New(layout.NewCustomPaddedLayout(0, 2*theme.Padding(), 0, 0), d.prompt.content())
	d.dlg = dialog.NewCustomWithoutButtons(title, content, u.win)
	d.dlg.SetButtons([]fyne.CanvasObject{d.cancel, d.prompt.action})
	context.AfterFunc(ctx, func() { u.do(d.dlg.Hide) })

	d.prompt.start(ctx)
	const width = 460
	content.Resize(fyne.NewSize(width-4*theme.Padding(), content.MinSize().Height))
	d.dlg.Resize(fyne.NewSize(width, d.dlg.MinSize().Height))
	u.keys.showDialog(d.dlg, d.cancel)
	return d
}
