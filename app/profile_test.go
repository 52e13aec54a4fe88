package app_test

import (
	"context"
	"sync"
	"testing"

	"selfservice/api"
	"selfservice/app"
	"selfservice/server"
)

// prefsSeen records what OnPreferences reported.
type prefsSeen struct {
	mu   sync.Mutex
	seen []api.Preferences
}

func (p *prefsSeen) note(v api.Preferences) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seen = append(p.seen, v)
}

func (p *prefsSeen) last() (api.Preferences, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.seen) == 0 {
		return api.Preferences{}, 0
	}
	return p.seen[len(p.seen)-1], len(p.seen)
}

func TestProfileKeepsAndAnnouncesThePreferences(t *testing.T) {
	b := newBackendWith(t, server.DemoTenant())
	ctx := context.Background()
	prefs := newPrefs()
	s := app.NewSession(connect, app.NewMemorySecrets(), prefs)
	var seen prefsSeen
	s.OnPreferences(seen.note)
	b.signIn(t, s)
	if _, n := seen.last(); n != 1 {
		t.Fatalf("signing in announced the preferences %d times; want once", n)
	}

	p, err := s.Profile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	edit := app.EditOf(p)
	if req := app.ProfileChanges(p, edit); !req.Empty() {
		t.Fatalf("an untouched form changes %+v", req)
	}
	edit.DisplayName = " Dee Mo "
	edit.Fields["office"] = "Room 4"
	edit.Fields["job_title"] = "CEO" // read-only: never sent
	edit.Preferences = api.Preferences{Language: "fr", TimeZone: "America/New_York", DateFormat: api.DateUS}
	req := app.ProfileChanges(p, edit)
	if _, sent := req.Fields["job_title"]; sent || req.DisplayName == nil || *req.DisplayName != "Dee Mo" || req.Fields["office"] != "Room 4" {
		t.Fatalf("ProfileChanges = %+v", req)
	}
	if _, err := s.UpdateProfile(ctx, req); err != nil {
		t.Fatal(err)
	}
	want := edit.Preferences
	if got, _ := seen.last(); got != want || s.Preferences() != want || s.User().DisplayName != "Dee Mo" {
		t.Errorf("after saving: announced %+v, Preferences %+v, user %+v", got, s.Preferences(), s.User())
	}
	if prefs.String(app.PrefLanguage) != "fr" || s.RememberedLanguage() != "fr" {
		t.Errorf("the language is not remembered for the next start: %q", prefs.String(app.PrefLanguage))
	}

	// A refusal changes nothing in the session and announces nothing.
	_, n := seen.last()
	bad := "Nowhere/Special"
	if _, err := s.UpdateProfile(ctx, api.UpdateProfileRequest{TimeZone: &bad}); fieldErrors(err)["time_zone"] == "" {
		t.Errorf("an unknown time zone: %v", err)
	}
	if _, again := seen.last(); again != n || s.Preferences() != want {
		t.Error("a refused change was applied")
	}

	// A new sign-in brings the saved preferences; signing out goes back to
	// the computer's, but the next start still speaks the user's language.
	if err := s.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := seen.last(); got != (api.Preferences{}) || s.RememberedLanguage() != "fr" {
		t.Errorf("after sign-out: announced %+v, remembered %q", got, s.RememberedLanguage())
	}
	other := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	b.signIn(t, other)
	if other.Preferences() != want {
		t.Errorf("a new sign-in has preferences %+v; want %+v", other.Preferences(), want)
	}
}
