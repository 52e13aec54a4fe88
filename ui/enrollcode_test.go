package ui

import (
	"context"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"selfservice/api"
	"selfservice/server"
	"selfservice/server/notify"
)

// testClock is a clock the test moves forward, shared by the server and
// the UI, so that waits such as "Send again in 20 s" pass at once.
type testClock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.off += d
}

// newClockFixture is newFixture with the server and the UI on clock,
// and the organisation's configuration tenant.
func newClockFixture(t *testing.T, clock *testClock, tenant server.Tenant, opts Options) *fixture {
	t.Helper()
	f := newConfigFixture(t, server.Config{Now: clock.now, Tenant: tenant})
	f.start(opts)
	return f
}

// pollFor is waitFor for a condition on something outside the UI (a
// message sent, a phone's list): it also looks again every few
// milliseconds, until a deadline.
func (f *fixture) pollFor(what string, cond func() bool) {
	f.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		f.queue.flush()
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("timed out waiting for %s", what)
		}
		select {
		case <-f.queue.ready:
		case <-time.After(20 * time.Millisecond):
		}
	}
}

var sentCodePattern = regexp.MustCompile(`\b[0-9]{6,8}\b`)

// sentCodes returns the codes sent to to so far, oldest first, once there
// are at least n: the server's outbox is delivered into its messages
// folder, where the test reads them as the user would read their phone.
func (f *fixture) sentCodes(to string, n int) []string {
	f.t.Helper()
	var codes []string
	f.pollFor("the message with the code", func() bool {
		if err := f.local.Deliver(context.Background()); err != nil {
			f.t.Fatalf("deliver: %v", err)
		}
		messages, err := notify.ReadMessages(f.local.MessagesDir)
		if err != nil {
			f.t.Fatalf("read the messages: %v", err)
		}
		codes = nil
		for _, m := range messages {
			if m.To == to {
				if c := sentCodePattern.FindString(m.Body); c != "" {
					codes = append(codes, c)
				}
			}
		}
		return len(codes) >= n
	})
	return codes
}

// demoMessages reads the fixture's messages folder as main.go does.
func (f *fixture) demoMessages() ([]DemoMessage, error) {
	if err := f.local.Deliver(context.Background()); err != nil {
		return nil, err
	}
	got, err := notify.ReadMessages(f.local.MessagesDir)
	var out []DemoMessage
	for _, m := range got {
		out = append(out, DemoMessage{Channel: m.Channel, To: m.To, Subject: m.Subject, Body: m.Body, At: m.At})
	}
	return out, err
}

// openCodeEnrollment opens the wizard of templateID and waits until it
// knows where the codes may go.
func openCodeEnrollment(t *testing.T, f *fixture, s *tokensScreen, templateID string) *codeEnrollWizard {
	t.Helper()
	f.chooseTemplate(s, templateID)
	w := s.codeWizard
	if w == nil {
		t.Fatal("no SMS or email enrollment")
	}
	f.waitFor("where the codes may go", func() bool { return w.picker.loaded || w.message.message() != "" })
	if !w.picker.loaded {
		t.Fatalf("looking up the contact details failed: %s", w.message.message())
	}
	return w
}

// startCodeEnrollment opens the wizard of templateID, enters address
// (or, when it is "", keeps the confirmed value chosen) and sends the
// code, confirming the step-up the demo server asks for.
func startCodeEnrollment(t *testing.T, f *fixture, s *tokensScreen, templateID, address string) *codeEnrollWizard {
	t.Helper()
	w := openCodeEnrollment(t, f, s, templateID)
	if address != "" {
		test.Type(w.picker.entry, address)
	}
	sendFirstCode(t, f, w)
	return w
}

// sendFirstCode taps Send code and waits for the code step, confirming
// the step-up the demo server asks for.
func sendFirstCode(t *testing.T, f *fixture, w *codeEnrollWizard) {
	t.Helper()
	test.Tap(w.next)
	f.waitFor("the step-up or the code step", func() bool { return w.stepUp != nil || w.step == codeStepCode || w.message.message() != "" })
	if w.stepUp != nil {
		f.confirmStepUp(func() *stepUpDialog { return w.stepUp }, stepUpCode(f, f.demoUser("demo").TOTPSecret))
	}
	f.waitFor("the code step", func() bool { return w.step == codeStepCode || w.message.message() != "" || w.picker.err.Visible() })
	if w.step != codeStepCode {
		t.Fatalf("sending the code failed: %s%s", w.message.message(), w.picker.err.Text)
	}
}

func TestSMSEnrollmentSendsACodeToTheConfirmedMobileAndActivates(t *testing.T) {
	clock := &testClock{}
	f := newClockFixture(t, clock, server.DemoTenant(), Options{})
	s := f.signIn("demo").tokens

	w := openCodeEnrollment(t, f, s, "sms-otp")
	c := w.picker.choice
	if c == nil || !slices.Equal(c.Options, []string{"Mobile phone · +4915112345678"}) || c.Selected != c.Options[0] {
		t.Fatalf("choice %+v; want the demo's confirmed mobile, chosen", c)
	}
	sendFirstCode(t, f, w)
	if got, want := w.sent.sentTo.Text, "+49 •••• ••78"; !contains(got, want) {
		t.Errorf("sent-to text %q; want it to name %q", got, want)
	}
	if !w.sent.resend.Disabled() || !contains(w.sent.resend.Text, "Send again in 20 s") {
		t.Errorf("Send again is %q, disabled %v; want it disabled, counting down from 20 s", w.sent.resend.Text, w.sent.resend.Disabled())
	}
	if !contains(richText(w.sent.expiry), "5:00") {
		t.Errorf("expiry %q; want the code to work for 5:00", richText(w.sent.expiry))
	}
	first := f.sentCodes("+4915112345678", 1)[0]

	clock.advance(21 * time.Second)
	w.sent.tick()
	if w.sent.resend.Disabled() || w.sent.resend.Text != "Send again" {
		t.Fatalf("after the wait Send again is %q, disabled %v; want it ready", w.sent.resend.Text, w.sent.resend.Disabled())
	}
	test.Tap(w.sent.resend)
	f.waitFor("the new countdown", func() bool { return w.sent.resend.Disabled() && contains(w.sent.resend.Text, "in 20 s") })
	second := f.sentCodes("+4915112345678", 2)[1]

	if first != second {
		test.Type(w.sent.code, first) // replaced by the second one
		test.Tap(w.next)
		f.waitFor("the code error", func() bool { return w.sent.codeErr.Visible() || w.message.message() != "" })
		if w.step != codeStepCode || !w.sent.codeErr.Visible() {
			t.Fatalf("the replaced code: step %d, message %q; want an error at the code", w.step, w.message.message())
		}
		w.sent.code.SetText("")
	}
	test.Type(w.sent.code, second)
	test.Tap(w.next)
	f.waitFor("the last step", func() bool { return w.step == codeStepDone || w.message.message() != "" || w.sent.codeErr.Visible() })
	if w.step != codeStepDone {
		t.Fatalf("activation failed: %s %s", w.message.message(), w.sent.codeErr.Text)
	}
	test.Tap(w.next)
	f.waitFor("the list with the SMS token", func() bool {
		return s.codeWizard == nil && slices.ContainsFunc(s.tokens, func(t api.Token) bool { return t.Type == api.TypeSMS })
	})
	i := slices.IndexFunc(s.tokens, func(t api.Token) bool { return t.Type == api.TypeSMS })
	if tok := s.tokens[i]; tok.Status != api.StatusActive || tok.Address != "+4915112345678" {
		t.Errorf("SMS token %+v; want it ACTIVE at +4915112345678", tok)
	}
	if !contains(s.notice.message(), "Text message codes are set up") {
		t.Errorf("notice %q; want it to say text messages are set up", s.notice.message())
	}
}

func TestEmailEnrollmentOffersTheConfirmedAddressesPreferredFirst(t *testing.T) {
	f := newDemoFixture(t, Options{})
	f.addContact("demo", "private_email", "dana@example.org")
	s := f.signIn("demo").tokens

	w := openCodeEnrollment(t, f, s, "email-otp")
	c := w.picker.choice
	want := []string{"Work email · demo@example.com", "Private email · dana@example.org"}
	if c == nil || !slices.Equal(c.Options, want) || c.Selected != want[0] {
		t.Fatalf("choice %+v; want %q with the preferred work email chosen", c, want)
	}
	if w.picker.contact == nil || !contains(textOf(w.picker.content()), "add it under Contact details") {
		t.Error("no word of Contact details, and no way there, for another address")
	}
	c.SetSelected(want[1])
	sendFirstCode(t, f, w)
	test.Type(w.sent.code, f.sentCodes("dana@example.org", 1)[0])
	test.Tap(w.next)
	f.waitFor("the last step", func() bool { return w.step == codeStepDone || w.message.message() != "" || w.sent.codeErr.Visible() })
	if w.step != codeStepDone {
		t.Fatalf("activation failed: %s %s", w.message.message(), w.sent.codeErr.Text)
	}
	tokens, err := f.session.Tokens(context.Background())
	if err != nil || !slices.ContainsFunc(tokens, func(t api.Token) bool {
		return t.Type == api.TypeEmail && t.Status == api.StatusActive && t.Address == "dana@example.org"
	}) {
		t.Errorf("tokens %+v, %v; want an ACTIVE email token at the chosen private address", tokens, err)
	}
}

func TestCodeEnrollmentWithoutAConfirmedValueLeadsToContactDetails(t *testing.T) {
	tenant := server.DemoTenant()
	tenant.TemplateContacts = map[string][]string{"email-otp": {"private_email"}} // the demo user has none
	f := newConfigFixture(t, server.Config{Tenant: tenant})
	f.start(Options{})
	m := f.signIn("demo")
	s := m.tokens

	w := openCodeEnrollment(t, f, s, "email-otp")
	if !w.next.Disabled() || w.picker.choice != nil || w.picker.contact == nil {
		t.Fatalf("Send code disabled %v, choice %v, Contact details button %v; want nothing to send to and the way to Contact details",
			w.next.Disabled(), w.picker.choice != nil, w.picker.contact != nil)
	}
	if got := textOf(w.picker.content()); !contains(got, "Private email") || !contains(got, "none confirmed yet") {
		t.Errorf("the step says %q; want it to name the field and say none is confirmed", got)
	}
	test.Tap(w.picker.contact)
	f.waitFor("the wizard to close", func() bool { return s.codeWizard == nil })
	if m.shown != m.areaIndex("Contact details") {
		t.Errorf("area %d shown; want Contact details (%d)", m.shown, m.areaIndex("Contact details"))
	}
}

func TestCodeEnrollmentWithoutLimitsTakesAnyAddressAndSuggestsConfirmedOnes(t *testing.T) {
	f := newFixture(t, Options{})
	s := f.signIn("demo").tokens

	w := openCodeEnrollment(t, f, s, "sms-otp")
	if w.picker.choice != nil || len(w.picker.options) != 1 || w.picker.options[0].Value != "+4915112345678" {
		t.Fatalf("choice %v, suggestions %+v; want a free field suggesting the confirmed mobile", w.picker.choice != nil, w.picker.options)
	}
	test.Type(w.picker.entry, "0151 1234")
	test.Tap(w.next)
	if !w.picker.err.Visible() || !contains(w.picker.err.Text, "international form") || w.step != codeStepAddress || w.picker.entry.Text != "0151 1234" {
		t.Fatalf("a number without country code: error %q, step %d, field %q; want the error at the field, the text kept", w.picker.err.Text, w.step, w.picker.entry.Text)
	}
	w.picker.entry.SetText("")
	test.Type(w.picker.entry, "+44 7700 900123") // not among the contact details
	sendFirstCode(t, f, w)
	if got := f.sentCodes("+447700900123", 1); len(got) != 1 {
		t.Errorf("codes sent to the number typed: %v", got)
	}
	test.Tap(w.cancelBtn)
	f.waitFor("the wizard to close", func() bool { return s.codeWizard == nil })
}

func TestEmailEnrollmentBackDeletesTheTokenForTheWrongAddress(t *testing.T) {
	f := newFixture(t, Options{})
	s := f.signIn("demo").tokens
	w := startCodeEnrollment(t, f, s, "email-otp", "dana@exmaple.com")
	if got := w.sent.sentTo.Text; !contains(got, "d•••@exmaple.com") || !contains(got, "spam") {
		t.Errorf("sent-to text %q; want the masked address and the spam folder", got)
	}
	wrong := w.created.Token.ID

	test.Tap(w.back)
	if w.step != codeStepAddress || w.picker.entry.Text != "dana@exmaple.com" {
		t.Fatalf("Back: step %d, address %q; want the address step with the address to correct", w.step, w.picker.entry.Text)
	}
	f.pollFor("the token for the wrong address to go", func() bool {
		tokens, err := f.session.Tokens(context.Background())
		return err == nil && !slices.ContainsFunc(tokens, func(t api.Token) bool { return t.ID == wrong })
	})
	test.Tap(w.cancelBtn)
	f.waitFor("the wizard to close", func() bool { return s.codeWizard == nil })
}
