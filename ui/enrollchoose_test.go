package ui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"selfservice/api"
)

// chooseTemplate taps "Add sign-in method" and then the kind templateID.
func (f *fixture) chooseTemplate(s *tokensScreen, templateID string) {
	f.t.Helper()
	c := f.openChooser(s)
	i := slices.IndexFunc(c.templates, func(t api.TokenTemplate) bool { return t.ID == templateID })
	if i < 0 {
		f.t.Fatalf("%s is not offered among %+v", templateID, c.templates)
	}
	test.Tap(c.choices[i])
	if s.chooser != nil {
		f.t.Error("the choice stays open after choosing")
	}
}

// openChooser taps "Add sign-in method" and waits for what it offers.
func (f *fixture) openChooser(s *tokensScreen) *enrollChooser {
	f.t.Helper()
	if s.add == nil {
		f.t.Fatal("no Add sign-in method button")
	}
	test.Tap(s.add)
	c := s.chooser
	if c == nil {
		f.t.Fatal("Add sign-in method shows no choice")
	}
	f.waitFor("the kinds of sign-in method", func() bool { return len(c.choices) > 0 || c.message.message() != "" })
	if len(c.choices) == 0 {
		f.t.Fatalf("loading the kinds of sign-in method failed: %s", c.message.message())
	}
	return c
}

// offered lists the template ids a chooser offers, and those disabled.
func offered(c *enrollChooser) (ids, disabled []string) {
	for i, t := range c.templates {
		ids = append(ids, t.ID)
		if c.choices[i].Disabled() {
			disabled = append(disabled, t.ID)
		}
	}
	return ids, disabled
}

func TestAddOffersEveryKindAndOpensItsWizard(t *testing.T) {
	touch := newTouches()
	f := newFixture(t, keysOptions(newVirtualKey(t, touch.presence)))
	s := f.signIn("demo").tokens

	c := f.openChooser(s)
	ids, disabled := offered(c)
	for _, want := range []string{"totp-app", "hotp-app", "push-app", "sms-otp", "email-otp", templateKey, templatePasskey, "hardware-token"} {
		if !slices.Contains(ids, want) {
			t.Errorf("offered %v; want %s among them", ids, want)
		}
	}
	if len(disabled) != 0 {
		t.Errorf("disabled %v; want every kind available to a user with one token", disabled)
	}
	for i, tpl := range c.templates {
		if tpl.Order < c.templates[max(i-1, 0)].Order {
			t.Errorf("%s comes after a template of a higher order", tpl.ID)
		}
	}
	c.close()

	tests := []struct {
		template string
		opened   func() bool
	}{
		{"totp-app", func() bool { return s.wizard != nil && s.wizard.template.ID == "totp-app" }},
		{templatePasskey, func() bool { return s.keyWizard != nil && s.keyWizard.template.ID == templatePasskey }},
		{"hardware-token", func() bool { return s.dialog != nil && s.dialog.title == "Add hardware token" }},
	}
	for _, tt := range tests {
		f.chooseTemplate(s, tt.template)
		if !tt.opened() {
			t.Errorf("choosing %s did not open its wizard", tt.template)
		}
		switch {
		case s.wizard != nil:
			test.Tap(s.wizard.cancelBtn)
		case s.keyWizard != nil:
			test.Tap(s.keyWizard.cancelBtn)
		case s.dialog != nil:
			test.Tap(s.dialog.dismiss)
		}
		f.waitFor("the wizard to close", func() bool { return s.wizard == nil && s.keyWizard == nil && s.dialog == nil })
	}
}

func TestAddWithoutSecurityKeysOffersNoKeys(t *testing.T) {
	f := newFixture(t, Options{})
	s := f.signIn("demo").tokens
	ids, _ := offered(f.openChooser(s))
	if slices.Contains(ids, templateKey) || slices.Contains(ids, templatePasskey) {
		t.Errorf("offered %v without security keys; want no FIDO2 template", ids)
	}
	if !slices.Contains(ids, "totp-app") {
		t.Errorf("offered %v; want the authenticator app", ids)
	}
}

func TestANewUserIsToldToAddAnotherMethodBeforeThePushApp(t *testing.T) {
	f := newServerFixture(t)
	f.addUser("newbie", "newbie-password-1")
	f.start(Options{})
	f.enterPassword("newbie", "newbie-password-1")
	s := f.mainScreen().tokens
	if s == nil {
		t.Fatal("no sign-in methods for a user without any")
	}
	_, disabled := offered(f.openChooser(s))
	if !slices.Contains(disabled, "push-app") || slices.Contains(disabled, "totp-app") {
		t.Errorf("disabled %v; want the push app only, until the user has another method", disabled)
	}
}
