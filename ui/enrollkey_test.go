package ui

import (
	"context"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"selfservice/api"
	"selfservice/hw"
)

// Templates of the FIDO2 tokens (see the server's migrations).
const (
	templateKey     = "fido2-key"     // second factor, user verification preferred
	templatePasskey = "fido2-passkey" // discoverable, user verification required, passwordless
)

// startKeyEnrollment adds a security key of templateID, names
// the key and waits for the step with the key.
func startKeyEnrollment(t *testing.T, f *fixture, s *tokensScreen, templateID, name string) *keyEnrollWizard {
	t.Helper()
	f.chooseTemplate(s, templateID)
	w := s.keyWizard
	if w == nil {
		t.Fatal("no security key enrollment")
	}
	test.Type(w.name, name)
	test.Tap(w.next)
	// The demo server asks the demo user to confirm the enrollment (a
	// user without an active token has nothing to confirm it with).
	f.waitFor("the step-up or the next step", func() bool { return w.stepUp != nil || w.step == keyStepKey || w.message.message() != "" })
	if w.stepUp != nil {
		f.confirmStepUp(func() *stepUpDialog { return w.stepUp }, stepUpCode(f, f.demoUser("demo").TOTPSecret))
	}
	f.waitFor("the key step", func() bool { return w.step == keyStepKey || w.message.message() != "" })
	if w.step != keyStepKey {
		t.Fatalf("creating the token failed: %s", w.message.message())
	}
	return w
}

// waitPrompt waits until the prompt shows state.
func (f *fixture) waitPrompt(p *keyPrompt, state promptState, what string) {
	f.t.Helper()
	f.waitFor(what, func() bool { return p.state == state })
}

// keyTokens lists the signed-in user's FIDO2 tokens, asked from the server.
func (f *fixture) keyTokens() []api.Token {
	f.t.Helper()
	tokens, err := f.session.Tokens(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return slices.DeleteFunc(tokens, func(t api.Token) bool { return t.Type != api.TypeFIDO2 })
}

// pressEnter submits an entry as the Return key does.
func pressEnter(e fyne.Focusable) {
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

func TestKeyEnrollmentWaitsForTheKeyAsksThePINAndActivates(t *testing.T) {
	touch := newTouches()
	slot := &pluggable{key: withPIN(t, newVirtualKey(t, touch.presence))}
	f := newFixture(t, keysOptions(slot))
	s := f.signIn("demo").tokens
	w := startKeyEnrollment(t, f, s, templateKey, "")
	p := w.prompt

	f.waitPrompt(p, promptInsert, "the request to insert the key")
	if !contains(p.title.Text, "Insert your security key") || p.action.Visible() {
		t.Errorf("insert state: title %q, action shown %v; want the insert title and no action", p.title.Text, p.action.Visible())
	}

	slot.plug(true)
	f.waitPrompt(p, promptPIN, "the PIN prompt")
	if !contains(p.pinHint.Text, "8 attempts left") {
		t.Errorf("PIN hint %q; want it to say 8 attempts are left", p.pinHint.Text)
	}

	test.Type(p.pinEntry, "9999")
	pressEnter(p.pinEntry) // Enter submits
	f.waitFor("the wrong PIN error", func() bool { return p.state == promptPIN && p.pinErr.Visible() })
	if !contains(p.pinErr.Text, "not correct") || !contains(p.pinHint.Text, "7 attempts left") || p.pinEntry.Text != "" {
		t.Errorf("after a wrong PIN: error %q, hint %q, entry %q; want the error, 7 attempts left and an empty entry",
			p.pinErr.Text, p.pinHint.Text, p.pinEntry.Text)
	}

	test.Type(p.pinEntry, keyPIN)
	test.Tap(p.action)
	f.waitPrompt(p, promptTouch, "the request to touch the key")
	if !contains(p.title.Text, "Touch your security key") || !p.icon.pulsing {
		t.Errorf("touch state: title %q, pulsing %v; want the touch title and the pulse", p.title.Text, p.icon.pulsing)
	}
	if got := f.keyTokens(); len(got) != 1 || got[0].Status != api.StatusPending {
		t.Errorf("FIDO2 tokens while waiting for the touch = %+v; want one PENDING", got)
	}

	touch.give(nil)
	f.waitFor("the last step", func() bool { return w.step == keyStepDone || w.message.message() != "" })
	if w.step != keyStepDone {
		t.Fatalf("registering the key failed: %s", w.message.message())
	}
	test.Type(w.finalName, "Blue key")
	pressEnter(w.finalName)
	f.waitFor("the list with the key", func() bool {
		return s.keyWizard == nil && slices.ContainsFunc(s.tokens, func(t api.Token) bool { return t.Type == api.TypeFIDO2 })
	})

	got := f.keyTokens()
	if len(got) != 1 || got[0].Status != api.StatusActive || got[0].Description != "Blue key" {
		t.Fatalf("FIDO2 tokens = %+v; want one ACTIVE named Blue key", got)
	}
	if !contains(s.notice.message(), "security key is set up") {
		t.Errorf("notice %q; want it to say the key is set up", s.notice.message())
	}
	row := s.rows[got[0].ID]
	if row.actions[api.ActionTest] == nil || row.actions[api.ActionResync] != nil {
		t.Errorf("key row actions %v; want Test and no Resync", row.actions)
	}
}

func TestKeyEnrollmentCancelStopsTheKeyAndDeletesTheToken(t *testing.T) {
	stopped := make(chan struct{})
	key := newVirtualKey(t, func(ctx context.Context) error {
		<-ctx.Done() // the user never touches; the app must stop waiting
		close(stopped)
		return ctx.Err()
	})
	f := newFixture(t, keysOptions(key))
	s := f.signIn("demo").tokens
	w := startKeyEnrollment(t, f, s, templateKey, "Never finished")
	f.waitPrompt(w.prompt, promptTouch, "the request to touch the key")

	test.Tap(w.cancelBtn)
	select {
	case <-stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("the key still waits for a touch after Cancel")
	}
	f.waitFor("the wizard to close", func() bool { return s.keyWizard == nil })
	if got := f.keyTokens(); len(got) != 0 {
		t.Errorf("FIDO2 tokens after Cancel = %+v; want none", got)
	}
}

func TestKeyPromptCancelledAndFailedOfferTryAgain(t *testing.T) {
	touch := newTouches()
	f := newFixture(t, keysOptions(newVirtualKey(t, touch.presence)))
	s := f.signIn("demo").tokens
	w := startKeyEnrollment(t, f, s, templateKey, "")
	p := w.prompt

	f.waitPrompt(p, promptTouch, "the request to touch the key")
	touch.give(hw.ErrCancelled) // the key stops by itself
	f.waitPrompt(p, promptCancelled, "the cancelled state")
	if !p.action.Visible() || p.action.Text != "Try again" || !contains(p.text.Text, "nothing was changed") {
		t.Errorf("cancelled state: action %q shown %v, text %q; want Try again and that nothing changed", p.action.Text, p.action.Visible(), p.text.Text)
	}

	test.Tap(p.action)
	f.waitPrompt(p, promptTouch, "the request to touch the key again")
	touch.give(hw.ErrTimeout)
	f.waitPrompt(p, promptFailed, "the error")
	if !contains(p.text.Text, "not touched in time") || !p.action.Visible() {
		t.Errorf("error state: text %q, Try again shown %v; want the timeout explained and Try again", p.text.Text, p.action.Visible())
	}

	test.Tap(p.action)
	f.waitPrompt(p, promptTouch, "the third request to touch the key")
	touch.give(nil)
	f.waitFor("the last step", func() bool { return w.step == keyStepDone })
	if got := f.keyTokens(); len(got) != 1 || got[0].Status != api.StatusActive {
		t.Errorf("FIDO2 tokens = %+v; want one ACTIVE", got)
	}
}

func TestKeyPromptLetsTheUserChooseAmongKeys(t *testing.T) {
	first := &pluggable{key: withPIN(t, newVirtualKey(t, nil))}
	first.plug(true)
	second := &renamedKey{withPIN(t, newVirtualKey(t, nil))}
	f := newFixture(t, keysOptions(first, second))
	s := f.signIn("demo").tokens
	w := startKeyEnrollment(t, f, s, templatePasskey, "")
	p := w.prompt

	f.waitPrompt(p, promptChoose, "the choice of key")
	if len(p.choices.Options) != 2 || p.action.Text != "Continue" {
		t.Fatalf("choice %v, action %q; want two keys and Continue", p.choices.Options, p.action.Text)
	}
	p.choices.SetSelected(p.choices.Options[1])
	test.Tap(p.action)
	f.waitPrompt(p, promptPIN, "the PIN of the second key")
	test.Type(p.pinEntry, keyPIN)
	test.Tap(p.action)
	f.waitFor("the last step", func() bool { return w.step == keyStepDone || w.message.message() != "" })
	if w.step != keyStepDone {
		t.Fatalf("registering the key failed: %s", w.message.message())
	}

	// The passkey is on the chosen key only.
	for _, k := range []struct {
		name string
		key  *hw.Software
		want int
	}{{"first", first.key, 0}, {"second", second.key, 1}} {
		rps, err := k.key.Credentials(context.Background(), keyPIN)
		if err != nil {
			t.Fatal(err)
		}
		if len(rps) != k.want {
			t.Errorf("passkeys on the %s key: %d; want %d", k.name, len(rps), k.want)
		}
	}
}

func TestKeyPromptExplainsAKeyThatMayNotBeOpened(t *testing.T) {
	f := newFixture(t, keysOptions(deniedKey{}))
	s := f.signIn("demo").tokens
	w := startKeyEnrollment(t, f, s, templateKey, "")
	p := w.prompt

	f.waitPrompt(p, promptFailed, "the error")
	if !contains(p.text.Text, "udev") || p.action.Text != "Try again" {
		t.Errorf("error state: text %q, action %q; want the udev hint and Try again", p.text.Text, p.action.Text)
	}
	test.Tap(w.cancelBtn)
	f.waitFor("the wizard to close", func() bool { return s.keyWizard == nil })
	if got := f.keyTokens(); len(got) != 0 {
		t.Errorf("FIDO2 tokens after Cancel = %+v; want none", got)
	}
}

func TestKeyFeaturesAreHiddenWithoutKeys(t *testing.T) {
	f := newFixture(t, Options{})
	if in := f.signInScreen(); in.passkey != nil {
		t.Error("the sign-in screen offers a passkey without security keys")
	}
	s := f.signIn("demo").tokens
	if ids, _ := offered(f.openChooser(s)); slices.Contains(ids, templateKey) {
		t.Errorf("Add sign-in method offers %v without security keys; want no security key", ids)
	}
}

func TestKeyTemplateKindExplainsPasskeys(t *testing.T) {
	test.NewTempApp(t)
	tests := []struct {
		settings api.WebAuthnSettings
		want     []string
	}{
		{api.WebAuthnSettings{UserVerification: api.WebAuthnRequired, ResidentKey: api.WebAuthnRequired, Passwordless: true},
			[]string{"Passkey", "without your username and password", "must have a PIN"}},
		{api.WebAuthnSettings{UserVerification: api.WebAuthnPreferred, ResidentKey: api.WebAuthnDiscouraged},
			[]string{"Security key", "after your password", "Nothing is stored"}},
		{api.WebAuthnSettings{UserVerification: api.WebAuthnDiscouraged, ResidentKey: api.WebAuthnRequired},
			[]string{"Passkey", "used after your password"}},
	}
	for _, tt := range tests {
		got := keyTemplateKind(api.TokenTemplate{Type: api.TypeFIDO2, WebAuthn: &tt.settings})
		for _, want := range tt.want {
			if !contains(got, want) {
				t.Errorf("keyTemplateKind(%+v) = %q; want it to contain %q", tt.settings, got, want)
			}
		}
	}
	if got := keyTemplateKind(api.TokenTemplate{Type: api.TypeTOTP}); got != "" {
		t.Errorf("keyTemplateKind of an app template = %q; want nothing", got)
	}
}
