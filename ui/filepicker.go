package ui

import (
	"errors"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"github.com/ncruces/zenity"
)

// filePicker asks the user for a file to open or a place to save one.
// Both methods are called on the UI thread and call chosen on it, with
// the path, or "" when the user cancelled.
type filePicker interface {
	pickOpen(title string, extensions []string, chosen func(path string))
	pickSave(title, name string, chosen func(path string))
}

// nativePicker shows the system's own file dialogs, which know the
// user's folders, recent files and network places: through zenity, which
// calls the Windows and macOS dialogs directly and on Linux runs the
// desktop's zenity, kdialog or qarma. Where none works (a Linux without
// any of them), it falls back to Fyne's file dialog in the window.
type nativePicker struct{ ui *UI }

func (p nativePicker) pickOpen(title string, extensions []string, chosen func(string)) {
	patterns := make([]string, len(extensions))
	for i, ext := range extensions {
		patterns[i] = "*" + ext
	}
	filter := zenity.FileFilter{Name: strings.Join(patterns, " "), Patterns: patterns, CaseFold: true}
	p.native(chosen, func() (string, error) {
		return zenity.SelectFile(zenity.Title(title), filter)
	}, func() {
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if r == nil || err != nil {
				chosen("")
				return
			}
			r.Close()
			chosen(r.URI().Path())
		}, p.ui.win)
		d.SetFilter(storage.NewExtensionFileFilter(extensions))
		d.Show()
	})
}

func (p nativePicker) pickSave(title, name string, chosen func(string)) {
	p.native(chosen, func() (string, error) {
		return zenity.SelectFileSave(zenity.Title(title), zenity.Filename(name), zenity.ConfirmOverwrite())
	}, func() {
		d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
			if w == nil || err != nil {
				chosen("")
				return
			}
			w.Close() // the download writes its own file, then renames it there
			chosen(w.URI().Path())
		}, p.ui.win)
		d.SetFileName(filepath.Base(name))
		d.Show()
	})
}

// native runs the system dialog off the UI thread (it blocks until the
// user is done), and Fyne's dialog instead when the system has none.
func (p nativePicker) native(chosen func(string), show func() (string, error), fallback func()) {
	go func() {
		path, err := show()
		p.ui.do(func() {
			switch {
			case errors.Is(err, zenity.ErrCanceled):
				chosen("")
			case err != nil:
				fyne.LogError("the system's file dialog is not available; using the app's own", err)
				fallback()
			default:
				chosen(path)
			}
		})
	}()
}
