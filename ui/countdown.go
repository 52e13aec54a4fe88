package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// countdown is a thin bar that shrinks as the time left runs out.
type countdown struct {
	widget.BaseWidget
	left float64 // 1 is all the time, 0 none
}

func newCountdown() *countdown {
	c := &countdown{}
	c.ExtendBaseWidget(c)
	return c
}

// set shows the fraction of time left, from 0 to 1.
func (c *countdown) set(left float64) {
	c.left = min(max(left, 0), 1)
	c.Refresh()
}

func (c *countdown) CreateRenderer() fyne.WidgetRenderer {
	r := &countdownRenderer{c: c, track: canvas.NewRectangle(color.Transparent), bar: canvas.NewRectangle(color.Transparent)}
	r.Refresh()
	return r
}

type countdownRenderer struct {
	c          *countdown
	track, bar *canvas.Rectangle
}

func (r *countdownRenderer) MinSize() fyne.Size { return fyne.NewSize(40, 4) }

func (r *countdownRenderer) Layout(size fyne.Size) {
	h := r.MinSize().Height
	y := (size.Height - h) / 2
	r.track.Move(fyne.NewPos(0, y))
	r.track.Resize(fyne.NewSize(size.Width, h))
	r.bar.Move(fyne.NewPos(0, y))
	r.bar.Resize(fyne.NewSize(size.Width*float32(r.c.left), h))
	r.track.CornerRadius, r.bar.CornerRadius = h/2, h/2
}

func (r *countdownRenderer) Refresh() {
	name := theme.ColorNamePrimary
	if r.c.left < 0.2 {
		name = theme.ColorNameWarning
	}
	r.track.FillColor = theme.ColorForWidget(theme.ColorNameInputBackground, r.c)
	r.bar.FillColor = theme.ColorForWidget(name, r.c)
	r.Layout(r.c.Size())
	r.track.Refresh()
	r.bar.Refresh()
}

func (r *countdownRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.track, r.bar} }
func (r *countdownRenderer) Destroy()                     {}
