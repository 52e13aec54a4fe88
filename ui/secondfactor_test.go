package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"selfservice/api"
)

func TestSecondFactorWrongCodeSaysSo(t *testing.T) {
	f := newFixture(t, Options{})
	u := f.demoUser("demo")
	f.enterPassword(u.Username, u.Password)
	s := f.secondFactorScreen()

	test.Type(s.code, wrongCode(t, u.TOTPSecret))
	test.Tap(s.submit)
	f.waitFor("the code error", func() bool { return s.codeErr.Visible() })

	if got, want := s.codeErr.Text, "code is not correct"; !contains(got, want) {
		t.Errorf("code error %q, want it to contain %q", got, want)
	}
	if s.code.Text != "" {
		t.Errorf("the wrong code %q stays in the field", s.code.Text)
	}
	if f.ui.current != s {
		t.Error("left the second-factor screen")
	}
	if f.session.SignedIn() {
		t.Error("signed in with a wrong code")
	}
}

func TestSecondFactorBackReturnsToSignIn(t *testing.T) {
	f := newFixture(t, Options{})
	f.enterPassword("demo", "demo-password")
	s := f.secondFactorScreen()

	test.Tap(s.back)

	in := f.signInScreen()
	if got := in.username.Text; got != "demo" {
		t.Errorf("username %q, want it prefilled with demo", got)
	}
}

func TestCodeEntryKeepsOnlyDigits(t *testing.T) {
	test.NewTempApp(t)
	tests := []struct{ typed, want string }{
		{"123456", "123456"},
		{"123 456", "123456"},
		{"12a3-45b6", "123456"},
		{"1234567890", "12345678"},
	}
	for _, tt := range tests {
		e := newCodeEntry()
		test.Type(e, tt.typed)
		if e.Text != tt.want {
			t.Errorf("typing %q gives %q, want %q", tt.typed, e.Text, tt.want)
		}
	}
}

func TestSecondFactorWithATextMessageCode(t *testing.T) {
	m := newMethods(t, Options{}, true, false)
	m.enterPassword("demo", "demo-password")
	s := m.secondFactorScreen()
	if s.proof.hasCode() {
		t.Fatal("a code was sent before the method was chosen")
	}

	chooseMethodOf(t, s, m.sms.ID)
	if got := s.methods.selectedText(); !contains(got, smsMasked) || !contains(got, "Text message") {
		t.Errorf("the SMS method reads %q; want its kind and the masked number %s", got, smsMasked)
	}
	m.waitFor("the code to be sent", func() bool { return s.proof.hasCode() || s.message.message() != "" })
	if !s.proof.hasCode() {
		t.Fatalf("sending the code failed: %s", s.message.message())
	}
	sent := s.proof.sent
	if got := sent.sentTo.Text; !contains(got, "We sent a code to "+smsMasked) {
		t.Errorf("sent text %q; want it to say where the code went", got)
	}
	if !sent.resend.Disabled() || !contains(sent.resend.Text, "Send again in 20 s") {
		t.Errorf("Send again %q, disabled %v; want it disabled, counting down from 20 s", sent.resend.Text, sent.resend.Disabled())
	}
	if s.submit.Text != "Verify" || s.submit.Disabled() {
		t.Errorf("main button %q, disabled %v; want Verify", s.submit.Text, s.submit.Disabled())
	}

	codes := m.sentCodes(smsNumber, 2) // the activation's and this one
	test.Type(sent.code, codes[len(codes)-1])
	test.Tap(s.submit)
	m.mainScreen()
	if u := m.session.User(); u.Username != "demo" {
		t.Errorf("signed in as %q; want demo", u.Username)
	}
}

func TestSecondFactorSendAgainWaitsForTheServer(t *testing.T) {
	m := newMethods(t, Options{}, true, false)
	// The screen's clock runs ahead of the server's, as a computer's
	// clock may: the server still decides when another code may go.
	ui := &testClock{}
	ui.advance(m.clock.off)
	m.now = ui.now
	m.start(Options{})
	m.enterPassword("demo", "demo-password")
	s := m.secondFactorScreen()
	chooseMethodOf(t, s, m.sms.ID)
	m.waitFor("the code to be sent", func() bool { return s.proof.hasCode() || s.message.message() != "" })
	sent := s.proof.sent

	ui.advance(8 * time.Second)
	sent.tick()
	if !sent.resend.Disabled() || !contains(sent.resend.Text, "Send again in 12 s") {
		t.Fatalf("after 8 s Send again is %q, disabled %v; want it counting down, at 12 s", sent.resend.Text, sent.resend.Disabled())
	}

	// The screen thinks the wait is over; the server does not.
	ui.advance(15 * time.Second)
	sent.tick()
	if sent.resend.Disabled() {
		t.Fatal("Send again stays disabled after the wait")
	}
	test.Tap(sent.resend)
	m.waitFor("the server's answer", func() bool { return sent.resend.Disabled() && contains(sent.resend.Text, "Send again in") })
	if got := sent.resend.Text; !contains(got, "Send again in 20 s") && !contains(got, "Send again in 19 s") {
		t.Errorf("after the refusal Send again is %q; want the server's wait, about 20 s", got)
	}
	if got := len(m.sentCodes(smsNumber, 2)); got != 2 {
		t.Errorf("%d codes were sent; want the activation's and one sign-in code", got)
	}

	// Once the server's wait is over too, a new code goes, and it signs in.
	m.clock.advance(21 * time.Second)
	ui.advance(21 * time.Second)
	sent.tick()
	test.Tap(sent.resend)
	codes := m.sentCodes(smsNumber, 3)
	test.Type(sent.code, codes[2])
	test.Tap(s.submit)
	m.mainScreen()
}

// A sent code stops working once it expires, is used or was typed wrong
// too often; within a sign-in the login itself expires first, so the
// server's answer is given here as it comes.
func TestSecondFactorExpiredCodeAsksForANewOne(t *testing.T) {
	m := newMethods(t, Options{}, true, false)
	m.enterPassword("demo", "demo-password")
	s := m.secondFactorScreen()
	chooseMethodOf(t, s, m.sms.ID)
	m.waitFor("the code to be sent", func() bool { return s.proof.hasCode() || s.message.message() != "" })
	m.sentCodes(smsNumber, 2)

	test.Type(s.proof.sent.code, "123456")
	s.showError(&api.Error{Code: api.CodeCodeExpired, Status: 401})
	if got := s.proof.sent.codeErr.Text; !s.proof.sent.codeErr.Visible() || !contains(got, "Send a new code") {
		t.Errorf("code error %q; want it at the code, asking for a new one", got)
	}
	if s.proof.sent.code.Text != "" || s.message.message() != "" {
		t.Errorf("code %q, message %q; want the code cleared and no other message", s.proof.sent.code.Text, s.message.message())
	}

	// Choosing the method again sends a new code rather than showing the
	// one that no longer works.
	m.clock.advance(21 * time.Second)
	chooseMethodOf(t, s, s.challenge.Methods[0].TokenID)
	chooseMethodOf(t, s, m.sms.ID)
	codes := m.sentCodes(smsNumber, 3)
	m.waitFor("the new code", func() bool { return s.proof.hasCode() })
	test.Type(s.proof.sent.code, codes[2])
	test.Tap(s.submit)
	m.mainScreen()
}
