package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
)

// How a sign-in method looks wherever the user picks or names one (the
// second sign-in step, the step-up, the Rename dialog): the name the user
// gave it first, its kind second, its serial (or masked address) muted,
// so that "Work phone" is found at a glance instead of "TOTP-D7969039".

// methodText is what methodSummary shows of a method, in words.
type methodText struct {
	name   string // the user's name for it; its kind when it has none
	kind   string // its kind; "" when the name already is the kind
	serial string // the serial or masked address, muted; "" for none
}

// describeMethod is the text of m.
func describeMethod(m api.LoginMethod) methodText {
	kind := tokenTypeName(m.Type)
	serial := m.Label
	if m.Hint != "" {
		serial = m.Hint // the masked address of an SMS or email token
	}
	switch {
	case m.Type == api.TypeEmergency:
		return methodText{name: kind}
	case m.Name == "":
		return methodText{name: kind, serial: serial}
	}
	return methodText{name: m.Name, kind: kind, serial: serial}
}

// describeToken is the text of a token of the list.
func describeToken(t api.Token) methodText {
	m := api.LoginMethod{TokenID: t.ID, Type: t.Type, Label: t.Label, Name: t.Description}
	if channel := t.Type.Channel(); channel != "" && t.Address != "" {
		m.Hint = api.MaskAddress(channel, t.Address)
	}
	return describeMethod(m)
}

// String is the text on one line: "Work phone · Authenticator app
// (time-based) · TOTP-D7969039".
func (t methodText) String() string {
	out := t.name
	for _, part := range []string{t.kind, t.serial} {
		if part != "" {
			out += " · " + part
		}
	}
	return out
}

// methodSummary shows a method: its kind's icon, its name in bold, its
// kind, and its serial muted; default marks the user's preferred one.
func methodSummary(typ api.TokenType, text methodText, isDefault bool) fyne.CanvasObject {
	icon := container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(32), widget.NewIcon(tokenIcon(typ))))
	name := widget.NewLabelWithStyle(text.name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	title := fyne.CanvasObject(name)
	if isDefault {
		title = container.NewBorder(nil, nil, nil, container.NewCenter(newBadge(lang.L("Default"), theme.ColorNamePrimary)), name)
	}
	lines := container.New(layout.NewCustomPaddedVBoxLayout(-theme.Padding()), title)
	detail := text.kind
	if detail != "" && text.serial != "" {
		detail += " · "
	}
	if detail != "" || text.serial != "" {
		kind := widget.NewRichText(
			&widget.TextSegment{Text: detail, Style: widget.RichTextStyle{Inline: true, SizeName: theme.SizeNameCaptionText}},
			&widget.TextSegment{Text: text.serial, Style: widget.RichTextStyle{Inline: true, ColorName: theme.ColorNamePlaceHolder, SizeName: theme.SizeNameCaptionText}},
		)
		kind.Truncation = fyne.TextTruncateEllipsis
		lines.Add(kind)
	}
	return container.NewBorder(nil, nil, icon, nil, lines)
}

// methodPicker lets the user pick one of their sign-in methods: one row
// each, as methodSummary shows it, with a radio mark. Rows take the
// focus with Tab and are picked with Space or Enter.
type methodPicker struct {
	widget.BaseWidget
	methods   []api.LoginMethod
	rows      []*methodRow
	chosen    int // -1 before anything is picked
	disabled  bool
	onChanged func(m api.LoginMethod)
}

// newMethodPicker lists methods; label, when not nil, names an option
// in words of the owner (such as "Use an emergency access code").
func newMethodPicker(methods []api.LoginMethod, label func(api.LoginMethod) (methodText, bool)) *methodPicker {
	p := &methodPicker{methods: methods, chosen: -1}
	for i, m := range methods {
		text := describeMethod(m)
		if label != nil {
			if t, ok := label(m); ok {
				text = t
			}
		}
		p.rows = append(p.rows, newMethodRow(m.Type, text, m.Default, func() { p.pick(i) }))
	}
	p.ExtendBaseWidget(p)
	return p
}

func (p *methodPicker) CreateRenderer() fyne.WidgetRenderer {
	box := container.NewVBox()
	for _, r := range p.rows {
		box.Add(r)
	}
	return widget.NewSimpleRenderer(box)
}

// options are the rows' texts, in order.
func (p *methodPicker) options() []string {
	out := make([]string, len(p.rows))
	for i, r := range p.rows {
		out[i] = r.text.String()
	}
	return out
}

// selectedText is the text of the picked row; "" before one is.
func (p *methodPicker) selectedText() string {
	if p.chosen < 0 {
		return ""
	}
	return p.rows[p.chosen].text.String()
}

// selected is the picked method; the zero method before one is.
func (p *methodPicker) selected() api.LoginMethod {
	if p.chosen < 0 {
		return api.LoginMethod{}
	}
	return p.methods[p.chosen]
}

// selectID picks the method of tokenID, as the user does; nothing when
// there is none or it is picked already.
func (p *methodPicker) selectID(tokenID string) {
	for i, m := range p.methods {
		if m.TokenID == tokenID {
			p.pick(i)
			return
		}
	}
}

// preferred is the method to pick first: the user's default, else the
// first.
func preferred(methods []api.LoginMethod) api.LoginMethod {
	for _, m := range methods {
		if m.Default {
			return m
		}
	}
	if len(methods) == 0 {
		return api.LoginMethod{}
	}
	return methods[0]
}

func (p *methodPicker) pick(i int) {
	if p.disabled || i == p.chosen {
		return
	}
	p.chosen = i
	for j, r := range p.rows {
		r.setSelected(j == i)
	}
	if p.onChanged != nil {
		p.onChanged(p.methods[i])
	}
}

func (p *methodPicker) Disable() { p.setDisabled(true) }
func (p *methodPicker) Enable()  { p.setDisabled(false) }

func (p *methodPicker) Disabled() bool { return p.disabled }

func (p *methodPicker) setDisabled(disabled bool) {
	p.disabled = disabled
	for _, r := range p.rows {
		r.disabled = disabled
		r.Refresh()
	}
}

// methodRow is one method of a methodPicker.
type methodRow struct {
	widget.BaseWidget
	text     methodText
	selected bool
	disabled bool
	focused  bool
	onTap    func()

	radio   *widget.Icon
	summary fyne.CanvasObject
	back    *canvas.Rectangle
}

func newMethodRow(typ api.TokenType, text methodText, isDefault bool, onTap func()) *methodRow {
	r := &methodRow{
		text:    text,
		onTap:   onTap,
		radio:   widget.NewIcon(theme.RadioButtonIcon()),
		summary: methodSummary(typ, text, isDefault),
		back:    canvas.NewRectangle(color.Transparent),
	}
	r.ExtendBaseWidget(r)
	return r
}

func (r *methodRow) setSelected(selected bool) {
	r.selected = selected
	r.Refresh()
}

func (r *methodRow) CreateRenderer() fyne.WidgetRenderer {
	r.back.CornerRadius = theme.InputRadiusSize()
	r.back.StrokeWidth = theme.InputBorderSize()
	row := container.New(layout.NewCustomPaddedLayout(0, 0, theme.Padding(), theme.Padding()),
		container.NewBorder(nil, nil, container.NewCenter(r.radio), nil, r.summary))
	return &methodRowRenderer{WidgetRenderer: widget.NewSimpleRenderer(container.NewStack(r.back, row)), r: r}
}

type methodRowRenderer struct {
	fyne.WidgetRenderer
	r *methodRow
}

func (m *methodRowRenderer) Refresh() {
	r := m.r
	icon := theme.RadioButtonIcon()
	if r.selected {
		icon = theme.NewPrimaryThemedResource(theme.RadioButtonCheckedIcon())
	}
	if r.disabled {
		icon = theme.NewDisabledResource(theme.RadioButtonIcon())
		if r.selected {
			icon = theme.NewDisabledResource(theme.RadioButtonCheckedIcon())
		}
	}
	r.radio.SetResource(icon)
	r.back.FillColor = color.Transparent
	r.back.StrokeColor = color.Transparent
	if r.selected {
		r.back.FillColor = theme.Color(theme.ColorNameInputBackground)
	}
	if r.focused {
		r.back.StrokeColor = theme.Color(theme.ColorNameFocus)
	}
	r.back.Refresh()
	m.WidgetRenderer.Refresh()
}

func (r *methodRow) Tapped(*fyne.PointEvent) {
	if !r.disabled {
		r.onTap()
	}
}

func (r *methodRow) FocusGained() { r.focused = true; r.Refresh() }
func (r *methodRow) FocusLost()   { r.focused = false; r.Refresh() }
func (r *methodRow) TypedRune(ch rune) {
	if ch == ' ' {
		r.Tapped(nil)
	}
}

func (r *methodRow) TypedKey(e *fyne.KeyEvent) {
	if e.Name == fyne.KeyReturn || e.Name == fyne.KeyEnter || e.Name == fyne.KeySpace {
		r.Tapped(nil)
	}
}
