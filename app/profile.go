package app

import (
	"context"
	"strings"

	"selfservice/api"
)

// The user's profile (api.PrivProfileView, api.PrivProfileUpdate) and
// the preferences the app applies: the language, the time zone and the
// date format. The session keeps the signed-in user's preferences and
// tells the UI (OnPreferences) whenever they may have changed, so that
// it speaks and shows dates as the user chose.

// Preferences are the signed-in user's preferences; the zero value (follow
// the computer) while signed out.
func (s *Session) Preferences() api.Preferences {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return api.Preferences{}
	}
	return s.cur.me.Preferences
}

// OnPreferences sets the function run with the preferences after each
// sign-in and resume, after the user saved new ones, and after signing
// out or the session expiring (then with the zero value). It runs on the
// goroutine of the call that caused it. It replaces an earlier function.
func (s *Session) OnPreferences(fn func(api.Preferences)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onPreferences = fn
}

// RememberedLanguage is the language of the last user signed in on this
// computer, else the one IT set (ApplyManaged), else "" for the
// computer's own: for the screens shown before anyone signs in.
func (s *Session) RememberedLanguage() string {
	if tag := s.prefs.String(PrefLanguage); tag != "" {
		return tag
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.managedLanguage
}

// preferencesChanged remembers the signed-in user's language and runs the
// OnPreferences function.
func (s *Session) preferencesChanged() {
	s.mu.Lock()
	cur, fn := s.cur, s.onPreferences
	var p api.Preferences
	if cur != nil {
		p = cur.me.Preferences
	}
	s.mu.Unlock()
	if cur != nil {
		s.prefs.SetString(PrefLanguage, p.Language)
	}
	if fn != nil {
		fn(p)
	}
}

// Profile loads the user's profile.
func (s *Session) Profile(ctx context.Context) (api.Profile, error) {
	return call(s, func(b Backend) (api.Profile, error) {
		return b.Profile(ctx)
	})
}

// UpdateProfile saves the changes of req (see ProfileChanges) and returns
// the profile as saved. The new display name and preferences take effect
// at once: User and Preferences return them, and OnPreferences runs.
// Refusals are field errors named as in api.UpdateProfileRequest.
func (s *Session) UpdateProfile(ctx context.Context, req api.UpdateProfileRequest) (api.Profile, error) {
	if err := req.Validate(); err != nil {
		return api.Profile{}, err
	}
	cur := s.current()
	if cur == nil {
		return api.Profile{}, errSignedOut()
	}
	p, err := callOn(s, cur, func(b Backend) (api.Profile, error) {
		return b.UpdateProfile(ctx, req)
	})
	if err != nil {
		return api.Profile{}, err
	}
	s.mu.Lock()
	if s.cur == cur {
		cur.me.User.DisplayName = p.DisplayName
		cur.me.Preferences = p.Preferences
	}
	s.mu.Unlock()
	s.preferencesChanged()
	return p, nil
}

// ProfileEdit is what a profile form holds: the display name, the values
// of the editable fields by ID, and the preferences.
type ProfileEdit struct {
	DisplayName string
	Fields      map[string]string
	Preferences api.Preferences
}

// ProfileChanges is the update that turns p into e: only what differs
// (spaces around values do not count), and only what p allows to change.
// It is empty when nothing changed.
func ProfileChanges(p api.Profile, e ProfileEdit) api.UpdateProfileRequest {
	var req api.UpdateProfileRequest
	if name := strings.TrimSpace(e.DisplayName); p.DisplayNameEditable && name != p.DisplayName {
		req.DisplayName = &name
	}
	for _, f := range p.Fields {
		value, ok := e.Fields[f.ID]
		if value = strings.TrimSpace(value); ok && f.Editable && value != f.Value {
			if req.Fields == nil {
				req.Fields = map[string]string{}
			}
			req.Fields[f.ID] = value
		}
	}
	changed := func(now, was string) *string {
		if now == was {
			return nil
		}
		return &now
	}
	req.Language = changed(e.Preferences.Language, p.Preferences.Language)
	req.TimeZone = changed(e.Preferences.TimeZone, p.Preferences.TimeZone)
	req.DateFormat = changed(e.Preferences.DateFormat, p.Preferences.DateFormat)
	return req
}

// EditOf is the form's starting point: p as it is.
func EditOf(p api.Profile) ProfileEdit {
	e := ProfileEdit{DisplayName: p.DisplayName, Fields: map[string]string{}, Preferences: p.Preferences}
	for _, f := range p.Fields {
		e.Fields[f.ID] = f.Value
	}
	return e
}
