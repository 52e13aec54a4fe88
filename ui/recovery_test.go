package ui

import (
	"context"
	"regexp"
	"testing"

	"fyne.io/fyne/v2/test"

	"selfservice/server/notify"
)

var resetLinkPattern = regexp.MustCompile(`http://\S+/reset/\S+`)

// resetLink returns the newest reset link sent to to, once there is one.
func (f *fixture) resetLink(to string) string {
	f.t.Helper()
	return f.emailLink(resetLinkPattern, to)
}

// emailLink returns the newest link matching pattern sent to to, once
// there is one.
func (f *fixture) emailLink(pattern *regexp.Regexp, to string) string {
	f.t.Helper()
	var link string
	f.pollFor("the email with the link", func() bool {
		if err := f.local.Deliver(context.Background()); err != nil {
			f.t.Fatalf("deliver: %v", err)
		}
		messages, err := notify.ReadMessages(f.local.MessagesDir)
		if err != nil {
			f.t.Fatalf("read the messages: %v", err)
		}
		for _, m := range messages {
			if l := pattern.FindString(m.Body); m.To == to && l != "" {
				link = l
			}
		}
		return link != ""
	})
	return link
}

func TestForgotPasswordResetsItWithThePastedLink(t *testing.T) {
	f := newFixture(t, Options{})
	f.ui.showSignIn("")
	s := f.signInScreen()
	s.username.SetText("demo")
	test.Tap(s.forgotPassword)
	v := s.recovery
	if s.title.Text != "Reset your password" || v.login.Text != "demo" {
		t.Fatalf("title %q, login %q; want the reset, with the username filled in", s.title.Text, v.login.Text)
	}
	// A link that is not one is refused next to the field, before asking.
	v.link.SetText("hello")
	test.Tap(v.open)
	f.waitFor("the link checked", func() bool { return !v.open.Disabled() })
	if v.linkErr.Text == "" {
		t.Error("no error next to a pasted text that is no link")
	}
	test.Tap(v.send)
	f.waitFor("the link sent", func() bool { return !v.send.Disabled() })
	if !v.message.Visible() || !contains(v.message.text.Text, "If an account matches") {
		t.Fatalf("message %q; want the same answer as for anyone", v.message.text.Text)
	}
	v.link.SetText(f.resetLink("demo@example.com"))
	test.Tap(v.open)
	f.waitFor("the password form", func() bool { return v.reset != nil })
	if !contains(richText(v.who), "for demo") {
		t.Errorf("form says %q; want whose password it sets", richText(v.who))
	}
	test.Type(v.next, "Copper kettle 19 sunrise")
	if !v.rules.kept["length"] || !v.rules.kept["classes"] {
		t.Errorf("rules kept %v as the password is typed; want length and classes ticked", v.rules.kept)
	}
	v.repeat.SetText("Copper kettle 19 sunris")
	test.Tap(v.set)
	f.waitFor("the repeat checked", func() bool { return !v.set.Disabled() })
	if v.repeatErr.Text == "" {
		t.Error("no error next to a repeat that differs")
	}
	v.repeat.SetText("Copper kettle 19 sunrise")
	test.Tap(v.set)
	f.waitFor("back at sign-in", func() bool { return s.title.Text == "Sign in" })
	if !contains(s.message.text.Text, "Your password is set") || s.username.Text != "demo" {
		t.Errorf("sign-in says %q for %q; want the reset told, demo filled in", s.message.text.Text, s.username.Text)
	}
	s.password.SetText("Copper kettle 19 sunrise")
	test.Tap(s.submit)
	f.waitFor("the second step", func() bool { _, ok := f.ui.current.(*secondFactorScreen); return ok })
}

func TestForgotUsernameSendsIt(t *testing.T) {
	f := newFixture(t, Options{})
	f.ui.showSignIn("")
	s := f.signInScreen()
	test.Tap(s.forgotUsername)
	v := s.recovery
	v.email.SetText("not an address")
	test.Tap(v.remind)
	f.waitFor("the address checked", func() bool { return !v.remind.Disabled() })
	if v.emailErr.Text == "" {
		t.Error("no error next to a bad address")
	}
	v.email.SetText("demo@example.com")
	test.Tap(v.remind)
	f.waitFor("the reminder sent", func() bool { return !v.remind.Disabled() && v.message.Visible() })
	if !contains(v.message.text.Text, "we sent its username") {
		t.Errorf("message %q; want the answer", v.message.text.Text)
	}
	test.Tap(s.forgotPassword) // from one to the other, then back
	if s.title.Text != "Reset your password" {
		t.Errorf("title %q", s.title.Text)
	}
}

func TestRecoveryUnreachableServerTriesAgain(t *testing.T) {
	f := newFixture(t, Options{})
	s := f.signInScreen()
	f.local.Close()
	test.Tap(s.forgotUsername)
	v := s.recovery
	v.email.SetText("demo@example.com")
	test.Tap(v.remind)
	f.waitFor("the failure", func() bool { return !v.remind.Disabled() && v.message.Visible() })
	if !contains(v.message.text.Text, "cannot be reached") || !v.message.action.Visible() || v.message.action.Text != "Try again" {
		t.Fatalf("message %q, action %q; want the server unreachable, with Try again", v.message.text.Text, v.message.action.Text)
	}
	test.Tap(v.message.action)
	if !v.remind.Disabled() || v.message.Visible() {
		t.Error("Try again did not send the reminder again")
	}
	f.waitFor("the second failure", func() bool { return !v.remind.Disabled() && v.message.Visible() })
}

func TestDemoShowsTheResetLinkToUse(t *testing.T) {
	f := newServerFixture(t)
	f.start(Options{DemoMessages: f.demoMessages})
	f.ui.showSignIn("")
	s := f.signInScreen()
	s.username.SetText("demo")
	test.Tap(s.forgotPassword)
	v := s.recovery
	var hint *demoMessageView
	for _, o := range v.demo.Objects {
		hint, _ = o.(*demoMessageView)
	}
	if hint == nil {
		t.Fatal("no demo hint under the link field in demo mode")
	}
	test.Tap(v.send)
	want := f.resetLink("demo@example.com")
	f.waitFor("the link in the hint", func() bool { return hint.current == want })
	test.Tap(hint.use)
	f.waitFor("the password form", func() bool { return v.reset != nil })
	if v.link.Text != want || v.reset.Username != "demo" {
		t.Errorf("link %q for %q; want the emailed link, demo's", v.link.Text, v.reset.Username)
	}
}
