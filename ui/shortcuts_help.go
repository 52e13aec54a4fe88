package ui

import (
	"runtime"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// showShortcuts lists the keyboard shortcuts of the screen shown (F1).
func (u *UI) showShortcuts(list []shortcut) {
	grid := container.NewGridWithColumns(2)
	add := func(keys, does string) {
		grid.Add(widget.NewLabelWithStyle(keys, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true}))
		grid.Add(widget.NewLabel(does))
	}
	for _, s := range list {
		add(shortcutKeys(s), s.does)
	}
	add("Esc", lang.L("Close the dialog (Cancel)"))
	add("Tab", lang.L("Move to the next field or button"))
	add("F1", lang.L("Show these shortcuts"))
	close := widget.NewButton(lang.L("Close"), nil)
	dlg := dialog.NewCustomWithoutButtons(lang.L("Keyboard shortcuts"), grid, u.win)
	close.OnTapped = dlg.Hide
	dlg.SetButtons([]fyne.CanvasObject{close})
	u.keys.showDialog(dlg, close)
}

// shortcutKeys writes s's keys as this computer's keyboard names them.
func shortcutKeys(s shortcut) string {
	keys := []string{"Ctrl"}
	if runtime.GOOS == "darwin" {
		keys = []string{"⌘"}
	}
	if s.shift {
		keys = append(keys, "Shift")
	}
	return strings.Join(append(keys, string(s.key)), "+")
}
