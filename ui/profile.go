package ui

import (
	"context"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
	"selfservice/app"
	"selfservice/resources"
)

// profileScreen is the Profile area: the display name and the fields the
// organisation keeps (those it sets itself shown locked), then the
// preferences the whole app follows: language, time zone, date format.
// Save stays disabled until something changed; refusals show next to
// their field, keeping what was typed.
type profileScreen struct {
	ui     *UI
	ctx    context.Context
	cancel context.CancelFunc

	profile    *api.Profile // as saved; nil until loaded
	ready      bool         // the form for profile is built
	name       *entry
	fields     map[string]*entry // the editable fields, by ID
	language   *widget.Select
	languages  []string // the tags behind language's options, "" (the computer's) first
	zone       *widget.SelectEntry
	dateFormat *widget.Select
	formats    []string // the IDs behind dateFormat's options, "" first
	save       *widget.Button
	errs       map[string]fieldError
	progress   *busyBar
	message    *banner
	loads      loadState       // of what the area shows
	form       *fyne.Container // the fields, once loaded
	container  *fyne.Container
}

func newProfileScreen(u *UI) *profileScreen {
	s := &profileScreen{
		ui:       u,
		ctx:      context.Background(),
		cancel:   func() {},
		progress: newBusyBar(),
		message:  newBanner(),
		form:     container.NewVBox(),
	}
	s.save = widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), s.onSave)
	s.save.Importance = widget.HighImportance
	s.save.Disable()
	s.container = container.NewVBox(
		heading(lang.L("Profile")),
		paragraph(lang.L("How you appear to others in your organisation.")),
		s.message,
		s.progress,
		s.form,
	)
	return s
}

func (s *profileScreen) content() fyne.CanvasObject {
	return container.NewVScroll(container.NewPadded(withWidth(560, s.container)))
}

// open loads the profile.
func (s *profileScreen) open(ctx context.Context) {
	s.ctx, s.cancel = context.WithCancel(ctx)
	s.load()
}

func (s *profileScreen) close() {
	s.cancel()
}

func (s *profileScreen) load() {
	loadWithRetry(s.ui, s.ctx, s.progress, s.message, &s.loads, s.load, s.ui.session.Profile, func(p api.Profile) {
		if s.profile == nil || !s.changed() {
			s.show(p) // never over what the user is typing
		}
	})
}

// show builds the form for p, as saved.
func (s *profileScreen) show(p api.Profile) {
	s.profile, s.ready = &p, false
	s.errs = map[string]fieldError{}
	newError := func(key string) fieldError {
		s.errs[key] = newFieldError()
		return s.errs[key]
	}
	about := container.New(layout.NewFormLayout())
	row := func(grid *fyne.Container, label string, value fyne.CanvasObject) {
		grid.Add(widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
		grid.Add(value)
	}
	s.name = s.newField(p.DisplayName)
	if p.DisplayNameEditable {
		row(about, lang.L("Display name"), withError(s.name, newError("display_name")))
	} else {
		row(about, lang.L("Display name"), lockedValue(p.DisplayName))
	}
	s.fields = map[string]*entry{}
	for _, f := range p.Fields {
		if !f.Editable {
			row(about, f.Label, lockedValue(f.Value))
			continue
		}
		s.fields[f.ID] = s.newField(f.Value)
		row(about, f.Label, withError(s.fields[f.ID], newError(api.ProfileFieldKey(f.ID))))
	}

	// One grid, so that the labels of both parts line up.
	about.Add(widget.NewSeparator())
	about.Add(widget.NewSeparator())
	about.Add(layout.NewSpacer())
	title := widget.NewLabelWithStyle(lang.L("Preferences"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	about.Add(container.NewVBox(title, hint(lang.L("Selfservice speaks your language and writes dates and times your way, everywhere."))))
	row(about, lang.L("Language"), s.languageField(p, newError("language")))
	row(about, lang.L("Time zone"), s.zoneField(p, newError("time_zone")))
	row(about, lang.L("Date format"), s.dateFormatField(p, newError("date_format")))
	s.form.Objects = []fyne.CanvasObject{about, container.NewHBox(layout.NewSpacer(), s.save)}
	s.form.Refresh()
	s.ready = true
	s.onChanged()
}

// newField is a one-line input holding value.
func (s *profileScreen) newField(value string) *entry {
	e := newEntry()
	e.SetText(value)
	e.OnChanged = func(string) { s.onChanged() }
	e.OnSubmitted = func(string) { s.onSave() }
	return e
}

// withError stacks an input and its error text.
func withError(input fyne.CanvasObject, err fieldError) fyne.CanvasObject {
	return container.NewVBox(input, err.Label)
}

// lockedValue shows the value of a field the organisation sets, as text
// with a lock that says so.
func lockedValue(value string) fyne.CanvasObject {
	if value == "" {
		value = "—"
	}
	v := widget.NewLabel(value)
	v.Wrapping = fyne.TextWrapWord
	note := hint(lang.L("Set by your organisation"))
	note.Wrapping = fyne.TextWrapOff
	return container.NewBorder(nil, nil, nil, container.NewHBox(widget.NewIcon(resources.LockIcon), container.NewCenter(note)), v)
}

// languageField offers the organisation's languages, each in its own
// words, after following this computer.
func (s *profileScreen) languageField(p api.Profile, err fieldError) fyne.CanvasObject {
	s.languages = append([]string{""}, p.Languages...)
	options := []string{lang.L("Same as this computer")}
	for _, tag := range p.Languages {
		options = append(options, languageName(tag))
	}
	s.language = widget.NewSelect(options, func(string) { s.onChanged() })
	s.language.SetSelectedIndex(max(slices.Index(s.languages, p.Preferences.Language), 0))
	return withError(s.language, err)
}

// zoneField is the time zone: typing narrows the list to the zones whose
// name holds the text ("prag" → Europe/Prague); empty follows this
// computer.
func (s *profileScreen) zoneField(p api.Profile, err fieldError) fyne.CanvasObject {
	s.zone = widget.NewSelectEntry(api.TimeZones)
	s.zone.PlaceHolder = lang.L("Same as this computer ({{.Zone}})", map[string]any{"Zone": s.ui.now().Format("MST, UTC-07:00")})
	s.zone.SetText(p.Preferences.TimeZone)
	s.zone.OnChanged = func(text string) {
		s.zone.SetOptions(matchingZones(text))
		s.onChanged()
	}
	return container.NewVBox(s.zone, err.Label, hint(lang.L("Type a city or region, such as Prague, and choose from the list.")))
}

// matchingZones are the time zones whose name holds text, ignoring case
// and taking a space for '_'; all of them for no text.
func matchingZones(text string) []string {
	text = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(text), " ", "_"))
	if text == "" {
		return api.TimeZones
	}
	var out []string
	for _, z := range api.TimeZones {
		if strings.Contains(strings.ToLower(z), text) {
			out = append(out, z)
		}
	}
	return out
}

// zoneName is the time zone typed, in its proper spelling when it is one
// ("europe/prague" → "Europe/Prague").
func zoneName(text string) string {
	text = strings.TrimSpace(text)
	if i := slices.IndexFunc(api.TimeZones, func(z string) bool { return strings.EqualFold(z, text) }); i >= 0 {
		return api.TimeZones[i]
	}
	return text
}

// dateFormatField offers the organisation's date formats, each showing
// today's date.
func (s *profileScreen) dateFormatField(p api.Profile, err fieldError) fyne.CanvasObject {
	now := s.ui.now()
	computer := computerDates()
	s.formats = append([]string{""}, p.DateFormats...)
	options := []string{lang.L("Same as this computer ({{.Date}})", map[string]any{"Date": computer.date(now)})}
	for _, id := range p.DateFormats {
		f, _ := api.DateFormatByID(id)
		d := dates{format: f, zone: computer.zone}
		options = append(options, lang.L("{{.Date}} ({{.Order}})", map[string]any{"Date": d.date(now), "Order": dateOrderName(id)}))
	}
	s.dateFormat = widget.NewSelect(options, func(string) { s.onChanged() })
	s.dateFormat.SetSelectedIndex(max(slices.Index(s.formats, p.Preferences.DateFormat), 0))
	return withError(s.dateFormat, err)
}

// dateOrderName says how a date format orders the parts of a date, so
// that formats alike on some days still differ in the list.
func dateOrderName(id string) string {
	switch id {
	case api.DateISO:
		return lang.L("year-month-day, ISO 8601")
	case api.DateDotted, api.DateDMYSlash:
		return lang.L("day, month, year")
	case api.DateUS:
		return lang.L("month, day, year")
	case api.DateMedium:
		return lang.L("day, month name, year")
	}
	return id
}

// edit is what the form holds.
func (s *profileScreen) edit() app.ProfileEdit {
	e := app.ProfileEdit{DisplayName: s.name.Text, Fields: map[string]string{}}
	for id, input := range s.fields {
		e.Fields[id] = input.Text
	}
	if i := s.language.SelectedIndex(); i >= 0 {
		e.Preferences.Language = s.languages[i]
	}
	e.Preferences.TimeZone = zoneName(s.zone.Text)
	if i := s.dateFormat.SelectedIndex(); i >= 0 {
		e.Preferences.DateFormat = s.formats[i]
	}
	return e
}

// changed reports whether the form differs from the saved profile.
func (s *profileScreen) changed() bool {
	return s.ready && !app.ProfileChanges(*s.profile, s.edit()).Empty()
}

// onChanged enables Save while there is something to save.
func (s *profileScreen) onChanged() {
	if s.changed() {
		s.message.hide()
	}
	setEnabled(s.save, s.changed() && !s.progress.Visible())
}

func (s *profileScreen) onSave() {
	if !s.changed() || s.progress.Visible() {
		return
	}
	s.message.hide()
	for _, e := range s.errs {
		e.set("")
	}
	req := app.ProfileChanges(*s.profile, s.edit())
	s.save.Disable()
	var p api.Profile
	// A save runs to its end even when the window is built anew meanwhile
	// (a new language): the screen then showing the profile says so.
	s.ui.run(context.WithoutCancel(s.ctx), s.progress, func(ctx context.Context) error {
		var err error
		p, err = s.ui.session.UpdateProfile(ctx, req)
		return err
	}, func(err error) {
		live := s.ui.profileScreen()
		if live == nil {
			live = s
		}
		if err != nil {
			live.onChanged()
			live.showError(err)
			return
		}
		live.show(p)
		live.message.show(bannerSuccess, lang.L("Your profile is saved."), "", nil)
		if m, ok := s.ui.current.(*mainScreen); ok {
			m.user.SetText(displayName(s.ui.session.User())) // the header names the user
		}
	})
}

// showError puts what concerns a field next to it, and anything else in
// the message, with a retry when trying again may help.
func (s *profileScreen) showError(err error) {
	shown := false
	for key, msg := range fieldErrors(err) {
		if e, ok := s.errs[key]; ok && msg != "" {
			e.set(msg)
			shown = true
		}
	}
	switch {
	case shown:
	case retryable(err):
		s.message.show(bannerError, errorMessage(err), lang.L("Try again"), s.onSave)
	default:
		s.message.show(bannerError, errorMessage(err), "", nil)
	}
}

// profileScreen is the Profile area of the window shown, or nil.
func (u *UI) profileScreen() *profileScreen {
	if m, ok := u.current.(*mainScreen); ok {
		return m.profile
	}
	return nil
}
