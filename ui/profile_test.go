package ui

import (
	"context"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
	"selfservice/resources"
	"selfservice/server"
)

// openProfile signs username in and opens the Profile area, loaded.
func (f *fixture) openProfile(username string) (*mainScreen, *profileScreen) {
	f.t.Helper()
	m := f.signIn(username)
	f.showArea(m, "Profile")
	s := m.profile
	f.waitFor("the profile", func() bool { return s.profile != nil && s.progress.Hidden })
	return m, s
}

// saveProfile taps Save and waits for the outcome, on the Profile area
// then shown.
func (f *fixture) saveProfile(s *profileScreen) *profileScreen {
	f.t.Helper()
	if s.save.Disabled() {
		f.t.Fatal("Save is disabled")
	}
	test.Tap(s.save)
	var live *profileScreen
	f.waitFor("the save", func() bool {
		live = f.ui.profileScreen()
		return live != nil && live.progress.Hidden && (live.message.Visible() || anyFieldError(live))
	})
	return live
}

func anyFieldError(s *profileScreen) bool {
	for _, e := range s.errs {
		if e.Visible() {
			return true
		}
	}
	return false
}

// texts are the texts of the labels, rich texts and badges shown in o.
func texts(o fyne.CanvasObject) []string {
	var out []string
	for _, c := range test.LaidOutObjects(o) {
		switch c := c.(type) {
		case *widget.Label:
			out = append(out, c.Text)
		case *widget.RichText:
			out = append(out, c.String())
		case *badge:
			out = append(out, c.Text)
		}
	}
	return out
}

func TestProfileEditAndSave(t *testing.T) {
	f := newFixture(t, Options{})
	m, s := f.openProfile("demo")

	// The organisation's fields are text with a lock; only the office can
	// be typed into.
	if _, ok := s.fields["job_title"]; ok || len(s.fields) != 1 || s.fields["office"] == nil {
		t.Fatalf("editable fields %v; want only the office", s.fields)
	}
	if !showsText(s.content(), "Sales representative") || !showsText(s.content(), "Set by your organisation") {
		t.Error("the job title set by the organisation is not shown as locked text")
	}
	if !s.save.Disabled() {
		t.Error("Save is enabled before anything changed")
	}
	test.Type(s.fields["office"], "Lisbon, room 12")
	if s.save.Disabled() {
		t.Fatal("Save stays disabled after a change")
	}
	s.name.SetText("Demo Person")
	s = f.saveProfile(s)
	if !s.message.Visible() || !strings.Contains(s.message.text.Text, "saved") || !s.save.Disabled() {
		t.Errorf("after saving: message %q, save disabled %v", s.message.text.Text, s.save.Disabled())
	}
	p, err := f.session.Profile(context.Background())
	if office, _ := p.Field("office"); err != nil || office.Value != "Lisbon, room 12" || p.DisplayName != "Demo Person" {
		t.Errorf("the server has %+v, %v", p, err)
	}
	if m = f.ui.current.(*mainScreen); m.user.Text != "Demo Person" {
		t.Errorf("the header says %q; want the new display name", m.user.Text)
	}
}

func TestProfileErrorsShowNextToTheField(t *testing.T) {
	f := newFixture(t, Options{})
	_, s := f.openProfile("demo")
	long := strings.Repeat("x", 61)
	s.fields["office"].SetText(long)
	s.zone.SetText("Atlantis/Capital")
	s = f.saveProfile(s)
	if e := s.errs["time_zone"]; !e.Visible() || !strings.Contains(e.Text, "time zone") {
		t.Errorf("time zone error %q; want it next to the field", e.Text)
	}
	// The app refuses the time zone before asking; with it fixed, the
	// server refuses the office's length.
	s.zone.SetText("asia/tokyo")
	s = f.saveProfile(s)
	if e := s.errs["fields.office"]; !e.Visible() || !strings.Contains(e.Text, "at most 60") {
		t.Errorf("office error %q", e.Text)
	}
	if s.fields["office"].Text != long || s.zone.Text != "asia/tokyo" {
		t.Error("what was typed is gone")
	}
	if p, _ := f.session.Profile(context.Background()); p.Preferences.TimeZone != "" {
		t.Errorf("a refused save stored %+v", p.Preferences)
	}
}

func TestDatesFollowTheChosenFormatAndTimeZone(t *testing.T) {
	f := newServerFixture(t)
	later := 72 * time.Hour // the tokens, made now, were added days ago
	f.now = func() time.Time { return time.Now().Add(later) }
	f.start(Options{})
	m, s := f.openProfile("demo")
	tokens, err := f.session.Tokens(context.Background())
	if err != nil || len(tokens) == 0 {
		t.Fatal(tokens, err)
	}
	tokyo, _ := time.LoadLocation("Pacific/Kiritimati") // UTC+14: the day differs from UTC's for 14 hours
	want := tokens[0].CreatedAt.In(tokyo).Format("02.01.2006")

	s.dateFormat.SetSelectedIndex(slices.Index(s.formats, api.DateDotted))
	s.zone.SetText("Pacific/Kiritimati")
	f.saveProfile(s)
	m = f.ui.current.(*mainScreen)
	f.showArea(m, "Sign-in methods")
	if !showsText(f.ui.win.Content(), "Added "+want) {
		t.Errorf("the sign-in methods do not say “Added %s”: %q", want, texts(f.ui.win.Content()))
	}
	if got := f.ui.dates.dateTime(time.Date(2026, 3, 14, 0, 30, 0, 0, time.UTC)); got != "14.03.2026 14:30" {
		t.Errorf("dateTime = %q", got)
	}
}

func TestLanguageSwitchRebuildsTheWindow(t *testing.T) {
	f := newFixture(t, Options{})
	t.Cleanup(func() { resources.UseLanguage("en") })
	_, s := f.openProfile("demo")
	s.language.SetSelectedIndex(slices.Index(s.languages, "de"))
	if s.language.Selected != "Deutsch" {
		t.Errorf("German is offered as %q; want its own name", s.language.Selected)
	}
	s = f.saveProfile(s)

	m := f.ui.current.(*mainScreen)
	if m.signOut.Text != "Abmelden" || m.areas[m.shown].name != "Profil" || m.profile != s {
		t.Errorf("after switching: sign out %q, area %q; want the window in German on the profile", m.signOut.Text, m.areas[m.shown].name)
	}
	if got := s.message.text.Text; got != "Ihr Profil ist gespeichert." {
		t.Errorf("message %q; want the saved state, in German", got)
	}
	if !slices.Contains(texts(m.area), "Einstellungen") {
		t.Errorf("the profile shows %q; want its Preferences heading in German", texts(m.area))
	}
	if i := m.areaIndex("Anmeldemethoden"); i < 0 {
		t.Error("the navigation has no Anmeldemethoden; want every area named in German")
	}

	// The next start greets in the same language before anyone signs in.
	test.Tap(m.signOut)
	f.signInScreen()
	f.start(Options{})
	if in := f.signInScreen(); in.submit.Text != "Anmelden" {
		t.Errorf("the next start's sign-in says %q; want German", in.submit.Text)
	}
}

// Before anyone has chosen a language, the app speaks the computer's.
func TestGermanComputerGreetsInGerman(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the computer's language is set through the environment on Linux only")
	}
	t.Setenv("LANGUAGE", "")
	t.Setenv("LC_ALL", "de_DE.UTF-8")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "de_DE.UTF-8")
	t.Cleanup(func() { resources.UseLanguage("en") })
	f := newFixture(t, Options{})
	in := f.signInScreen()
	if in.submit.Text != "Anmelden" || resources.Language() != "de" {
		t.Errorf("the sign-in says %q in %s; want German", in.submit.Text, resources.Language())
	}
}

func TestUntranslatedLanguageSaysSo(t *testing.T) {
	tenant := server.DemoTenant()
	tenant.Profile.Languages = append(tenant.Profile.Languages, "sk") // a language without a translation
	f := newConfigFixture(t, server.Config{Tenant: tenant})
	f.start(Options{})
	t.Cleanup(func() { resources.UseLanguage("en") })
	_, s := f.openProfile("demo")
	s.language.SetSelectedIndex(slices.Index(s.languages, "sk"))
	if s.language.Selected != "Slovenčina" {
		t.Errorf("Slovak is offered as %q", s.language.Selected)
	}
	f.saveProfile(s)
	if !f.ui.notice.Visible() || !strings.Contains(f.ui.notice.text.Text, "not yet translated into Slovak; showing English") {
		t.Errorf("notice %q", f.ui.notice.text.Text)
	}
	if m := f.ui.current.(*mainScreen); m.signOut.Text != "Sign out" {
		t.Errorf("the window speaks %q; want English", m.signOut.Text)
	}
}

func TestProfileHiddenWithoutThePrivilege(t *testing.T) {
	f := newFixture(t, Options{})
	f.addUser("newbie", "newbie-password")
	f.enterPassword("newbie", "newbie-password")
	m := f.mainScreen()
	if m.profile != nil || m.areaIndex("Profile") >= 0 {
		t.Error("an account that may only enroll sees the Profile area")
	}
	if _, err := f.session.Profile(context.Background()); err == nil {
		t.Error("the server gave the profile to a session without profile_view")
	}
}
