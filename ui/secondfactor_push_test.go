package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"selfservice/api"
)

// choosePush picks the push method on the second-factor screen and waits
// until it waits for the phone.
func (m *methods) choosePush(s *secondFactorScreen) {
	m.t.Helper()
	chooseMethodOf(m.t, s, m.push.ID)
	if !s.proof.waiting() {
		test.Tap(s.submit) // Send request
	}
	m.waitFor("the phone to be asked", func() bool { return s.proof.waiting() || s.message.message() != "" })
	if !s.proof.waiting() {
		m.t.Fatalf("asking the phone failed: %s", s.message.message())
	}
}

func TestSecondFactorWithPushWaitsForThePhone(t *testing.T) {
	m := newMethods(t, Options{}, false, true)
	m.enterPassword("demo", "demo-password")
	s := m.secondFactorScreen()
	if got := s.methods.options(); len(got) != 2 || !contains(got[1]+got[0], "Pixel 8") {
		t.Errorf("methods %q; want the app and the phone, named after it", got)
	}

	m.choosePush(s)
	if got := s.proof.waitText.Text; got != "Confirm on your phone: Sign in as demo" {
		t.Errorf("waiting text %q; want it to say what to confirm", got)
	}
	if !s.proof.pulse.pulsing || s.proof.left.String() == "" || s.proof.bar.left <= 0 {
		t.Errorf("phone pulsing %v, time left %q at %v; want it pulsing and the time left", s.proof.pulse.pulsing, s.proof.left.String(), s.proof.bar.left)
	}
	if !s.submit.Disabled() || s.submit.Text != "Waiting for your phone…" {
		t.Errorf("main button %q, disabled %v; want it disabled while the phone is asked", s.submit.Text, s.submit.Disabled())
	}

	// Choosing another method stops waiting; choosing the phone again
	// waits for the same request, which the phone then approves.
	chooseMethodOf(t, s, s.challenge.Methods[0].TokenID)
	if s.proof.waiting() || !s.codeField.Visible() || s.submit.Text != "Verify" {
		t.Fatalf("with the app chosen: waiting %v, code field %v, button %q; want the code field and Verify", s.proof.waiting(), s.codeField.Visible(), s.submit.Text)
	}
	chooseMethodOf(t, s, m.push.ID)
	if !s.proof.waiting() {
		t.Fatal("choosing the phone again does not wait for its request")
	}
	if req := m.answerPhone(api.PushApprove, s.proof); req.Kind != api.PushSignIn {
		t.Errorf("the phone was asked %q; want %q", req.Kind, api.PushSignIn)
	}
	m.mainScreen()
	if u := m.session.User(); u.Username != "demo" {
		t.Errorf("signed in as %q; want demo", u.Username)
	}
}

func TestSecondFactorPushRefusedOffersSendAgain(t *testing.T) {
	m := newMethods(t, Options{}, false, true)
	m.enterPassword("demo", "demo-password")
	s := m.secondFactorScreen()
	m.choosePush(s)

	m.answerPhone(api.PushDeny, s.proof)
	m.waitFor("the refusal", func() bool { return s.proof.pushOver() })
	if got := s.proof.ended.message(); !contains(got, "refused on your phone") {
		t.Errorf("message %q; want it to say it was refused on the phone", got)
	}
	if s.submit.Disabled() || s.submit.Text != "Send again" {
		t.Errorf("main button %q, disabled %v; want Send again", s.submit.Text, s.submit.Disabled())
	}
	if m.session.SignedIn() {
		t.Fatal("signed in although the phone refused")
	}

	test.Tap(s.submit)
	m.waitFor("the phone to be asked again", func() bool { return s.proof.waiting() || s.message.message() != "" })
	if !s.proof.waiting() || s.proof.ended.Visible() {
		t.Fatalf("after Send again: waiting %v, message %q; want a new request waiting", s.proof.waiting(), s.message.message())
	}
	m.answerPhone(api.PushApprove, s.proof)
	m.mainScreen()
}

func TestSecondFactorPushExpiredOffersSendAgain(t *testing.T) {
	m := newMethods(t, Options{}, false, true)
	m.enterPassword("demo", "demo-password")
	s := m.secondFactorScreen()
	m.choosePush(s)

	m.clock.advance(2*time.Minute + time.Second)
	m.waitFor("the request to expire", func() bool { return s.proof.pushOver() })
	if got := s.proof.ended.message(); !contains(got, "did not answer in time") {
		t.Errorf("message %q; want it to say the phone did not answer in time", got)
	}
	if s.submit.Disabled() || s.submit.Text != "Send again" {
		t.Errorf("main button %q, disabled %v; want Send again", s.submit.Text, s.submit.Disabled())
	}
}
