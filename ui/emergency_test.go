package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"selfservice/api"
	"selfservice/app"
)

// issueEmergencyCode has the helpdesk user, at another computer, issue
// an emergency access code to username.
func (f *fixture) issueEmergencyCode(username string, uses int) string {
	f.t.Helper()
	out, err := f.apiSession("helpdesk").IssueEmergencyCode(context.Background(), username, 1, uses)
	if err != nil {
		f.t.Fatalf("issue an emergency access code: %v", err)
	}
	return out.Code
}

// wrongEmergencyCode is a well-formed code other than code.
func wrongEmergencyCode(code string) string {
	if code == "ZZZZ-ZZZZ-ZZZZ-ZZZZ" {
		return "YYYY-YYYY-YYYY-YYYY"
	}
	return "ZZZZ-ZZZZ-ZZZZ-ZZZZ"
}

func TestSignInWithEmergencyCode(t *testing.T) {
	f := newFixture(t, Options{})
	issued := f.issueEmergencyCode("demo", 1)
	u := f.demoUser("demo")
	f.enterPassword(u.Username, u.Password)
	s := f.secondFactorScreen()

	if s.methods == nil || !contains(strings.Join(s.methods.options(), "|"), "Emergency access code") {
		t.Fatalf("methods %v; want the emergency access code offered", s.methods)
	}
	if s.emergencyField.Visible() {
		t.Error("the emergency access code field shows before it is chosen")
	}
	s.methods.selectID(api.EmergencyTokenID)
	if !s.emergencyField.Visible() || s.codeField.Visible() {
		t.Fatalf("emergency field shown %v, code field shown %v; want only the emergency field", s.emergencyField.Visible(), s.codeField.Visible())
	}

	test.Type(s.emergency, strings.ToLower(wrongEmergencyCode(issued)))
	test.Tap(s.submit)
	f.waitFor("the code error", func() bool { return s.emergencyErr.Visible() })
	if !contains(s.emergencyErr.Text, "emergency access code is not correct") {
		t.Errorf("error %q; want it to say the emergency access code is wrong", s.emergencyErr.Text)
	}
	if f.session.SignedIn() {
		t.Fatal("signed in with a wrong emergency access code")
	}

	s.emergency.SetText("")
	test.Type(s.emergency, strings.ToLower(strings.ReplaceAll(issued, "-", " ")))
	if want := strings.ToUpper(strings.ReplaceAll(issued, "-", " ")); s.emergency.Text != want {
		t.Errorf("field shows %q; want %q", s.emergency.Text, want)
	}
	test.Tap(s.submit)
	f.mainScreen()
	if !f.session.SignedIn() {
		t.Error("not signed in with the emergency access code")
	}
}

func TestStepUpWithEmergencyCodeDeletesTheToken(t *testing.T) {
	f := newFixture(t, Options{})
	s := f.signIn("demo").tokens
	spare, _ := addSpare(t, f, s) // enrolling deactivates earlier codes: issue after
	issued := f.issueEmergencyCode("demo", 1)

	tapAction(t, s.rows[spare.ID], api.ActionDelete)
	test.Tap(s.dialog.confirm)
	step := f.stepUpDialogOf(func() *stepUpDialog { return s.stepUp })
	if !contains(strings.Join(step.methods.options(), "|"), "Use an emergency access code") {
		t.Fatalf("step-up options %v; want Use an emergency access code", step.methods.options())
	}
	f.chooseMethod(step, api.EmergencyTokenID)

	test.Type(step.emergency, wrongEmergencyCode(issued))
	test.Tap(step.confirm)
	f.waitFor("the code error", func() bool { return step.emergencyErr.Visible() })
	if !hasToken(t, f, spare.ID) {
		t.Fatal("a wrong emergency access code deleted the token")
	}

	step.emergency.SetText("")
	test.Type(step.emergency, issued)
	test.Tap(step.confirm)
	f.waitFor("the deleted token", func() bool { return s.dialog == nil && len(s.tokens) == 1 && !s.progress.Visible() })
	if !step.ended || step.emergency.Text != "" {
		t.Errorf("dialog ended %v, code left in the field %q; want it closed and emptied", step.ended, step.emergency.Text)
	}
	if hasToken(t, f, spare.ID) {
		t.Error("the token is still there")
	}
}

func TestHelpdeskIssuesAnEmergencyCodeShownOnce(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("helpdesk")
	f.showArea(m, "Helpdesk")
	e := m.emergency

	// A username that cannot be one is not sent; oneself is refused.
	test.Type(e.username, "Demo Employee")
	test.Tap(e.find)
	if !contains(e.usernameErr.Text, "up to 64 letters") || e.holder != nil || !e.issue.Disabled() {
		t.Errorf("username error %q, holder %v, issue disabled %v; want the rule, nobody, disabled", e.usernameErr.Text, e.holder, e.issue.Disabled())
	}
	if e.username.Text != "Demo Employee" {
		t.Errorf("the field holds %q; want what was typed kept", e.username.Text)
	}
	e.username.SetText("helpdesk")
	test.Tap(e.find)
	f.waitFor("the refusal", func() bool { return e.usernameErr.Visible() })
	if !contains(e.usernameErr.Text, "to yourself") || e.holder != nil {
		t.Errorf("username error %q, holder %v; want a refusal and nobody", e.usernameErr.Text, e.holder)
	}

	// Look up, then confirm the person before the code is issued.
	e.username.SetText("demo")
	test.Tap(e.find)
	f.waitFor("the person", func() bool { return e.holder != nil })
	if !contains(e.person.Text, "Demo Employee (demo)") || e.issue.Disabled() {
		t.Fatalf("person %q, issue disabled %v; want Demo Employee (demo), enabled", e.person.Text, e.issue.Disabled())
	}
	e.hours.SetSelected(validityName(8))
	e.uses.SetSelected("2")
	test.Tap(e.issue)
	if e.dialog == nil || e.dialog.title != "Issue a code to Demo Employee (demo)?" || e.result.Visible() {
		t.Fatalf("dialog %v, result shown %v; want the confirmation first, no code yet", e.dialog, e.result.Visible())
	}
	test.Tap(e.dialog.confirm)
	f.waitFor("the code", func() bool { return e.result.Visible() })
	if e.dialog != nil {
		t.Error("the confirmation is still open")
	}
	code := e.code.Text
	if !api.ValidEmergencyCode(api.NormalizeEmergencyCode(code)) || !contains(e.details.Text, "2 uses") {
		t.Fatalf("shows %q, %q; want a grouped code valid for 2 uses", code, e.details.Text)
	}
	test.Tap(e.copy)
	if got := fyne.CurrentApp().Clipboard().Content(); got != code {
		t.Errorf("clipboard %q; want the code", got)
	}

	// Looking them up again tells of the code they now hold; typing
	// another name forgets who was looked up.
	test.Tap(e.find)
	f.waitFor("the person again", func() bool { return e.holder != nil })
	if !contains(e.person.Text, "2 more uses") {
		t.Errorf("person %q; want the code they hold, 2 more uses", e.person.Text)
	}
	test.Type(e.username, "x")
	if e.holder != nil || !e.issue.Disabled() {
		t.Error("a changed username keeps the person looked up")
	}

	// The code signs demo in; leaving the area forgets it.
	demo := f.demoUser("demo")
	other := app.NewSession(connect, app.NewMemorySecrets(), &mapPrefs{})
	ch, err := other.Login(context.Background(), f.local.URL, demo.Username, demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	if err := other.VerifyEmergency(context.Background(), ch, code); err != nil {
		t.Errorf("sign in with the shown code: %v", err)
	}
	f.showArea(m, "Sign-in methods")
	if e.result.Visible() || e.code.Text != "" || e.issued != "" {
		t.Error("the code is still kept after leaving the area")
	}
}
