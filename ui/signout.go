package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/app"
)

// The account menu beside Sign out, for shared computers: Switch user
// (sign out, the sign-in screen empty for the next person) and Sign out
// and wipe (nothing of the user stays on this computer).

// newAccountMenu builds the menu and the button that opens it.
func (s *mainScreen) newAccountMenu() {
	s.accountMenu = fyne.NewMenu("",
		fyne.NewMenuItem(lang.L("Switch user"), s.onSwitchUser),
		fyne.NewMenuItem(lang.L("Sign out and wipe this computer…"), s.confirmWipe),
	)
	s.more = widget.NewButtonWithIcon("", theme.MoreVerticalIcon(), func() {
		widget.ShowPopUpMenuAtRelativePosition(s.accountMenu, s.ui.win.Canvas(),
			fyne.NewPos(0, s.more.Size().Height), s.more)
	})
}

// onSwitchUser signs out and shows the sign-in screen with the username
// empty and focused, for the next person.
func (s *mainScreen) onSwitchUser() {
	s.setAccountBusy(true)
	s.ui.run(s.ctx, s.progress, func(ctx context.Context) error {
		return s.ui.session.SwitchUser(ctx)
	}, func(err error) {
		message := lang.L("Signed out. The next person can sign in now.")
		if err != nil {
			message = lang.L("You are signed out. Your saved session could not be removed from the system keyring; it stops working when it expires.")
		}
		s.ui.showSignIn(message)
	})
}

// confirmWipe says what Sign out and wipe removes, then does it.
func (s *mainScreen) confirmWipe() {
	d := newFormDialog(s.ui, s.ctx, lang.L("Sign out and wipe this computer?"), lang.L("Sign out and wipe"),
		paragraph(lang.L("Use this on a shared computer. Selfservice signs you out on the server and removes from this computer your saved session (in the system keyring), your username, your language, the server address, which approval decisions you were shown and the last folder you used for files; what you copied from Selfservice is cleared from the clipboard. The next person starts as on a new computer.")))
	d.confirm.Importance = widget.DangerImportance
	var wiped app.Wiped
	var keyringErr error
	d.work = func(ctx context.Context) error {
		wiped, keyringErr = s.ui.session.SignOutAndWipe(ctx)
		return nil // signed out either way; the message says what was removed
	}
	d.done = func() {
		d.close()
		clipboard := s.ui.wipeWindow(&wiped)
		s.ui.showSignIn(wipedMessage(wiped, clipboard, keyringErr))
	}
	s.wipe = d
	d.show()
}

// fileDialogFolderKey is the preference in which Fyne's own file dialog
// (shown where the system has none, see nativePicker) keeps the last
// folder it showed: a path that may name the user and their files.
const fileDialogFolderKey = "fyne:fileDialogLastFolder"

// wipeWindow removes, for Sign out and wipe, what the window keeps of the
// user beside the session: the last folder of Fyne's file dialog (added
// to w.Preferences when it held one) and, while the clipboard still holds
// it, what they copied. It reports whether it cleared the clipboard.
func (u *UI) wipeWindow(w *app.Wiped) (clipboard bool) {
	prefs := u.app.Preferences()
	if prefs.String(fileDialogFolderKey) != "" {
		w.Preferences = append(w.Preferences, fileDialogFolderKey)
	}
	prefs.RemoveValue(fileDialogFolderKey)
	return u.clearCopied()
}

// wipedMessage says what Sign out and wipe removed, and what it could not.
func wipedMessage(w app.Wiped, clipboard bool, keyringErr error) string {
	var parts []string
	if w.SessionEnded {
		parts = append(parts, lang.L("Signed out on the server."))
	} else {
		parts = append(parts, lang.L("The server could not be reached: your session there ends when it expires."))
	}
	if keyringErr != nil {
		parts = append(parts, lang.L("Your saved session could not be removed from the system keyring; it stops working when it expires."))
	} else {
		parts = append(parts, lang.L("Removed from this computer: your saved session."))
	}
	var names []string
	for _, key := range w.Preferences {
		names = append(names, preferenceName(key))
	}
	if len(names) > 0 {
		parts = append(parts, lang.L("Removed your settings: {{.Settings}}.", map[string]any{"Settings": strings.Join(names, ", ")}))
	}
	if clipboard {
		parts = append(parts, lang.L("Removed from the clipboard: what you copied from Selfservice."))
	}
	return strings.Join(parts, " ")
}

// preferenceName is what a user preference holds, in words.
func preferenceName(key string) string {
	switch key {
	case app.PrefServerURL:
		return lang.L("server address")
	case app.PrefLastUsername:
		return lang.L("username")
	case app.PrefLanguage:
		return lang.L("language")
	case fileDialogFolderKey:
		return lang.L("last folder used for files")
	}
	if strings.HasPrefix(key, app.PrefRequestsSeen) {
		return lang.L("approval decisions already shown")
	}
	return key
}

// setAccountBusy disables the header's account controls while signing
// out.
func (s *mainScreen) setAccountBusy(busy bool) {
	setEnabled(s.signOut, !busy)
	setEnabled(s.more, !busy)
}
