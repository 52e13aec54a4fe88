package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"selfservice/app"
)

func TestDemoPanelShowsTheCurrentCode(t *testing.T) {
	f := newServerFixture(t)
	at := time.Date(2026, 11, 22, 10, 0, 17, 0, time.UTC)
	f.now = func() time.Time { return at }
	f.start(f.demoOptions())
	s := f.signInScreen()

	if s.demo == nil {
		t.Fatal("no demo panel in demo mode")
	}
	if got := len(s.demo.rows); got != len(f.local.Demo.Users) {
		t.Fatalf("%d demo accounts shown, want %d", got, len(f.local.Demo.Users))
	}
	for _, r := range s.demo.rows {
		want, left, err := app.DemoCode(r.account.TOTPSecret, at)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.code.Text; got != spacedCode(want) {
			t.Errorf("%s: code %q, want %q", r.account.Username, got, spacedCode(want))
		}
		if got, want := richText(r.left), "13 s"; got != want || left != 13 {
			t.Errorf("%s: time left %q (%d s), want %q", r.account.Username, got, left, want)
		}
	}

	at = at.Add(30 * time.Second)
	s.demo.update()
	r := s.demo.rows[0]
	if want := code(t, r.account.TOTPSecret, at); r.code.Text != spacedCode(want) {
		t.Errorf("after 30 s the code is %q, want %q", r.code.Text, spacedCode(want))
	}

	test.Tap(r.use)
	if s.username.Text != r.account.Username || s.password.Text != r.account.Password {
		t.Errorf("Use filled in %q / %q", s.username.Text, s.password.Text)
	}
}

func TestDemoPanelOnSecondFactorShowsOnlyThatAccount(t *testing.T) {
	f := newServerFixture(t)
	f.start(f.demoOptions())

	f.enterPassword("helpdesk", "helpdesk-password")
	s := f.secondFactorScreen()

	if s.demo == nil || len(s.demo.rows) != 1 {
		t.Fatalf("want one demo account on the second factor screen, got %+v", s.demo)
	}
	if got := s.demo.rows[0].account.Username; got != "helpdesk" {
		t.Errorf("demo panel shows %q, want helpdesk", got)
	}
}

func TestNoDemoPanelOutsideDemoMode(t *testing.T) {
	f := newFixture(t, Options{})
	if s := f.signInScreen(); s.demo != nil {
		t.Error("a demo panel outside demo mode")
	}
}
