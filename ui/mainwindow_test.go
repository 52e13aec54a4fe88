package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"selfservice/api"
	"selfservice/app"
	"selfservice/client"
)

func TestSignOutReturnsToSignIn(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("demo")

	test.Tap(m.signOut)
	s := f.signInScreen()

	if f.session.SignedIn() {
		t.Error("still signed in")
	}
	if got := s.message.message(); got != "" {
		t.Errorf("sign-in shows %q after a normal sign out", got)
	}
	if _, err := f.secrets.Get(app.AppID, f.local.URL+" demo"); err == nil {
		t.Error("the session is still saved after signing out")
	}
}

func TestSavedSessionResumesAtStart(t *testing.T) {
	f := newFixture(t, Options{})
	f.signIn("demo")

	f.start(Options{}) // the app starts again
	m := f.mainScreen()

	if got := m.user.Text; got != "Demo Employee" {
		t.Errorf("header shows %q, want Demo Employee", got)
	}
}

func TestExpiredSessionReturnsToSignInWithMessage(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("demo")
	endSessionOnServer(t, f, "demo")

	test.Tap(m.tokens.reload)
	s := f.signInScreen()

	if got, want := s.message.message(), "Your session has expired. Sign in again."; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}

// endSessionOnServer signs the saved session out behind the app's back.
func endSessionOnServer(t *testing.T, f *fixture, username string) {
	t.Helper()
	token, err := f.secrets.Get(app.AppID, f.local.URL+" "+username)
	if err != nil {
		t.Fatalf("no saved session: %v", err)
	}
	backend, err := client.New(f.local.URL, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	backend.SetSessionToken(token)
	if err := backend.Logout(t.Context()); err != nil {
		t.Fatalf("logout: %v", err)
	}
}

func TestNewUserMustAddAFirstMethod(t *testing.T) {
	f := newServerFixture(t)
	f.addUser("newbie", "newbie-password")
	f.start(Options{})

	f.enterPassword("newbie", "newbie-password")
	m := f.mainScreen()
	s := m.tokens
	if s == nil {
		t.Fatal("no tokens area while enrollment is required")
	}
	if got, want := m.setup.message(), "add your first sign-in method"; !contains(got, want) {
		t.Errorf("set-up banner %q, want it to contain %q", got, want)
	}
	if len(s.tokens) != 0 {
		t.Errorf("%d tokens for a new user", len(s.tokens))
	}

	w := startEnrollment(t, f, s, "")
	test.Tap(w.next)
	secret := w.created.Provisioning.Secret
	test.Type(w.code, code(t, secret, time.Now()))
	test.Tap(w.next)
	f.waitFor("the last step", func() bool { return w.step == stepDone || w.message.message() != "" })
	test.Tap(w.next)
	f.waitFor("the new token", func() bool { return len(s.tokens) == 1 })

	if s.tokens[0].Status != api.StatusActive {
		t.Errorf("token is %s, want ACTIVE", s.tokens[0].Status)
	}
	if got := m.setup.message(); got != "" {
		t.Errorf("set-up banner %q stays after the first method is active", got)
	}
	if f.session.EnrollmentRequired() {
		t.Error("the session still requires enrollment")
	}
}

func TestKeyringProblemIsShownOnce(t *testing.T) {
	f := newServerFixture(t)
	f.secrets = noKeyring{}
	f.start(Options{})

	f.signIn("demo")

	if got, want := f.ui.notice.message(), "keyring is not available"; !contains(got, want) {
		t.Errorf("notice %q, want it to contain %q", got, want)
	}
	test.Tap(f.ui.notice.action)
	if f.ui.notice.Visible() {
		t.Error("Dismiss left the notice shown")
	}
}

// noKeyring is a system without a usable keyring.
type noKeyring struct{}

func (noKeyring) Get(service, account string) (string, error) { return "", app.ErrSecretsUnavailable }
func (noKeyring) Set(service, account, secret string) error   { return app.ErrSecretsUnavailable }
func (noKeyring) Delete(service, account string) error        { return app.ErrSecretsUnavailable }
