package ui

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"selfservice/api"
	"selfservice/app"
	"selfservice/hw"
)

// enrollKeyAs registers key on templateID for a demo user, through a
// session of its own, and returns the ACTIVE token. It uses the user's
// current code: sign in with the key afterwards, not with a code.
func (f *fixture) enrollKeyAs(username, templateID string, key hw.Authenticator) api.Token {
	f.t.Helper()
	ctx := context.Background()
	u := f.demoUser(username)
	s := app.NewSession(connect, app.NewMemorySecrets(), &mapPrefs{})
	ch, err := s.Login(ctx, f.local.URL, u.Username, u.Password)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := s.Verify(ctx, ch, ch.Methods[0].TokenID, code(f.t, u.TOTPSecret, time.Now())); err != nil {
		f.t.Fatal(err)
	}
	var e *app.KeyEnrollment
	err = f.withStepUpOn(s, u.TOTPSecret, func(ctx context.Context) error {
		var err error
		e, err = s.EnrollKey(ctx, templateID, "Desk key")
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	tok, err := s.RegisterKey(ctx, e, key, keyPIN, nil)
	if err != nil {
		f.t.Fatalf("register the key: %v", err)
	}
	if err := s.Logout(ctx); err != nil {
		f.t.Fatal(err)
	}
	return tok
}

// enterKeyPIN waits for the ceremony's PIN prompt and enters keyPIN.
func (f *fixture) enterKeyPIN(p *keyPrompt) {
	f.t.Helper()
	f.waitFor("the PIN prompt", func() bool { return p.state == promptPIN || p.state == promptFailed })
	if p.state != promptPIN {
		f.t.Fatalf("the ceremony failed: %s", p.text.Text)
	}
	test.Type(p.pinEntry, keyPIN)
	pressEnter(p.pinEntry)
}

func TestSecondStepWithASecurityKey(t *testing.T) {
	key := withPIN(t, newVirtualKey(t, nil))
	f := newFixture(t, keysOptions(key))
	tok := f.enrollKeyAs("demo", templateKey, key)

	u := f.demoUser("demo")
	f.enterPassword(u.Username, u.Password)
	s := f.secondFactorScreen()
	if s.methods == nil || len(s.methods.options()) != 2 {
		t.Fatalf("methods %v; want the app and the key", s.methods)
	}
	if !s.codeField.Visible() || s.submit.Text != "Verify" {
		t.Errorf("with the app chosen: code field shown %v, button %q; want the code field and Verify", s.codeField.Visible(), s.submit.Text)
	}
	s.methods.selectID(tok.ID)
	if s.codeField.Visible() || s.submit.Text != "Use security key" || !contains(richText(s.intro), "security key") {
		t.Errorf("with the key chosen: code field shown %v, button %q, intro %q; want no code field and Use security key",
			s.codeField.Visible(), s.submit.Text, richText(s.intro))
	}

	test.Tap(s.submit)
	if s.ceremony == nil {
		t.Fatal("no security key dialog")
	}
	f.enterKeyPIN(s.ceremony.prompt)
	m := f.mainScreen()
	if !f.session.SignedIn() || f.session.User().Username != "demo" {
		t.Errorf("after the key: signed in %v as %q; want demo", f.session.SignedIn(), f.session.User().Username)
	}
	if m.tokens == nil {
		t.Error("no tokens area after signing in with the key")
	}
}

func TestSecondStepWithAKeyCanBeCancelled(t *testing.T) {
	touch := newTouches()
	key := withPIN(t, newVirtualKey(t, touch.presence))
	f := newFixture(t, keysOptions(key))
	go touch.give(nil) // the enrollment's touch
	f.enrollKeyAs("demo", templateKey, key)

	u := f.demoUser("demo")
	f.enterPassword(u.Username, u.Password)
	s := f.secondFactorScreen()
	s.methods.selectID(s.challenge.Methods[1].TokenID)
	test.Tap(s.submit)
	p := s.ceremony.prompt
	f.enterKeyPIN(p)
	f.waitPrompt(p, promptTouch, "the request to touch the key")

	test.Tap(s.ceremony.cancel)
	f.waitFor("the dialog to close", func() bool { return s.ceremony == nil })
	if f.ui.current != s || f.session.SignedIn() || s.submit.Disabled() || s.message.Visible() {
		t.Errorf("after Cancel: screen kept %v, signed in %v, button disabled %v, message %q; want the screen back, quietly",
			f.ui.current == s, f.session.SignedIn(), s.submit.Disabled(), s.message.message())
	}
}

func TestSignInWithAPasskey(t *testing.T) {
	key := withPIN(t, newVirtualKey(t, nil))
	f := newFixture(t, keysOptions(key))
	f.enrollKeyAs("demo", templatePasskey, key)

	in := f.signInScreen()
	in.username.SetText("")
	if in.passkey == nil {
		t.Fatal("no passkey button")
	}
	test.Tap(in.passkey)
	if in.ceremony == nil {
		t.Fatal("no passkey dialog")
	}
	f.enterKeyPIN(in.ceremony.prompt)
	f.mainScreen()
	if got := f.session.User().Username; got != "demo" {
		t.Errorf("signed in as %q with the passkey; want demo", got)
	}
	if got := f.session.LastUsername(); got != "demo" {
		t.Errorf("last username %q; want demo, for the next start", got)
	}
}

func TestPasskeyOnAKeyWithoutOneSaysSo(t *testing.T) {
	key := withPIN(t, newVirtualKey(t, nil))
	f := newFixture(t, keysOptions(key))

	in := f.signInScreen()
	test.Tap(in.passkey)
	p := in.ceremony.prompt
	f.enterKeyPIN(p)
	f.waitPrompt(p, promptFailed, "the error")
	if !contains(p.text.Text, "not registered") {
		t.Errorf("error %q; want it to say the key is not registered", p.text.Text)
	}
	if f.session.SignedIn() {
		t.Error("signed in without a passkey")
	}
}

func TestTestASecurityKeyFromTheList(t *testing.T) {
	touch := newTouches()
	key := withPIN(t, newVirtualKey(t, touch.presence))
	f := newFixture(t, keysOptions(key))
	s := f.signIn("demo").tokens

	// Add the key straight through the session, then show it.
	ctx := context.Background()
	var e *app.KeyEnrollment
	err := f.withStepUp(f.demoUser("demo").TOTPSecret, func(ctx context.Context) error {
		var err error
		e, err = f.session.EnrollKey(ctx, templateKey, "Desk key")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	go touch.give(nil) // the enrollment's touch
	tok, err := f.session.RegisterKey(ctx, e, key, keyPIN, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.load()
	f.waitFor("the list with the key", func() bool { return s.rows[tok.ID] != nil })
	row := s.rows[tok.ID]
	if row == nil || row.actions[api.ActionTest] == nil {
		t.Fatalf("key row %+v; want one with Test", row)
	}
	if row.actions[api.ActionResync] != nil {
		t.Error("a security key offers Resync")
	}

	tapAction(t, row, api.ActionTest)
	if s.ceremony == nil {
		t.Fatal("no security key dialog")
	}
	p := s.ceremony.prompt
	f.enterKeyPIN(p)
	f.waitPrompt(p, promptTouch, "the request to touch the key")
	if actionEnabled(row, api.ActionTest) {
		t.Error("the row's buttons stay enabled while the key is tested")
	}
	touch.give(nil)
	f.waitFor("the outcome", func() bool { return s.ceremony == nil && s.notice.message() != "" })
	if !contains(s.notice.message(), "works") {
		t.Errorf("notice %q; want it to say the key works", s.notice.message())
	}
	f.waitFor("the reloaded list", func() bool {
		r := s.rows[tok.ID]
		return r != nil && r.token.LastUsedAt != nil
	})
}
