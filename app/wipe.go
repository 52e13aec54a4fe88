package app

import (
	"context"
	"slices"
)

// userPreferences are the preferences that belong to the user who signed
// in last, and that SignOutAndWipe removes together with the user's
// PrefRequestsSeen. A new preference of the user belongs here.
// PrefWindowSize stays: it is the screen's, not the user's.
var userPreferences = []string{PrefServerURL, PrefLastUsername, PrefLanguage}

// Wiped says what SignOutAndWipe removed.
type Wiped struct {
	// SessionEnded: the server confirmed the end of the session. When it
	// could not be reached, the session ends there when it expires.
	SessionEnded bool
	// Preferences lists the preference keys that held something of the
	// user and were removed.
	Preferences []string
}

// SignOutAndWipe is the sign-out of a shared computer: it removes the
// user's preferences (server address, username, language, the approval
// decisions they were told of), ends the session on the server and
// deletes the saved session from the keyring, so that nothing of the
// user stays on this computer. The preferences go first, so that the
// screens shown after the sign-out no longer speak the user's language.
// The app keeps no cache of the user's data: documents are saved only
// where the user chose, and the demo's files are not the user's. The
// error says only that the keyring entry could not be deleted; the rest
// is done either way.
func (s *Session) SignOutAndWipe(ctx context.Context) (Wiped, error) {
	var w Wiped
	keys := userPreferences
	if id := s.User().ID; id != "" {
		keys = append(slices.Clip(keys), PrefRequestsSeen+id)
	}
	for _, key := range keys {
		if s.prefs.String(key) != "" {
			w.Preferences = append(w.Preferences, key)
		}
		s.prefs.RemoveValue(key)
	}
	var err error
	w.SessionEnded, err = s.endSession(ctx)
	return w, err
}

// SwitchUser signs out for another person to sign in on this computer:
// as Logout, and the username is forgotten so that the sign-in screen
// starts empty.
func (s *Session) SwitchUser(ctx context.Context) error {
	err := s.Logout(ctx)
	s.prefs.SetString(PrefLastUsername, "")
	return err
}
