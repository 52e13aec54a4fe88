package ui

import (
	"regexp"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"selfservice/app"
	"selfservice/server"
)

var activationLinkPattern = regexp.MustCompile(`http://\S+/activate/\S+`)

func TestCreateAccountActivateAndSignIn(t *testing.T) {
	clock := &testClock{}
	f := newClockFixture(t, clock, server.DemoTenant(), Options{})
	f.ui.showSignIn("")
	s := f.signInScreen()
	f.waitFor("Create account offered", func() bool { return s.createAccount.Visible() })
	test.Tap(s.createAccount)
	v := s.register
	if s.title.Text != "Create account" {
		t.Fatalf("title %q; want Create account", s.title.Text)
	}

	// Refused next to the fields, what was typed kept.
	v.name.SetText("Nora North")
	v.username.SetText("demo")
	v.email.SetText("nora@example")
	test.Type(v.password, "Copper kettle 19 sunrise")
	if !v.rules.kept["length"] || !v.rules.kept["classes"] || !v.rules.kept["username"] {
		t.Errorf("rules kept %v as the password is typed; want them ticked", v.rules.kept)
	}
	v.repeat.SetText("Copper kettle 19 sunrise")
	test.Tap(v.create)
	f.waitFor("the form checked", func() bool { return !v.create.Disabled() })
	if v.emailErr.Text == "" {
		t.Error("no error next to a bad address")
	}
	v.email.SetText("nora@example.com")
	test.Tap(v.create)
	f.waitFor("the server's answer", func() bool { return !v.create.Disabled() && v.usernameErr.Text != "" })
	if !contains(v.usernameErr.Text, "taken") || v.username.Text != "demo" || v.password.Text == "" {
		t.Errorf("username error %q, username %q; want taken, the form kept", v.usernameErr.Text, v.username.Text)
	}
	v.username.SetText("nora")
	test.Tap(v.create)
	f.waitFor("Check your email", func() bool { return v.body.Objects[0] == v.checkView })
	if !contains(v.sentTo.Text, "nora@example.com") || !v.resend.Disabled() || !contains(v.resend.Text, "20 s") {
		t.Errorf("check view says %q, resend %q; want the address, Send again counting down", v.sentTo.Text, v.resend.Text)
	}
	link := f.emailLink(activationLinkPattern, "nora@example.com")
	clock.advance(21 * time.Second)
	v.tick()
	if v.resend.Disabled() {
		t.Fatal("Send again still disabled after the wait")
	}
	test.Tap(v.resend)
	f.waitFor("sent again", func() bool { return v.message.Visible() })
	if !contains(v.message.text.Text, "we sent the link again") {
		t.Errorf("message %q; want the answer to Send again", v.message.text.Text)
	}

	// The first link no longer works; the newest does.
	v.link.SetText(link)
	test.Tap(v.activate)
	f.waitFor("the old link refused", func() bool { return !v.activate.Disabled() && v.linkErr.Text != "" })
	f.pollFor("the new link", func() bool { return f.emailLink(activationLinkPattern, "nora@example.com") != link })
	v.link.SetText(f.emailLink(activationLinkPattern, "nora@example.com"))
	test.Tap(v.activate)
	f.waitFor("back at sign-in", func() bool { return s.title.Text == "Sign in" })
	if !contains(s.message.text.Text, "Your account is active") || s.username.Text != "nora" {
		t.Errorf("sign-in says %q for %q; want the activation told, nora filled in", s.message.text.Text, s.username.Text)
	}
	s.password.SetText("Copper kettle 19 sunrise")
	test.Tap(s.submit)
	f.waitFor("the main window", func() bool { _, ok := f.ui.current.(*mainScreen); return ok })
	if !f.session.EnrollmentRequired() {
		t.Error("the first sign-in is not the one that asks for a sign-in method")
	}
}

func TestSignInBeforeActivationOffersTheLinkAgain(t *testing.T) {
	clock := &testClock{}
	f := newClockFixture(t, clock, server.DemoTenant(), Options{})
	f.ui.showSignIn("")
	s := f.signInScreen()
	if _, err := f.session.Register(t.Context(), s.server.entry.Text, server.DemoTenant().PasswordPolicy, registration("nora")); err != nil {
		t.Fatal(err)
	}
	s.username.SetText("nora")
	s.password.SetText("Copper kettle 19 sunrise")
	test.Tap(s.submit)
	f.waitFor("the refusal", func() bool { return s.message.Visible() })
	if !contains(s.message.text.Text, "n•••@example.com") || !s.message.action.Visible() {
		t.Fatalf("message %q; want the masked address and Send the link again", s.message.text.Text)
	}
	clock.advance(21 * time.Second)
	test.Tap(s.message.action)
	f.waitFor("sent again", func() bool { return contains(s.message.text.Text, "we sent the link again") })
}

func TestCreateAccountHiddenWhenNotOffered(t *testing.T) {
	tenant := server.DemoTenant()
	tenant.Registration.Enabled = false
	f := newClockFixture(t, &testClock{}, tenant, Options{})
	f.ui.showSignIn("")
	s := f.signInScreen()
	f.waitFor("the options", func() bool { return s.optionsLoaded })
	if s.createAccount.Visible() {
		t.Error("Create account shown though the organisation does not offer it")
	}
}

// registration is a good Create account form for username.
func registration(username string) app.Registration {
	return app.Registration{DisplayName: "Nora North", Username: username, Email: username + "@example.com",
		Password: "Copper kettle 19 sunrise", Repeat: "Copper kettle 19 sunrise"}
}
