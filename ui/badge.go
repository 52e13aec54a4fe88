package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// badge is a small coloured pill with a word in it, such as a status.
type badge struct {
	widget.BaseWidget
	Text  string
	color fyne.ThemeColorName
}

func newBadge(text string, c fyne.ThemeColorName) *badge {
	b := &badge{Text: text, color: c}
	b.ExtendBaseWidget(b)
	return b
}

func (b *badge) CreateRenderer() fyne.WidgetRenderer {
	r := &badgeRenderer{b: b, bg: canvas.NewRectangle(color.Transparent), text: canvas.NewText(b.Text, color.Black)}
	r.text.TextStyle.Bold = true
	r.Refresh()
	return r
}

type badgeRenderer struct {
	b    *badge
	bg   *canvas.Rectangle
	text *canvas.Text
}

func (r *badgeRenderer) padding() fyne.Size {
	p := theme.SizeForWidget(theme.SizeNameInnerPadding, r.b)
	return fyne.NewSize(p*1.5, p/2)
}

func (r *badgeRenderer) MinSize() fyne.Size {
	return r.text.MinSize().Add(r.padding().Add(r.padding()))
}

func (r *badgeRenderer) Layout(size fyne.Size) {
	min := r.MinSize()
	pos := fyne.NewPos(0, (size.Height-min.Height)/2)
	r.bg.Move(pos)
	r.bg.Resize(min)
	r.bg.CornerRadius = min.Height / 2
	r.text.Move(pos.Add(fyne.NewPos(r.padding().Width, r.padding().Height)))
	r.text.Resize(r.text.MinSize())
}

func (r *badgeRenderer) Refresh() {
	c := theme.ColorForWidget(r.b.color, r.b)
	r.bg.FillColor = tint(c, 0x33)
	r.text.Color = mix(c, theme.ColorForWidget(theme.ColorNameForeground, r.b), 0.45)
	r.text.Text = r.b.Text
	r.text.TextSize = theme.SizeForWidget(theme.SizeNameCaptionText, r.b)
	r.bg.Refresh()
	r.text.Refresh()
}

func (r *badgeRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.bg, r.text} }
func (r *badgeRenderer) Destroy()                     {}
