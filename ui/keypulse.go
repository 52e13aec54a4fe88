package ui

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// keyPulse is an icon on a soft disc. While pulsing, rings grow from the
// disc and fade, the way a security key blinks when it waits for a touch.
type keyPulse struct {
	widget.BaseWidget
	resource fyne.Resource
	pulsing  bool
	at       float32 // how far the ring has grown, from 0 to 1
}

func newKeyPulse(res fyne.Resource) *keyPulse {
	p := &keyPulse{resource: res}
	p.ExtendBaseWidget(p)
	return p
}

// setResource changes the icon.
func (p *keyPulse) setResource(res fyne.Resource) {
	if p.resource == res {
		return
	}
	p.resource = res
	p.Refresh()
}

// setPulsing starts or stops the rings.
func (p *keyPulse) setPulsing(on bool) {
	if p.pulsing == on {
		return
	}
	p.pulsing = on
	p.at = 0
	p.Refresh()
}

func (p *keyPulse) CreateRenderer() fyne.WidgetRenderer {
	r := &keyPulseRenderer{
		p:    p,
		ring: canvas.NewCircle(color.Transparent),
		disc: canvas.NewCircle(color.Transparent),
		icon: widget.NewIcon(p.resource),
	}
	r.anim = fyne.NewAnimation(1400*time.Millisecond, func(at float32) {
		p.at = at
		r.Layout(p.Size())
		r.paintRing()
	})
	r.anim.RepeatCount = fyne.AnimationRepeatForever
	r.anim.Curve = fyne.AnimationEaseOut
	r.Refresh()
	return r
}

type keyPulseRenderer struct {
	p          *keyPulse
	ring, disc *canvas.Circle
	icon       *widget.Icon
	anim       *fyne.Animation
	animating  bool
}

func (r *keyPulseRenderer) MinSize() fyne.Size { return fyne.NewSquareSize(64) }

func (r *keyPulseRenderer) Layout(size fyne.Size) {
	side := min(size.Width, size.Height)
	center := fyne.NewPos(size.Width/2, size.Height/2)
	place := func(o fyne.CanvasObject, d float32) {
		o.Resize(fyne.NewSquareSize(d))
		o.Move(fyne.NewPos(center.X-d/2, center.Y-d/2))
	}
	place(r.disc, side*0.7)
	place(r.ring, side*(0.7+0.3*r.p.at))
	place(r.icon, side*0.42)
}

// paintRing fades the ring as it grows.
func (r *keyPulseRenderer) paintRing() {
	if !r.p.pulsing {
		r.ring.FillColor = color.Transparent
	} else {
		primary := theme.ColorForWidget(theme.ColorNamePrimary, r.p)
		r.ring.FillColor = tint(primary, uint8(0x70*(1-r.p.at)))
	}
	r.ring.Refresh()
}

func (r *keyPulseRenderer) Refresh() {
	primary := theme.ColorForWidget(theme.ColorNamePrimary, r.p)
	r.disc.FillColor = tint(primary, 0x30)
	r.disc.Refresh()
	r.icon.SetResource(r.p.resource)
	r.Layout(r.p.Size())
	r.paintRing()
	switch run := r.p.pulsing && r.p.Visible(); {
	case run && !r.animating:
		r.anim.Start()
	case !run && r.animating:
		r.anim.Stop()
	}
	r.animating = r.p.pulsing && r.p.Visible()
}

func (r *keyPulseRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.ring, r.disc, r.icon}
}

// Destroy stops the animation of a pulse no longer shown.
func (r *keyPulseRenderer) Destroy() {
	if r.animating {
		r.anim.Stop()
		r.animating = false
	}
}
