package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// segmented is a row of joined buttons of which exactly one is chosen, for
// the filters of a list ("Pending", "All"): the chosen one is filled with
// the primary colour, the others plain, so that which one holds shows at
// a glance in either theme.
type segmented struct {
	options  []string
	buttons  []*widget.Button
	selected int
	box      *fyne.Container

	onChanged func(option string) // after the user or select changed it
}

func newSegmented(options []string, onChanged func(string)) *segmented {
	s := &segmented{options: options, onChanged: onChanged, box: container.NewHBox()}
	for i, o := range options {
		b := widget.NewButton(o, func() { s.choose(i) })
		s.buttons = append(s.buttons, b)
		s.box.Add(b)
	}
	s.paint()
	return s
}

// content is the row of buttons.
func (s *segmented) content() fyne.CanvasObject { return s.box }

// choose makes option i hold; a change calls onChanged.
func (s *segmented) choose(i int) {
	if i == s.selected {
		return
	}
	s.selected = i
	s.paint()
	if s.onChanged != nil {
		s.onChanged(s.options[i])
	}
}

// paint shows which option holds.
func (s *segmented) paint() {
	for i, b := range s.buttons {
		if i == s.selected {
			b.Importance = widget.HighImportance
		} else {
			b.Importance = widget.MediumImportance
		}
		b.Refresh()
	}
}
