package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// bannerKind says what a banner is about; it picks the icon and colour.
type bannerKind int

const (
	bannerInfo bannerKind = iota
	bannerSuccess
	bannerWarning
	bannerError
)

// banner is a tinted message box with an icon, a wrapped text and an
// optional action button. It is hidden until show is called.
type banner struct {
	widget.BaseWidget
	kind   bannerKind
	text   *widget.Label
	icon   *widget.Icon
	action *widget.Button
	bg     *canvas.Rectangle
}

func newBanner() *banner {
	b := &banner{
		text:   widget.NewLabel(""),
		icon:   widget.NewIcon(nil),
		action: widget.NewButton("", nil),
		bg:     canvas.NewRectangle(color.Transparent),
	}
	b.text.Wrapping = fyne.TextWrapWord
	b.action.Hide()
	b.ExtendBaseWidget(b)
	b.Hide()
	return b
}

// show sets the message and shows the banner. With an actionLabel, a
// button calls action.
func (b *banner) show(kind bannerKind, message, actionLabel string, action func()) {
	b.kind = kind
	b.text.SetText(message)
	if actionLabel != "" {
		b.action.SetText(actionLabel)
		b.action.OnTapped = action
		b.action.Show()
	} else {
		b.action.Hide()
	}
	b.Show()
	b.Refresh()
}

func (b *banner) hide() { b.Hide() }

// message is the text shown, or "" when the banner is hidden.
func (b *banner) message() string {
	if !b.Visible() {
		return ""
	}
	return b.text.Text
}

func (b *banner) CreateRenderer() fyne.WidgetRenderer {
	b.bg.CornerRadius = theme.SizeForWidget(theme.SizeNameInputRadius, b)
	row := container.NewBorder(nil, nil, container.NewCenter(b.icon), container.NewCenter(b.action), b.text)
	return &bannerRenderer{b: b, content: container.NewStack(b.bg, container.NewPadded(row))}
}

type bannerRenderer struct {
	b       *banner
	content *fyne.Container
}

func (r *bannerRenderer) Layout(size fyne.Size)        { r.content.Resize(size) }
func (r *bannerRenderer) MinSize() fyne.Size           { return r.content.MinSize() }
func (r *bannerRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.content} }
func (r *bannerRenderer) Destroy()                     {}

func (r *bannerRenderer) Refresh() {
	b := r.b
	name, icon := theme.ColorNamePrimary, theme.InfoIcon()
	switch b.kind {
	case bannerSuccess:
		name, icon = theme.ColorNameSuccess, theme.NewSuccessThemedResource(theme.ConfirmIcon())
	case bannerWarning:
		name, icon = theme.ColorNameWarning, theme.NewWarningThemedResource(theme.WarningIcon())
	case bannerError:
		name, icon = theme.ColorNameError, theme.NewErrorThemedResource(theme.ErrorIcon())
	default:
		icon = theme.NewPrimaryThemedResource(theme.InfoIcon())
	}
	b.bg.FillColor = tint(theme.ColorForWidget(name, b), 0x2e)
	b.bg.StrokeColor = tint(theme.ColorForWidget(name, b), 0x80)
	b.bg.StrokeWidth = 1
	b.icon.SetResource(icon)
	b.bg.Refresh()
	r.content.Refresh()
}

// mix blends a with b; weight is b's share, from 0 to 1.
func mix(a, b color.Color, weight float64) color.Color {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	m := func(x, y uint32) uint8 { return uint8((float64(x)*(1-weight) + float64(y)*weight) / 257) }
	return color.NRGBA{R: m(ar, br), G: m(ag, bg), B: m(ab, bb), A: 0xff}
}

// tint returns c with the given alpha, for backgrounds behind text.
func tint(c color.Color, alpha uint8) color.Color {
	r, g, bl, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(bl >> 8), A: alpha}
}
