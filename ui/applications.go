package ui

import (
	"context"
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
)

// applicationsScreen is the Applications area: the organisation's
// applications the user may use, and their password vault, each opened
// in the browser.
type applicationsScreen struct {
	ui     *UI
	ctx    context.Context
	cancel context.CancelFunc

	list     *fyne.Container // a card per application
	progress *busyBar
	message  *banner
	loads    loadState // of what the area shows
	loaded   bool
	// openURL opens an address in the browser (the app's, replaced in tests).
	openURL func(*url.URL) error
}

func newApplicationsScreen(u *UI) *applicationsScreen {
	return &applicationsScreen{
		ui:       u,
		ctx:      context.Background(),
		cancel:   func() {},
		list:     container.NewVBox(),
		progress: newBusyBar(),
		message:  newBanner(),
		openURL:  u.app.OpenURL,
	}
}

func (s *applicationsScreen) content() fyne.CanvasObject {
	return container.NewVScroll(container.NewPadded(withWidth(560, container.NewVBox(
		heading(lang.L("Applications")),
		paragraph(lang.L("The applications you can use at work. Each opens in your browser.")),
		s.message,
		s.progress,
		s.list,
	))))
}

func (s *applicationsScreen) open(ctx context.Context) {
	s.ctx, s.cancel = context.WithCancel(ctx)
	s.load()
}

func (s *applicationsScreen) close() { s.cancel() }

// load asks for the applications; a failure keeps the list shown.
func (s *applicationsScreen) load() {
	s.message.hide()
	loadWithRetry(s.ui, s.ctx, s.progress, s.message, &s.loads, s.load, s.ui.session.Applications, func(out api.ApplicationsResponse) {
		s.loaded = true
		s.show(out)
	})
}

func (s *applicationsScreen) show(out api.ApplicationsResponse) {
	s.list.Objects = nil
	if out.VaultURL != "" {
		s.list.Add(s.card(lang.L("Password vault"),
			lang.L("The shared accounts of your teams, and a safe place for your own passwords."), out.VaultURL, theme.StorageIcon()))
	}
	for _, a := range out.Applications {
		s.list.Add(s.card(a.Name, a.Description, a.URL, theme.ComputerIcon()))
	}
	if len(s.list.Objects) == 0 {
		s.list.Add(paragraph(lang.L("There are no applications for you here yet. Your IT department adds them.")))
	}
	s.list.Refresh()
}

// card is one application: its name, what it is and where, and Open.
func (s *applicationsScreen) card(name, description, address string, icon fyne.Resource) fyne.CanvasObject {
	u, err := url.Parse(address)
	open := widget.NewButtonWithIcon(lang.L("Open"), theme.NavigateNextIcon(), func() {
		if err := s.openURL(u); err != nil {
			s.message.show(bannerError, lang.L("The browser could not be opened. Open {{.URL}} yourself.", map[string]any{"URL": address}), "", nil)
		}
	})
	host := address
	if err != nil {
		open.Disable()
	} else {
		host = u.Host
	}
	title := widget.NewLabelWithStyle(name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	where := widget.NewLabel(host)
	where.SizeName = theme.SizeNameCaptionText
	text := container.NewVBox(title)
	if description != "" {
		d := widget.NewLabel(description)
		d.Wrapping = fyne.TextWrapWord
		text.Add(d)
	}
	text.Add(where)
	return widget.NewCard("", "", container.NewBorder(nil, nil, widget.NewIcon(icon), container.NewCenter(open), text))
}
