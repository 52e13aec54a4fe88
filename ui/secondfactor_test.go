package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestSecondFactorWrongCodeSaysSo(t *testing.T) {
	f := newFixture(t, Options{})
	u := f.demoUser("demo")
	f.enterPassword(u.Username, u.Password)
	s := f.secondFactorScreen()

	test.Type(s.code, wrongCode(t, u.TOTPSecret))
	test.Tap(s.submit)
	f.waitFor("the code error", func() bool { return s.codeErr.Visible() })

	if got, want := s.codeErr.Text, "code is not correct"; !contains(got, want) {
		t.Errorf("code error %q, want it to contain %q", got, want)
	}
	if s.code.Text != "" {
		t.Errorf("the wrong code %q stays in the field", s.code.Text)
	}
	if f.ui.current != s {
		t.Error("left the second-factor screen")
	}
	if f.session.SignedIn() {
		t.Error("signed in with a wrong code")
	}
}

func TestSecondFactorBackReturnsToSignIn(t *testing.T) {
	f := newFixture(t, Options{})
	f.enterPassword("demo", "demo-password")
	s := f.secondFactorScreen()

	test.Tap(s.back)

	in := f.signInScreen()
	if got := in.username.Text; got != "demo" {
		t.Errorf("username %q, want it prefilled with demo", got)
	}
}

func TestCodeEntryKeepsOnlyDigits(t *testing.T) {
	test.NewTempApp(t)
	tests := []struct{ typed, want string }{
		{"123456", "123456"},
		{"123 456", "123456"},
		{"12a3-45b6", "123456"},
		{"1234567890", "12345678"},
	}
	for _, tt := range tests {
		e := newCodeEntry()
		test.Type(e, tt.typed)
		if e.Text != tt.want {
			t.Errorf("typing %q gives %q, want %q", tt.typed, e.Text, tt.want)
		}
	}
}
