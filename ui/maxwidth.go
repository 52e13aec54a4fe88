package ui

import (
	"fyne.io/fyne/v2"
)

// contentMaxWidth is the widest the main window's areas grow: on a wide
// window lines and rows stay short enough to read, centred.
const contentMaxWidth float32 = 880

// maxWidthLayout gives its objects the full height and at most width of
// the room (never less than they need), centred.
type maxWidthLayout struct{ width float32 }

func (l maxWidthLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	return largestMinSize(objects)
}

func (l maxWidthLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		w := max(min(size.Width, l.width), o.MinSize().Width)
		o.Move(fyne.NewPos((size.Width-w)/2, 0))
		o.Resize(fyne.NewSize(w, size.Height))
	}
}

// withMaxWidth wraps objects so that they are at most width wide, centred
// in the room they get.
func withMaxWidth(width float32, objects ...fyne.CanvasObject) *fyne.Container {
	return &fyne.Container{Layout: maxWidthLayout{width: width}, Objects: objects}
}
