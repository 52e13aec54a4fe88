package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"selfservice/hw"
)

// keyDetail manages one key, in tabs: its info and PIN, its passkeys, its
// fingerprints (when it has a sensor) and its reset. It keeps the PIN the
// user entered, in memory only and while it is shown, so that passkeys
// and fingerprints ask for it once.
type keyDetail struct {
	ui     *UI
	ctx    context.Context
	cancel context.CancelFunc
	dev    hw.DeviceInfo
	relist func() // lists the keys again, for a key that went away

	auth hw.Authenticator // set once the key is opened
	info hw.Info
	pin  string // entered by the user; "" until then

	progress *busyBar
	notice   *banner // outcome of the last action
	failed   *banner
	state    *fyne.Container // opening, failed or the tabs
	tabs     *container.AppTabs
	tabList  []keyTab // in the order of tabs.Items

	overview     *keyOverview
	passkeys     *passkeysTab
	fingerprints *fingerprintsTab // nil for a key without a fingerprint sensor
	reset        *resetTab
}

// keyTab is a tab of a key: refresh shows what fits the key's info and
// PIN now, loading what it lists when needed.
type keyTab interface {
	refresh()
}

func newKeyDetail(u *UI, parent context.Context, dev hw.DeviceInfo, relist func()) *keyDetail {
	ctx, cancel := context.WithCancel(parent)
	return &keyDetail{
		ui:       u,
		ctx:      ctx,
		cancel:   cancel,
		dev:      dev,
		relist:   relist,
		progress: newBusyBar(),
		notice:   newBanner(),
		failed:   newBanner(),
		state:    container.NewStack(),
	}
}

func (d *keyDetail) content() fyne.CanvasObject {
	return container.NewBorder(container.NewVBox(d.progress, d.notice), nil, nil, nil, d.state)
}

// close stops the key's operations and forgets its PIN.
func (d *keyDetail) close() {
	d.cancel()
	d.pin = ""
}

func (d *keyDetail) setState(o fyne.CanvasObject) {
	d.state.Objects = []fyne.CanvasObject{o}
	d.state.Refresh()
}

// open opens the key and reads its info, then shows the tabs.
func (d *keyDetail) open() {
	keys := d.ui.opts.Keys
	bar := newBusyBar()
	text := widget.NewLabelWithStyle(lang.L("Reading the key…"), fyne.TextAlignCenter, fyne.TextStyle{})
	d.setState(container.NewCenter(withWidth(280, container.NewVBox(text, bar))))
	var auth hw.Authenticator
	var info hw.Info
	d.ui.run(d.ctx, bar, func(ctx context.Context) error {
		var err error
		if auth, err = keys.Open(d.dev.Path); err != nil {
			return err
		}
		info, err = auth.Info(ctx)
		return err
	}, func(err error) {
		if err != nil {
			d.showFailed(err)
			return
		}
		d.auth, d.info = auth, info
		d.showTabs()
	})
}

// showFailed says why the key cannot be used, with a way to try again.
func (d *keyDetail) showFailed(err error) {
	msg := errorMessage(err)
	if msg == "" {
		return
	}
	retry := d.open
	if errors.Is(err, hw.ErrNoDevice) {
		retry = d.relist // it was unplugged
	}
	d.failed.show(bannerError, msg, lang.L("Retry"), retry)
	d.setState(container.NewVBox(d.failed))
}

// showTabs builds the tabs for the key's info.
func (d *keyDetail) showTabs() {
	d.overview = newKeyOverview(d)
	d.passkeys = newPasskeysTab(d)
	d.reset = newResetTab(d)
	items := []*container.TabItem{
		container.NewTabItem(lang.L("Overview"), d.overview.content()),
		container.NewTabItem(lang.L("Passkeys"), d.passkeys.content()),
	}
	d.tabList = []keyTab{d.overview, d.passkeys}
	if d.info.SupportsFingerprints() {
		d.fingerprints = newFingerprintsTab(d)
		items = append(items, container.NewTabItem(lang.L("Fingerprints"), d.fingerprints.content()))
		d.tabList = append(d.tabList, d.fingerprints)
	}
	items = append(items, container.NewTabItem(lang.L("Reset"), d.reset.content()))
	d.tabList = append(d.tabList, d.reset)

	d.tabs = container.NewAppTabs(items...)
	d.tabs.OnSelected = func(*container.TabItem) { d.selected().refresh() }
	d.setState(d.tabs)
	d.overview.refresh()
}

// selected is the tab shown now.
func (d *keyDetail) selected() keyTab {
	if i := d.tabs.SelectedIndex(); i > 0 && i < len(d.tabList) {
		return d.tabList[i]
	}
	return d.overview
}

// loadInfo reads the key's info again (PIN set, attempts left…) and
// refreshes the overview and the tab shown.
func (d *keyDetail) loadInfo() {
	if d.auth == nil {
		d.open()
		return
	}
	var info hw.Info
	d.ui.run(d.ctx, d.progress, func(ctx context.Context) error {
		var err error
		info, err = d.auth.Info(ctx)
		return err
	}, func(err error) {
		if d.gone(err) {
			return
		}
		if err != nil {
			d.notice.show(bannerError, errorMessage(err), lang.L("Retry"), d.loadInfo)
			return
		}
		d.info = info
		d.overview.refresh()
		if tab := d.selected(); tab != d.overview {
			tab.refresh()
		}
	})
}

// changed forgets what the tabs listed after the key changed (new PIN,
// wrong PIN), and reads the info again.
func (d *keyDetail) changed() {
	d.forgetLists()
	d.loadInfo()
}

// forgetLists makes the passkeys and fingerprints tabs list again when
// they are shown next.
func (d *keyDetail) forgetLists() {
	d.passkeys.loaded = false
	if d.fingerprints != nil {
		d.fingerprints.loaded = false
	}
}

// gone reports whether err says that the key was unplugged, and then
// lists the keys again.
func (d *keyDetail) gone(err error) bool {
	if !errors.Is(err, hw.ErrNoDevice) {
		return false
	}
	d.relist()
	return true
}

// pinFailed handles an operation that failed because of the PIN: a wrong
// or missing PIN is forgotten, and the info is read again since the
// attempts left changed. It reports whether err was about the PIN.
func (d *keyDetail) pinFailed(err error) bool {
	switch {
	case errors.Is(err, hw.ErrWrongPIN), errors.Is(err, hw.ErrPINRequired),
		errors.Is(err, hw.ErrPINBlocked), errors.Is(err, hw.ErrPINAuthBlocked), errors.Is(err, hw.ErrPINNotSet):
		d.pin = ""
		d.changed()
		return true
	}
	return false
}
