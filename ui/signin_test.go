package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"selfservice/api"
	"selfservice/app"
)

func TestSignInWithPasswordAndCodeShowsTokens(t *testing.T) {
	f := newFixture(t, Options{})

	m := f.signIn("demo")

	if got, want := m.user.Text, "Demo Employee"; got != want {
		t.Errorf("header shows %q, want %q", got, want)
	}
	if m.tokens == nil {
		t.Fatal("no tokens area for an employee")
	}
	if got := len(m.tokens.tokens); got != 1 {
		t.Fatalf("%d tokens listed, want 1", got)
	}
	if got := m.tokens.tokens[0].Status; got != api.StatusActive {
		t.Errorf("token status %s, want ACTIVE", got)
	}
	if got := f.prefs.String(app.PrefLastUsername); got != "demo" {
		t.Errorf("last username saved as %q, want demo", got)
	}
}

func TestSignInWrongPasswordSaysSo(t *testing.T) {
	f := newFixture(t, Options{})

	f.enterPassword("demo", "not-the-password")
	s := f.signInScreen()
	f.waitFor("an error message", func() bool { return s.message.message() != "" })

	if got, want := s.message.message(), "username or password is not correct"; !contains(got, want) {
		t.Errorf("message %q, want it to contain %q", got, want)
	}
	if s.password.Text != "" {
		t.Error("the wrong password is still in the field")
	}
	if s.submit.Disabled() {
		t.Error("sign in stays disabled after the failure")
	}
	if f.ui.current != s {
		t.Error("left the sign-in screen")
	}
}

func TestSignInEmptyFieldsShowFieldErrors(t *testing.T) {
	f := newFixture(t, Options{})
	s := f.signInScreen()
	s.username.SetText("")
	s.password.SetText("")

	test.Tap(s.submit)
	f.waitFor("field errors", func() bool { return s.usernameErr.Visible() })

	tests := []struct {
		name string
		err  fieldError
		want string
	}{
		{"username", s.usernameErr, "Enter your username."},
		{"password", s.passwordErr, "Enter your password."},
	}
	for _, tt := range tests {
		if got := tt.err.Text; got != tt.want {
			t.Errorf("%s error %q, want %q", tt.name, got, tt.want)
		}
	}
	if s.server.err.Visible() {
		t.Errorf("server error shown: %q", s.server.err.Text)
	}

	s.server.entry.SetText("")
	test.Tap(s.submit)
	if got, want := s.server.err.Text, "Enter the server address."; got != want {
		t.Errorf("server error %q, want %q", got, want)
	}
}

func TestSignInUnreachableServerOffersRetry(t *testing.T) {
	f := newFixture(t, Options{})
	s := f.signInScreen()
	url := f.local.URL
	if err := f.local.Close(); err != nil {
		t.Fatal(err)
	}

	s.server.entry.SetText(url)
	f.enterPassword("demo", "demo-password")
	f.waitFor("an error message", func() bool { return s.message.message() != "" })

	if got, want := s.message.message(), "cannot be reached"; !contains(got, want) {
		t.Errorf("message %q, want it to contain %q", got, want)
	}
	if !s.message.action.Visible() || s.message.action.Text != "Retry" {
		t.Errorf("no Retry button next to the message")
	}
}
