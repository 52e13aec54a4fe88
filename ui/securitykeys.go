package ui

import (
	"context"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/hw"
	"selfservice/resources"
)

// securityKeysScreen is the Security keys area: the FIDO2 keys plugged
// into this computer and, for the chosen one, its info, PIN, passkeys,
// fingerprints and reset. It works without signing in. It waits for a
// key when none is plugged in. Its work runs between open and close.
type securityKeysScreen struct {
	ui     *UI
	ctx    context.Context // set by open
	cancel context.CancelFunc

	back     *widget.Button // nil unless opened from the sign-in screen
	refresh  *widget.Button
	progress *busyBar        // a refresh of a shown list
	problem  *banner         // a kind of key that could not be reached while others were
	picker   *widget.Select  // chooses among several keys
	state    *fyne.Container // searching, waiting, failed or the chosen key
	failed   *banner
	waitBar  *busyBar // runs while waiting for a key
	waiting  bool     // no key is plugged in: waiting for one

	devices []hw.DeviceInfo
	key     *keyDetail // the chosen key; nil while there is none
}

// newSecurityKeysScreen builds the area. With a back function (when it is
// opened from the sign-in screen) it has a Back button.
func newSecurityKeysScreen(u *UI, back func()) *securityKeysScreen {
	s := &securityKeysScreen{
		ui:       u,
		progress: newBusyBar(),
		problem:  newBanner(),
		state:    container.NewStack(),
		failed:   newBanner(),
		waitBar:  newBusyBar(),
	}
	if back != nil {
		s.back = widget.NewButtonWithIcon(lang.L("Back"), theme.NavigateBackIcon(), back)
	}
	s.refresh = widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), s.load)
	s.picker = widget.NewSelect(nil, s.onPick)
	s.picker.PlaceHolder = lang.L("Choose a key")
	s.picker.Hide()
	return s
}

// showSecurityKeys replaces the current screen with the Security keys
// area; back returns from it.
func (u *UI) showSecurityKeys(back func()) {
	if u.opts.Keys == nil {
		return
	}
	s := newSecurityKeysScreen(u, back)
	s.open(u.newScreen(s))
}

// securityKeysButton opens the Security keys area from the sign-in
// screen, and Back returns to it. It is hidden when the app has no
// access to security keys.
func securityKeysButton(u *UI) fyne.CanvasObject {
	b := widget.NewButtonWithIcon(lang.L("Security keys"), resources.SecurityKeyIcon, func() {
		u.showSecurityKeys(func() { u.showSignIn("") })
	})
	b.Importance = widget.LowImportance
	if u.opts.Keys == nil {
		b.Hide()
	}
	return b
}

// open starts the area's work under parent: it lists the keys.
func (s *securityKeysScreen) open(parent context.Context) {
	s.close()
	s.ctx, s.cancel = context.WithCancel(parent)
	s.load()
}

// close stops every key operation of the area and forgets the PIN it
// was given.
func (s *securityKeysScreen) close() {
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
	s.closeKey()
}

func (s *securityKeysScreen) content() fyne.CanvasObject {
	title := container.NewVBox(
		heading(lang.L("Security keys")),
		muted(lang.L("The security keys plugged into this computer. Managing them needs no sign-in.")),
	)
	actions := container.NewHBox(s.refresh)
	header := container.NewBorder(nil, nil, nil, container.NewCenter(actions), title)
	if s.back != nil {
		header = container.NewBorder(nil, nil, container.NewCenter(s.back), container.NewCenter(actions), title)
	}
	top := container.NewVBox(header, s.progress, s.problem, s.picker)
	return container.NewPadded(container.NewBorder(top, nil, nil, nil, s.state))
}

func (s *securityKeysScreen) setState(o fyne.CanvasObject) {
	s.state.Objects = []fyne.CanvasObject{o}
	s.state.Refresh()
}

// load lists the keys, waiting for one to be inserted when there is none.
// A key already shown stays while the list reloads.
func (s *securityKeysScreen) load() {
	if s.ctx == nil {
		return // not open yet
	}
	keys := s.ui.opts.Keys
	bar := s.progress
	if s.key == nil {
		bar = newBusyBar()
		s.setState(searchingView(bar))
	}
	setEnabled(s.refresh, false)
	ctx := s.ctx
	var devices []hw.DeviceInfo
	var problem error
	s.ui.run(ctx, bar, func(ctx context.Context) error {
		devices, problem = keys.Scan(ctx)
		if len(devices) > 0 || problem != nil {
			return nil
		}
		var err error
		devices, err = keys.WaitForKey(ctx, func(e hw.Event) {
			if e.Kind == hw.InsertKey {
				s.ui.do(func() {
					if ctx.Err() == nil {
						s.showWaiting()
					}
				})
			}
		})
		return err
	}, func(err error) {
		setEnabled(s.refresh, true)
		s.waiting = false
		s.waitBar.set(false)
		if err == nil && len(devices) == 0 {
			err = problem
		}
		if err != nil {
			s.showFailed(err)
			return
		}
		s.problem.hide()
		if problem != nil {
			s.problem.show(bannerWarning, errorMessage(problem), "", nil)
		}
		s.showDevices(devices)
	})
}

// searchingView is shown while the keys are listed the first time.
func searchingView(bar *busyBar) fyne.CanvasObject {
	text := widget.NewLabelWithStyle(lang.L("Looking for security keys…"), fyne.TextAlignCenter, fyne.TextStyle{})
	return container.NewCenter(withWidth(280, container.NewVBox(text, bar)))
}

// showWaiting asks for a key to be inserted; the list follows when one is.
func (s *securityKeysScreen) showWaiting() {
	s.waiting = true
	s.waitBar.set(true)
	s.closeKey()
	s.picker.Hide()
	icon := widget.NewIcon(resources.SecurityKeyIcon)
	title := widget.NewLabelWithStyle(lang.L("Insert a security key"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	more := paragraph(lang.L("Plug your key into this computer, or hold it to the reader if it uses NFC. It shows up here by itself."))
	more.Alignment = fyne.TextAlignCenter
	box := container.NewVBox(container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(64), icon)), title, more, s.waitBar)
	s.setState(container.NewCenter(withWidth(380, box)))
}

// showFailed says why no key can be shown, with a way to try again.
func (s *securityKeysScreen) showFailed(err error) {
	msg := errorMessage(err)
	if msg == "" {
		return // cancelled
	}
	s.closeKey()
	s.picker.Hide()
	s.problem.hide()
	s.failed.show(bannerError, msg, lang.L("Retry"), s.load)
	s.setState(container.NewVBox(s.failed))
}

// showDevices lists the keys found and shows the chosen one: the one
// shown before if it is still there, else the first.
func (s *securityKeysScreen) showDevices(devices []hw.DeviceInfo) {
	s.devices = devices
	labels := deviceLabels(devices)
	s.picker.Options = labels
	i := 0
	if s.key != nil {
		if j := slices.IndexFunc(devices, func(d hw.DeviceInfo) bool { return d.Path == s.key.dev.Path }); j >= 0 {
			i = j
		}
	}
	if len(devices) > 1 {
		s.picker.Show()
	} else {
		s.picker.Hide()
	}
	s.picker.Selected = labels[i]
	s.picker.Refresh()
	s.choose(devices[i])
}

// onPick shows the key chosen in the picker.
func (s *securityKeysScreen) onPick(label string) {
	i := slices.Index(s.picker.Options, label)
	if i < 0 || i >= len(s.devices) {
		return
	}
	s.choose(s.devices[i])
}

// choose shows the key dev; a key already shown reloads its info.
func (s *securityKeysScreen) choose(dev hw.DeviceInfo) {
	if s.key != nil && s.key.dev.Path == dev.Path {
		s.key.dev = dev
		s.key.loadInfo()
		return
	}
	s.closeKey()
	s.key = newKeyDetail(s.ui, s.ctx, dev, s.load)
	s.setState(s.key.content())
	s.key.open()
}

// closeKey stops the work on the chosen key and forgets its PIN.
func (s *securityKeysScreen) closeKey() {
	if s.key != nil {
		s.key.close()
		s.key = nil
	}
}

// deviceLabels names the keys for the picker; keys of the same name get
// their number.
func deviceLabels(devices []hw.DeviceInfo) []string {
	labels := make([]string, len(devices))
	seen := map[string]int{}
	for i, d := range devices {
		labels[i] = deviceName(d)
		seen[labels[i]]++
	}
	count := map[string]int{}
	for i, l := range labels {
		if seen[l] > 1 {
			count[l]++
			labels[i] = lang.L("{{.Name}} ({{.Number}})", map[string]any{"Name": l, "Number": count[l]})
		}
	}
	return labels
}

// deviceName is how a key is called: its product name, else a general
// name.
func deviceName(d hw.DeviceInfo) string {
	if d.Product != "" {
		return d.Product
	}
	return lang.L("Security key")
}
