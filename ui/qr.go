package ui

import (
	"image"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/skip2/go-qrcode"
)

// qrCode shows a QR code in the theme's colours, one image pixel per
// module, scaled up without blurring. Whatever the theme, the modules are
// drawn dark on light: many phone scanners cannot read an inverted code.
type qrCode struct {
	widget.BaseWidget
	modules [][]bool // true is a dark module; includes the quiet zone
	image   *canvas.Image
}

// newQRCode encodes content. It is shown at most size wide and high, at
// a whole number of units per module so that all modules look the same.
func newQRCode(content string, size float32) (*qrCode, error) {
	code, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return nil, err
	}
	q := &qrCode{modules: code.Bitmap(), image: &canvas.Image{}}
	n := float32(len(q.modules))
	scale := max(1, float32(int(size/n)))
	q.image.ScaleMode = canvas.ImageScalePixels
	q.image.FillMode = canvas.ImageFillContain
	q.image.SetMinSize(fyne.NewSquareSize(n * scale))
	q.ExtendBaseWidget(q)
	return q, nil
}

func (q *qrCode) CreateRenderer() fyne.WidgetRenderer {
	q.paint()
	return &qrRenderer{q: q}
}

// paint draws the modules in the current theme's colours.
func (q *qrCode) paint() {
	fg := theme.ColorForWidget(theme.ColorNameForeground, q)
	bg := theme.ColorForWidget(theme.ColorNameBackground, q)
	q.image.Image = qrImage(q.modules, fg, bg)
}

// qrImage paints modules at one pixel each: dark modules in the darker of
// the two colours, light ones in the lighter.
func qrImage(modules [][]bool, fg, bg color.Color) image.Image {
	if luminance(fg) > luminance(bg) {
		fg, bg = bg, fg
	}
	n := len(modules)
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	for y, row := range modules {
		for x, dark := range row {
			if dark {
				img.Set(x, y, fg)
			} else {
				img.Set(x, y, bg)
			}
		}
	}
	return img
}

type qrRenderer struct{ q *qrCode }

func (r *qrRenderer) Layout(size fyne.Size) { r.q.image.Resize(size) }
func (r *qrRenderer) MinSize() fyne.Size    { return r.q.image.MinSize() }
func (r *qrRenderer) Refresh() {
	r.q.paint() // the theme may have changed
	r.q.image.Refresh()
}
func (r *qrRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.q.image} }
func (r *qrRenderer) Destroy()                     {}

// luminance is the perceived brightness of c, for comparing two colours.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return 0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)
}
