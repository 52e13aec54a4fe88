package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"selfservice/api"
)

func press(t *testing.T, f *fixture, key fyne.KeyName) {
	t.Helper()
	ev := &fyne.KeyEvent{Name: key}
	if focused := f.ui.win.Canvas().Focused(); focused != nil {
		focused.TypedKey(ev)
		return
	}
	f.ui.win.Canvas().OnTypedKey()(ev)
}

func ctrl(key fyne.KeyName, shift bool) fyne.Shortcut {
	mod := fyne.KeyModifierShortcutDefault
	if shift {
		mod |= fyne.KeyModifierShift
	}
	return &desktop.CustomShortcut{KeyName: key, Modifier: mod}
}

// Escape in a dialog's field presses its Cancel: the dialog closes and
// nothing is saved.
func TestEscapeInAFieldCancelsTheDialog(t *testing.T) {
	f := newFixture(t, Options{})
	s := f.signIn("demo").tokens
	before := s.tokens[0].Description

	tapAction(t, s.rows[s.tokens[0].ID], api.ActionRename)
	d := s.dialog
	name := d.inputs[0].(*entry)
	f.ui.win.Canvas().Focus(name)
	test.Type(name, " changed")
	press(t, f, fyne.KeyEscape)

	if s.dialog != nil {
		t.Fatal("Escape did not close the rename dialog")
	}
	if got := s.tokens[0].Description; got != before {
		t.Errorf("name %q after Escape, want %q kept", got, before)
	}
	if len(f.ui.keys.dialogs) != 0 {
		t.Errorf("%d dialogs still registered for Escape", len(f.ui.keys.dialogs))
	}
}

// The shortcuts reach the window from a focused field as well as with
// nothing focused, and do nothing while a dialog is open.
func TestShortcutsSwitchAreasAndAdd(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("demo")

	third := m.areas[2].name
	f.ui.win.Canvas().Unfocus()
	if !f.ui.keys.typedShortcut(ctrl("3", false)) {
		t.Fatal("Ctrl+3 is not a shortcut of the main window")
	}
	if m.areas[m.shown].name != third {
		t.Errorf("Ctrl+3 shows %q, want %q", m.areas[m.shown].name, third)
	}

	f.ui.keys.typedShortcut(ctrl(fyne.KeyN, false))
	if m.tokens.chooser == nil || m.areas[m.shown].name != "Sign-in methods" {
		t.Fatal("Ctrl+N did not open the choice of a sign-in method on the Sign-in methods area")
	}
	f.ui.keys.typedShortcut(ctrl("2", false))
	if m.areas[m.shown].name != "Sign-in methods" {
		t.Error("Ctrl+2 switched areas behind an open dialog")
	}
	press(t, f, fyne.KeyEscape)
	if m.tokens.chooser != nil {
		t.Error("Escape did not close the choice")
	}

	// From a focused entry: the sign-in methods' rename field is gone, so
	// use a fresh entry in the window.
	e := newEntry()
	m.area.Objects = append(m.area.Objects, e)
	f.ui.win.Canvas().Focus(e)
	e.TypedShortcut(ctrl("2", false))
	if m.areas[m.shown].name != m.areas[1].name {
		t.Errorf("Ctrl+2 typed in a field shows %q, want %q", m.areas[m.shown].name, m.areas[1].name)
	}
}

// F1 lists the shortcuts; Escape closes the list.
func TestF1ListsTheShortcuts(t *testing.T) {
	f := newFixture(t, Options{})
	f.signIn("demo")
	f.ui.win.Canvas().Unfocus()

	press(t, f, fyne.KeyF1)
	if len(f.ui.keys.dialogs) != 1 {
		t.Fatal("F1 opened no dialog")
	}
	press(t, f, fyne.KeyEscape)
	if len(f.ui.keys.dialogs) != 0 {
		t.Error("Escape did not close the shortcuts")
	}
	if got := shortcutKeys(shortcut{key: fyne.KeyQ, shift: true}); got != "Ctrl+Shift+Q" && got != "⌘+Shift+Q" {
		t.Errorf("shortcutKeys = %q", got)
	}
}

// The sign-in screen has no shortcuts of the signed-in window.
func TestSignInHasNoWindowShortcuts(t *testing.T) {
	f := newFixture(t, Options{})
	f.signInScreen()
	if f.ui.keys.typedShortcut(ctrl(fyne.KeyR, false)) {
		t.Error("Ctrl+R is a shortcut on the sign-in screen")
	}
}

// Tab goes through the sign-in form in the order it is laid out.
func TestSignInTabOrderFollowsTheLayout(t *testing.T) {
	f := newFixture(t, Options{})
	s := f.signInScreen()
	c := f.ui.win.Canvas()
	c.Focus(s.server.change)

	want := []fyne.Focusable{s.username, s.password, s.submit, s.forgotPassword, s.forgotUsername}
	for i, w := range want {
		c.FocusNext()
		if c.Focused() != w {
			t.Fatalf("Tab %d focuses %T, want %T", i+1, c.Focused(), w)
		}
	}
}

// A closed window's keyboard is forgotten: its entries find none.
func TestClosedWindowForgetsItsKeyboard(t *testing.T) {
	f := newFixture(t, Options{})
	s := f.signInScreen()
	if keyboardOf(s.username) != f.ui.keys {
		t.Fatal("the username field does not find its window's keyboard")
	}
	f.ui.close()
	if keyboardOf(s.username) != nil {
		t.Error("the closed window's keyboard is still found")
	}
}
