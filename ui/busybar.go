package ui

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// busyBar is a thin bar with a segment sliding to and fro while work
// runs; it is hidden otherwise.
type busyBar struct {
	widget.BaseWidget
	running bool
	at      float32 // where the segment is, from 0 to 1
}

func newBusyBar() *busyBar {
	b := &busyBar{}
	b.ExtendBaseWidget(b)
	b.Hide()
	return b
}

// set shows and runs the bar, or stops and hides it.
func (b *busyBar) set(busy bool) {
	b.running = busy
	if busy {
		b.Show()
	} else {
		b.Hide()
	}
	b.Refresh()
}

func (b *busyBar) CreateRenderer() fyne.WidgetRenderer {
	r := &busyBarRenderer{b: b, track: canvas.NewRectangle(color.Transparent), segment: canvas.NewRectangle(color.Transparent)}
	r.anim = fyne.NewAnimation(1200*time.Millisecond, func(at float32) {
		b.at = at
		r.Layout(b.Size())
		canvas.Refresh(r.segment)
	})
	r.anim.AutoReverse = true
	r.anim.RepeatCount = fyne.AnimationRepeatForever
	r.anim.Curve = fyne.AnimationEaseInOut
	r.Refresh()
	return r
}

type busyBarRenderer struct {
	b              *busyBar
	track, segment *canvas.Rectangle
	anim           *fyne.Animation
	animating      bool
}

func (r *busyBarRenderer) MinSize() fyne.Size { return fyne.NewSize(40, 3) }

func (r *busyBarRenderer) Layout(size fyne.Size) {
	r.track.Resize(size)
	w := size.Width / 4
	r.segment.Move(fyne.NewPos((size.Width-w)*r.b.at, 0))
	r.segment.Resize(fyne.NewSize(w, size.Height))
}

func (r *busyBarRenderer) Refresh() {
	primary := theme.ColorForWidget(theme.ColorNamePrimary, r.b)
	r.track.FillColor = tint(primary, 0x40)
	r.segment.FillColor = primary
	r.track.Refresh()
	r.segment.Refresh()
	switch run := r.b.running && r.b.Visible(); {
	case run && !r.animating:
		r.anim.Start()
	case !run && r.animating:
		r.anim.Stop()
	}
	r.animating = r.b.running && r.b.Visible()
}

func (r *busyBarRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.track, r.segment}
}

// Destroy stops the animation of a bar no longer shown.
func (r *busyBarRenderer) Destroy() {
	if r.animating {
		r.anim.Stop()
		r.animating = false
	}
}
