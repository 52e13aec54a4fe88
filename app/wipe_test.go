package app_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"testing"
	"time"

	"selfservice/app"
	"selfservice/app/keyring"
	"selfservice/internal/keyringtest"
)

// TestSignOutAndWipe signs in with the session saved in the real Secret
// Service, then wipes: the server no longer accepts the token, the
// keyring holds no entry (checked with secret-tool, as other programs see
// it) and no preference of the user is left, not even the key that names
// them; the window size, the screen's, stays. It runs with
// SELFSERVICE_KEYRING_TEST=1 (scripts/with-test-services.sh sets it).
func TestSignOutAndWipe(t *testing.T) {
	if os.Getenv("SELFSERVICE_KEYRING_TEST") != "1" {
		t.Skip("set SELFSERVICE_KEYRING_TEST=1, with a Secret Service on the session bus, to test the OS keyring")
	}
	if keyringtest.InOwnProcess(t) {
		return
	}

	b := newBackend(t)
	ctx := context.Background()
	secrets, prefs := keyring.New(10*time.Second), newPrefs()
	s := app.NewSession(connect, secrets, prefs)
	b.signIn(t, s)
	prefs.SetString(app.PrefLanguage, "de")
	s.SetWindowSize(960, 640)
	if _, err := s.NewlyDecided(ctx); err != nil {
		t.Fatal(err)
	}
	seen := app.PrefRequestsSeen + s.User().ID
	if prefs.String(seen) == "" {
		t.Fatalf("NewlyDecided kept nothing under %s", seen)
	}
	token := b.savedToken(t, secrets)
	account := b.url + " " + b.demo.Username
	if token == "" || keyringtest.Lookup(t, app.AppID, account) != token {
		t.Fatal("the session token is not in the keyring after sign-in")
	}

	w, err := s.SignOutAndWipe(ctx)
	if err != nil {
		t.Fatalf("SignOutAndWipe: %v", err)
	}
	if !w.SessionEnded || s.SignedIn() {
		t.Errorf("SessionEnded = %v, SignedIn = %v; want the session ended", w.SessionEnded, s.SignedIn())
	}
	if b.tokenWorks(t, token) {
		t.Error("the server still accepts the wiped session's token")
	}
	if got := keyringtest.Lookup(t, app.AppID, account); got != "" {
		t.Errorf("secret-tool finds %q after the wipe; want nothing", got)
	}
	if _, err := secrets.Get(app.AppID, account); !errors.Is(err, app.ErrSecretNotFound) {
		t.Errorf("keyring Get after the wipe: %v; want ErrSecretNotFound", err)
	}
	want := []string{app.PrefServerURL, app.PrefLastUsername, app.PrefLanguage, seen}
	if !slices.Equal(w.Preferences, want) {
		t.Errorf("Preferences wiped = %v; want %v", w.Preferences, want)
	}
	for key, value := range prefs.values {
		if key != app.PrefWindowSize {
			t.Errorf("preference %s = %q is left after the wipe; want it removed", key, value)
		}
	}
	if s.LastUsername() != "" || s.RememberedLanguage() != "" {
		t.Errorf("LastUsername = %q, RememberedLanguage = %q; want both forgotten", s.LastUsername(), s.RememberedLanguage())
	}
}

func TestSwitchUserForgetsTheUsername(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	secrets, prefs := app.NewMemorySecrets(), newPrefs()
	s := app.NewSession(connect, secrets, prefs)
	b.signIn(t, s)
	token := b.savedToken(t, secrets)

	if err := s.SwitchUser(ctx); err != nil {
		t.Fatalf("SwitchUser: %v", err)
	}
	if s.SignedIn() || s.LastUsername() != "" || b.savedToken(t, secrets) != "" || b.tokenWorks(t, token) {
		t.Errorf("after SwitchUser: signed in %v, last username %q, token saved %v; want signed out, forgotten and ended",
			s.SignedIn(), s.LastUsername(), b.savedToken(t, secrets) != "")
	}
	if s.ServerURL() != b.url {
		t.Errorf("ServerURL = %q; want the server kept for the next person", s.ServerURL())
	}
}
