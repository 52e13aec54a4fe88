package ui

import (
	"context"
	"log/slog"
	"path/filepath"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"selfservice/api"
	"selfservice/app"
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

// newClockFixture is newFixture with the server and the UI on clock.
func newClockFixture(t *testing.T, clock *testClock, opts Options) *fixture {
	t.Helper()
	test.NewTempApp(t)
	dbPath := filepath.Join(t.TempDir(), "test.db")
	cfg := server.Config{Logger: slog.New(slog.DiscardHandler), Now: clock.now, Tenant: anyAddressTenant()}
	local, err := server.StartLocal(context.Background(), dbPath, cfg)
	if err != nil {
		t.Fatalf("start the server: %v", err)
	}
	t.Cleanup(func() { local.Close() })
	f := &fixture{t: t, dbPath: dbPath, now: clock.now, local: local, secrets: app.NewMemorySecrets(), prefs: &mapPrefs{}}
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

// startCodeEnrollment opens the wizard of templateID, enters address and
// sends the code, confirming the step-up the demo server asks for.
func startCodeEnrollment(t *testing.T, f *fixture, s *tokensScreen, templateID, address string) *codeEnrollWizard {
	t.Helper()
	f.chooseTemplate(s, templateID)
	w := s.codeWizard
	if w == nil {
		t.Fatal("no SMS or email enrollment")
	}
	test.Type(w.address, address)
	test.Tap(w.next)
	f.waitFor("the step-up or the code step", func() bool { return w.stepUp != nil || w.step == codeStepCode || w.message.message() != "" })
	if w.stepUp != nil {
		f.confirmStepUp(func() *stepUpDialog { return w.stepUp }, stepUpCode(f, f.demoUser("demo").TOTPSecret))
	}
	f.waitFor("the code step", func() bool { return w.step == codeStepCode || w.message.message() != "" })
	if w.step != codeStepCode {
		t.Fatalf("sending the code failed: %s", w.message.message())
	}
	return w
}

func TestSMSEnrollmentSendsACodeAndActivates(t *testing.T) {
	clock := &testClock{}
	f := newClockFixture(t, clock, Options{})
	s := f.signIn("demo").tokens

	f.chooseTemplate(s, "sms-otp")
	w := s.codeWizard
	test.Type(w.address, "0151 1234")
	test.Tap(w.next)
	if !w.addressErr.Visible() || !contains(w.addressErr.Text, "international form") || w.step != codeStepAddress {
		t.Fatalf("a number without country code: error %q, step %d; want the error at the field", w.addressErr.Text, w.step)
	}
	test.Tap(w.cancelBtn)
	f.waitFor("the wizard to close", func() bool { return s.codeWizard == nil })

	w = startCodeEnrollment(t, f, s, "sms-otp", "+49 151 1234 5678")
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

func TestEmailEnrollmentBackDeletesTheTokenForTheWrongAddress(t *testing.T) {
	f := newFixture(t, Options{})
	s := f.signIn("demo").tokens
	w := startCodeEnrollment(t, f, s, "email-otp", "dana@exmaple.com")
	if got := w.sent.sentTo.Text; !contains(got, "d•••@exmaple.com") || !contains(got, "spam") {
		t.Errorf("sent-to text %q; want the masked address and the spam folder", got)
	}
	wrong := w.created.Token.ID

	test.Tap(w.back)
	if w.step != codeStepAddress || w.address.Text != "dana@exmaple.com" {
		t.Fatalf("Back: step %d, address %q; want the address step with the address to correct", w.step, w.address.Text)
	}
	f.pollFor("the token for the wrong address to go", func() bool {
		tokens, err := f.session.Tokens(context.Background())
		return err == nil && !slices.ContainsFunc(tokens, func(t api.Token) bool { return t.ID == wrong })
	})
	test.Tap(w.cancelBtn)
	f.waitFor("the wizard to close", func() bool { return s.codeWizard == nil })
}
