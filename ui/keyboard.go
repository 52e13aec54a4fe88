package ui

import (
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// keyboard is what the window does with keys other than typing: Escape
// presses the Cancel of the dialog on top, F1 lists the shortcuts, and
// the current screen's shortcuts (Ctrl+R and so on, Cmd on macOS) run
// its actions. Fyne gives keys to the focused widget, so the app's
// entries (entry below) hand on the keys they do not use; with nothing
// focused the window's canvas gets them.
type keyboard struct {
	canvas    fyne.Canvas
	dialogs   []*widget.Button // the Cancel of each open dialog, newest last
	shortcuts []shortcut       // the current screen's
	help      func([]shortcut) // shows the list of shortcuts (F1)
}

// shortcut is a key combination with the app's shortcut modifier (Ctrl,
// Cmd on macOS), plus Shift when shift is set.
type shortcut struct {
	key   fyne.KeyName
	shift bool
	does  string // what it does, as the shortcuts list says it
	run   func()
}

func (s shortcut) fyne() *desktop.CustomShortcut {
	mod := fyne.KeyModifierShortcutDefault
	if s.shift {
		mod |= fyne.KeyModifierShift
	}
	return &desktop.CustomShortcut{KeyName: s.key, Modifier: mod}
}

// keyboards finds the keyboard of an entry's window.
var keyboards sync.Map // fyne.Canvas → *keyboard

func newKeyboard(c fyne.Canvas, help func([]shortcut)) *keyboard {
	k := &keyboard{canvas: c, help: help}
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) { k.typedKey(ev) })
	keyboards.Store(c, k)
	return k
}

// release forgets the keyboard once its window is closed.
func (k *keyboard) release() { keyboards.Delete(k.canvas) }

// keyboardOf is the keyboard of the window o is shown in, or nil.
func keyboardOf(o fyne.CanvasObject) *keyboard {
	d := fyne.CurrentApp().Driver()
	if d == nil {
		return nil
	}
	c := d.CanvasForObject(o)
	if c == nil {
		return nil
	}
	k, _ := keyboards.Load(c)
	kb, _ := k.(*keyboard)
	return kb
}

// typedKey handles Escape and F1, reporting whether it did.
func (k *keyboard) typedKey(ev *fyne.KeyEvent) bool {
	switch ev.Name {
	case fyne.KeyEscape:
		return k.escape()
	case fyne.KeyF1:
		if k.help != nil && len(k.shortcuts) > 0 && len(k.dialogs) == 0 {
			k.help(k.shortcuts)
			return true
		}
	}
	return false
}

// escape presses the Cancel of the dialog on top, when it can be
// pressed (a dialog busy with something that cannot stop has it
// disabled).
func (k *keyboard) escape() bool {
	if len(k.dialogs) == 0 {
		return false
	}
	cancel := k.dialogs[len(k.dialogs)-1]
	if cancel.Disabled() || !cancel.Visible() || cancel.OnTapped == nil {
		return true
	}
	cancel.OnTapped()
	return true
}

// showDialog shows dlg; Escape presses cancel while it is open.
func (k *keyboard) showDialog(dlg dialog.Dialog, cancel *widget.Button) {
	k.dialogs = append(k.dialogs, cancel)
	dlg.SetOnClosed(func() {
		for i := len(k.dialogs) - 1; i >= 0; i-- {
			if k.dialogs[i] == cancel {
				k.dialogs = append(k.dialogs[:i], k.dialogs[i+1:]...)
				break
			}
		}
	})
	dlg.Show()
}

// use makes list the shortcuts, in place of the previous screen's.
func (k *keyboard) use(list []shortcut) {
	for _, s := range k.shortcuts {
		k.canvas.RemoveShortcut(s.fyne())
	}
	k.shortcuts = list
	for _, s := range list {
		k.canvas.AddShortcut(s.fyne(), func(fyne.Shortcut) { k.run(s) })
	}
}

// typedShortcut runs the screen's action for sc, reporting whether sc is
// one of the screen's shortcuts.
func (k *keyboard) typedShortcut(sc fyne.Shortcut) bool {
	for _, s := range k.shortcuts {
		if s.fyne().ShortcutName() == sc.ShortcutName() {
			k.run(s)
			return true
		}
	}
	return false
}

// run runs s unless a dialog is open: its actions belong to the window
// behind it.
func (k *keyboard) run(s shortcut) {
	if len(k.dialogs) == 0 {
		s.run()
	}
}

// entry is the app's text entry: a widget.Entry that hands Escape, F1
// and the screen's shortcuts to the window's keyboard.
type entry struct {
	*widget.Entry
}

func newEntry() *entry {
	return extendEntry(&widget.Entry{Wrapping: fyne.TextWrap(fyne.TextTruncateClip)})
}

func newMultiLineEntry() *entry {
	return extendEntry(&widget.Entry{MultiLine: true, Wrapping: fyne.TextWrap(fyne.TextTruncateClip)})
}

// newPasswordEntry hides what is typed; the entry adds the eye that
// shows it.
func newPasswordEntry() *entry {
	return extendEntry(&widget.Entry{Password: true, Wrapping: fyne.TextWrap(fyne.TextTruncateClip)})
}

func extendEntry(w *widget.Entry) *entry {
	e := &entry{Entry: w}
	e.ExtendBaseWidget(e)
	return e
}

func (e *entry) TypedKey(ev *fyne.KeyEvent) {
	if k := keyboardOf(e); k != nil && k.typedKey(ev) {
		return
	}
	e.Entry.TypedKey(ev)
}

func (e *entry) TypedShortcut(sc fyne.Shortcut) {
	if _, custom := sc.(*desktop.CustomShortcut); custom {
		if k := keyboardOf(e); k != nil && k.typedShortcut(sc) {
			return
		}
	}
	e.Entry.TypedShortcut(sc)
}
