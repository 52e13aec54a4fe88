package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"selfservice/resources"
)

// startingScreen is shown while a saved session is resumed.
type startingScreen struct {
	progress *busyBar
}

func newStartingScreen() *startingScreen {
	return &startingScreen{progress: newBusyBar()}
}

func (s *startingScreen) content() fyne.CanvasObject {
	logo := canvas.NewImageFromResource(resources.Logo)
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSquareSize(96))
	text := widget.NewLabelWithStyle(lang.L("Starting Selfservice…"), fyne.TextAlignCenter, fyne.TextStyle{})
	return container.NewCenter(withWidth(280, container.NewVBox(logo, text, s.progress)))
}
