package ui

import (
	"context"
	"errors"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"selfservice/api"
	"selfservice/app"
)

func TestPasswordAreaChangesThePassword(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("demo")
	f.showArea(m, "Password")
	s := m.password
	if s == nil {
		t.Fatal("no Password area for demo")
	}
	f.waitFor("the policy", func() bool { return !s.submit.Disabled() })

	// The rules are ticked off as the user types.
	if len(s.rules.box.Objects) != 3 {
		t.Fatalf("%d rule lines, want length, kinds and username", len(s.rules.box.Objects))
	}
	test.Type(s.next, "short")
	if got := unkept(s); !slices.Equal(got, []string{api.RuleLength, api.RuleClasses}) {
		t.Errorf("rules not kept by %q: %v; want the length and the kinds", "short", got)
	}
	test.Type(s.next, "-Pass")
	if got := unkept(s); !slices.Equal(got, []string{api.RuleLength}) {
		t.Errorf("rules not kept by %q: %v; want the length only", s.next.Text, got)
	}
	s.next.SetText("Granite-Orbit-7-Tulip")
	if got := unkept(s); len(got) != 0 {
		t.Errorf("rules not kept by a good password: %v", got)
	}

	// Errors come back next to their field, and nothing is lost.
	s.current.SetText("not my password")
	s.repeat.SetText("Granite-Orbit-7-Tulip")
	test.Tap(s.submit)
	f.waitFor("the refusal", func() bool { return s.errs["current_password"].Visible() })
	if s.next.Text != "Granite-Orbit-7-Tulip" {
		t.Error("the refusal emptied the new password")
	}
	if s.stepUp != nil {
		t.Error("a wrong current password asked for a step-up")
	}
	s.current.SetText(f.demoUser("demo").Password)
	s.repeat.SetText("something else")
	test.Tap(s.submit)
	f.waitFor("the mismatch", func() bool { return s.errs["confirm_password"].Visible() })

	// The demo's policy asks for a step-up; the change follows it.
	s.repeat.SetText("Granite-Orbit-7-Tulip")
	test.Tap(s.submit)
	f.confirmStepUp(func() *stepUpDialog { return s.stepUp }, stepUpCode(f, f.demoUser("demo").TOTPSecret))
	f.waitFor("the change", func() bool { return s.message.Visible() && s.message.kind == bannerSuccess })
	if s.current.Text != "" || s.next.Text != "" || s.repeat.Text != "" {
		t.Error("the password fields keep their text after the change")
	}
	// The old password no longer signs in; the new one does.
	ctx := context.Background()
	other := app.NewSession(connect, app.NewMemorySecrets(), &mapPrefs{})
	if _, err := other.Login(ctx, f.local.URL, "demo", f.demoUser("demo").Password); !errors.Is(err, api.ErrInvalidCredentials) {
		t.Errorf("sign-in with the old password: %v; want invalid credentials", err)
	}
	if ch, err := other.Login(ctx, f.local.URL, "demo", "Granite-Orbit-7-Tulip"); err != nil || ch == nil {
		t.Errorf("sign-in with the new password = %v, %v; want its second step", ch, err)
	}
}

func TestPasswordAreaNeedsItsPrivilege(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("helpdesk")
	if m.password != nil || m.areaIndex("Password") >= 0 {
		t.Error("the helpdesk user, without password_update, has a Password area")
	}
}

// unkept lists the rules the new password typed does not keep yet.
func unkept(s *passwordScreen) []string {
	var out []string
	for _, r := range []string{api.RuleLength, api.RuleClasses, api.RuleUsername} {
		if !s.rules.kept[r] {
			out = append(out, r)
		}
	}
	return out
}
