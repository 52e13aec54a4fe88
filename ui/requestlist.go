package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
)

// requestList is the body of the To approve and My requests areas: a
// pending/all filter and the list of approval requests, each with who,
// what, when and its status, and a button that opens it. Its work runs
// between open and close.
type requestList struct {
	ui     *UI
	ctx    context.Context // set by open
	cancel context.CancelFunc

	// Set by the area.
	fetch    func(ctx context.Context, filter string) ([]api.ApprovalRequest, error)
	who      func(api.ApprovalRequest) string // the row's line about people
	onOpen   func(api.ApprovalRequest)
	empty    func(filter string) string // the text of an empty list
	onLoaded func([]api.ApprovalRequest)

	filter   *segmented // Pending or All
	reload   *widget.Button
	progress *busyBar // a reload of a shown list
	notice   *banner  // outcome of the last action
	state    *fyne.Container
	failed   *banner // a failed load, or a failed refresh of the list shown
	list     *fyne.Container

	requests []api.ApprovalRequest
	open     map[string]*widget.Button // the Open button of each row, by request id
	loads    loadState
}

func newRequestList(u *UI) *requestList {
	l := &requestList{
		ui:       u,
		progress: newBusyBar(),
		notice:   newBanner(),
		state:    container.NewStack(),
		failed:   newBanner(),
		list:     container.NewVBox(),
		open:     map[string]*widget.Button{},
	}
	l.filter = newSegmented([]string{lang.L("Pending"), lang.L("All")}, func(string) { l.load() })
	l.reload = widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), l.load)
	return l
}

// filterValue is the api filter the chosen segment stands for.
func (l *requestList) filterValue() string {
	if l.filter.selected == 1 {
		return api.FilterAll
	}
	return api.FilterPending
}

// setFilter chooses pending or all and loads the list.
func (l *requestList) setFilter(filter string) {
	i := 0
	if filter == api.FilterAll {
		i = 1
	}
	l.filter.choose(i) // calls load when it changes
}

// content lays the list out under the area's title.
func (l *requestList) content(title, subtitle string) fyne.CanvasObject {
	head := container.NewVBox(heading(title), muted(subtitle))
	header := container.NewBorder(nil, nil, nil, container.NewCenter(container.NewHBox(l.reload)), head)
	top := container.NewVBox(header, container.NewHBox(l.filter.content()), l.progress, l.notice, l.failed)
	return container.NewPadded(container.NewBorder(top, nil, nil, nil, l.state))
}

// start begins the list's work under parent and loads it.
func (l *requestList) start(parent context.Context) {
	l.stop()
	l.ctx, l.cancel = context.WithCancel(parent)
	l.load()
}

// stop ends the list's work.
func (l *requestList) stop() {
	if l.cancel != nil {
		l.cancel()
		l.cancel = nil
	}
}

// load fetches the list. A list already shown stays while it reloads,
// and when the reload fails (see loadWithRetry). When loads overlap (the
// filter changed meanwhile), only the last one is shown.
func (l *requestList) load() {
	if l.ctx == nil {
		return // not open yet
	}
	bar := l.progress
	filter := l.filterValue()
	if l.loads.at.IsZero() {
		bar = newBusyBar()
		text := widget.NewLabelWithStyle(lang.L("Loading the requests…"), fyne.TextAlignCenter, fyne.TextStyle{})
		l.setState(container.NewCenter(withWidth(280, container.NewVBox(text, bar))))
	}
	setEnabled(l.reload, false)
	l.loads.onEnd = func() {
		setEnabled(l.reload, true)
		if l.loads.at.IsZero() {
			l.setState(container.NewVBox()) // nothing to show: the message says why
		}
	}
	fetch := func(ctx context.Context) ([]api.ApprovalRequest, error) { return l.fetch(ctx, filter) }
	loadWithRetry(l.ui, l.ctx, bar, l.failed, &l.loads, l.load, fetch, func(list []api.ApprovalRequest) {
		l.show(list, filter)
	})
}

func (l *requestList) setState(o fyne.CanvasObject) {
	l.state.Objects = []fyne.CanvasObject{o}
	l.state.Refresh()
}

// show puts the requests on screen.
func (l *requestList) show(list []api.ApprovalRequest, filter string) {
	l.requests = list
	l.open = map[string]*widget.Button{}
	l.list.RemoveAll()
	now := l.ui.now()
	for _, r := range list {
		l.list.Add(l.row(r, now))
	}
	if len(list) == 0 {
		icon := widget.NewIcon(theme.NewDisabledResource(theme.ConfirmIcon()))
		text := paragraph(l.empty(filter))
		text.Alignment = fyne.TextAlignCenter
		box := container.NewVBox(container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(64), icon)), text)
		l.setState(container.NewCenter(withWidth(360, box)))
	} else {
		l.setState(container.NewVScroll(l.list))
	}
	if l.onLoaded != nil {
		l.onLoaded(list)
	}
}

// row is one request: what, who, when, its status and Open.
func (l *requestList) row(r api.ApprovalRequest, now time.Time) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(requestTitle(r), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	who := muted(joinNonEmpty(" · ", requestSubject(r), l.who(r)))
	who.Wrapping = fyne.TextWrapOff
	who.Truncation = fyne.TextTruncateEllipsis
	when := hint(lang.L("Requested {{.When}}", map[string]any{"When": l.ui.dates.when(r.CreatedAt, now)}))

	open := widget.NewButtonWithIcon(lang.L("Open"), theme.NavigateNextIcon(), func() { l.onOpen(r) })
	l.open[r.ID] = open
	info := container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewCenter(newBadge(requestStatusName(r), requestStatusColor(r))), title),
		who,
		when,
	)
	return widget.NewCard("", "", container.NewBorder(nil, nil, nil, container.NewCenter(open), info))
}

// joinNonEmpty joins the parts that are not empty with sep.
func joinNonEmpty(sep string, parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += sep
		}
		out += p
	}
	return out
}
