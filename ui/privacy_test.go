package ui

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"selfservice/api"
)

// privacyArea signs a demo user in and shows the Privacy and data area
// with its consents loaded.
func privacyArea(t *testing.T, username string) (*fixture, *privacyScreen, *fakePicker) {
	t.Helper()
	f := newFixture(t, Options{})
	m := f.signIn(username)
	s := m.privacy
	if s == nil {
		t.Fatalf("no Privacy and data area for %s", username)
	}
	picker := &fakePicker{}
	s.picker = picker
	f.showArea(m, "Privacy and data")
	f.waitFor("the consents", func() bool { return s.loaded })
	return f, s, picker
}

func TestConsentsAreSwitchedOnAndOff(t *testing.T) {
	f, s, _ := privacyArea(t, "demo")
	if len(s.checks) != 3 {
		t.Fatalf("%d consents shown, want the demo's 3", len(s.checks))
	}
	news := s.checks["product-news"]
	if news.Checked || news.Text != "Product news by email" || !strings.Contains(richText(s.states["product-news"]), "Not answered yet") {
		t.Fatalf("product news shown %v %q: %q", news.Checked, news.Text, richText(s.states["product-news"]))
	}
	text := labelsText(s.consents)
	if !strings.Contains(text, "company directory") {
		t.Errorf("the consents %q lack their descriptions", text)
	}
	test.Tap(news)
	f.waitFor("the answer", func() bool { return strings.Contains(richText(s.states["product-news"]), "Given") && !news.Disabled() })
	out, err := f.session.Consents(context.Background())
	if err != nil || !out.Consents[0].Granted() {
		t.Fatalf("the server has %+v, %v; want product news granted", out, err)
	}
	test.Tap(news)
	f.waitFor("the second answer", func() bool {
		return strings.Contains(richText(s.states["product-news"]), "Declined") && !news.Disabled()
	})
	if news.Checked {
		t.Error("product news is still checked")
	}

	// The server goes away: the box goes back, with Try again.
	f.local.Close()
	test.Tap(news)
	f.waitFor("the failure", func() bool { return s.message.message() != "" && !news.Disabled() })
	if news.Checked || s.message.action.Text != "Try again" {
		t.Errorf("after a failure: checked %v, action %q", news.Checked, s.message.action.Text)
	}
}

func TestDownloadMyData(t *testing.T) {
	f, s, picker := privacyArea(t, "demo")
	picker.save = filepath.Join(t.TempDir(), "my data.json")
	test.Tap(s.download)
	f.waitFor("the copy", func() bool { return s.saved.message() != "" && !s.download.Disabled() })
	if !strings.HasPrefix(picker.saveName, "selfservice-data-demo-") || !strings.Contains(s.saved.message(), "my data.json") {
		t.Errorf("offered %q; message %q", picker.saveName, s.saved.message())
	}
	raw, err := os.ReadFile(picker.save)
	var data api.AccountExport
	if err == nil {
		err = json.Unmarshal(raw, &data)
	}
	if err != nil || data.User.Username != "demo" || data.FormatVersion != api.ExportFormatVersion {
		t.Fatalf("the saved copy: %+v, %v", data.User, err)
	}

	picker.save = filepath.Join(t.TempDir(), "missing folder", "x.json")
	test.Tap(s.download)
	f.waitFor("the failure", func() bool { return strings.Contains(s.saved.message(), "cannot be saved") && !s.download.Disabled() })
	if s.saved.action.Text != "Try again" {
		t.Errorf("action %q; want Try again", s.saved.action.Text)
	}
}

func TestDeleteMyAccount(t *testing.T) {
	f, s, _ := privacyArea(t, "demo")
	test.Tap(s.remove)
	f.waitFor("the deletion dialog", func() bool { return s.dialog != nil })
	d := s.dialog
	text := labelsText(d.content)
	for _, want := range []string{"1 sign-in method", "2 documents", "3 contact values", "without your name", "Type your username, demo"} {
		if !strings.Contains(text, want) {
			t.Errorf("the dialog %q does not say %q", text, want)
		}
	}

	// A wrong username: said next to it, kept, nothing asked.
	test.Type(s.confirm, "Demo")
	test.Tap(d.confirm)
	f.waitFor("the username error", func() bool { return d.fields["username"].Visible() && !d.confirm.Disabled() })
	if s.confirm.Text != "Demo" || s.stepUp != nil || !strings.Contains(d.fields["username"].Text, "demo") {
		t.Errorf("after a wrong username: %q kept, error %q", s.confirm.Text, d.fields["username"].Text)
	}

	s.confirm.SetText("")
	test.Type(s.confirm, "demo")
	test.Tap(d.confirm)
	f.confirmStepUp(func() *stepUpDialog { return s.stepUp }, stepUpCode(f, f.demoUser("demo").TOTPSecret))
	signIn := f.signInScreen()
	if msg := signIn.message.message(); !strings.Contains(msg, "Your account is deleted") {
		t.Errorf("the sign-in screen says %q", msg)
	}
	if f.session.SignedIn() {
		t.Error("still signed in")
	}
}

func TestHelpdeskKeepsTheirAccount(t *testing.T) {
	_, s, _ := privacyArea(t, "helpdesk")
	if s.remove != nil {
		t.Error("helpdesk staff are offered to delete their account")
	}
	if len(s.checks) != 3 || s.checks["product-news"].Disabled() {
		t.Errorf("the helpdesk user's consents: %d, disabled %v", len(s.checks), s.checks["product-news"].Disabled())
	}
}
