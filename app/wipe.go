package app

import (
	"context"
)

// userPreferences are the preferences that belong to the user who signed
// in last, and that SignOutAndWipe clears. A new preference of the user
// belongs here.
var userPreferences = []string{PrefServerURL, PrefLastUsername, PrefLanguage}

// Wiped says what SignOutAndWipe removed.
type Wiped struct {
	// SessionEnded: the server confirmed the end of the session. When it
	// could not be reached, the session ends there when it expires.
	SessionEnded bool
	// Preferences lists the preference keys that held something of the
	// user and were cleared.
	Preferences []string
}

// SignOutAndWipe is the sign-out of a shared computer: it ends the
// session on the server, deletes the saved session from the keyring and
// clears the user's preferences (server address, username, language), so
// that nothing of the user stays on this computer. The app keeps no
// cache of the user's data; the demo's files are not the user's. The
// error says only that the keyring entry could not be deleted; the rest
// is done either way.
func (s *Session) SignOutAndWipe(ctx context.Context) (Wiped, error) {
	var w Wiped
	var err error
	w.SessionEnded, err = s.endSession(ctx)
	for _, key := range userPreferences {
		if s.prefs.String(key) != "" {
			s.prefs.SetString(key, "")
			w.Preferences = append(w.Preferences, key)
		}
	}
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
