package ui

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
	"selfservice/authenticator"
	"selfservice/server/notify"
)

// startPushEnrollment opens the push wizard, names the phone and waits
// for the QR code, confirming a step-up if the server asks for one.
func startPushEnrollment(t *testing.T, f *fixture, s *tokensScreen, name string) *pushEnrollWizard {
	t.Helper()
	f.chooseTemplate(s, "push-app")
	w := s.pushWizard
	if w == nil {
		t.Fatal("no push enrollment")
	}
	test.Type(w.name, name)
	test.Tap(w.next)
	f.waitFor("the step-up or the QR code", func() bool { return w.stepUp != nil || w.step == pushStepScan || w.message.message() != "" })
	if w.stepUp != nil {
		f.confirmStepUp(func() *stepUpDialog { return w.stepUp }, stepUpCode(f, f.demoUser("demo").TOTPSecret))
	}
	f.waitFor("the QR code", func() bool { return w.step == pushStepScan || w.message.message() != "" })
	if w.step != pushStepScan {
		t.Fatalf("adding the push app failed: %s", w.message.message())
	}
	return w
}

// decodeQR reads the QR code q as a phone would, from a picture of it.
func decodeQR(t *testing.T, q *qrCode) string {
	t.Helper()
	th := theme.DefaultTheme()
	img := qrImage(q.modules, th.Color(theme.ColorNameForeground, theme.VariantLight), th.Color(theme.ColorNameBackground, theme.VariantLight))
	path := filepath.Join(t.TempDir(), "qr.png")
	writeScaledPNG(t, path, img, 8)
	out, err := exec.Command("zbarimg", "-q", "--raw", path).Output()
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	return strings.TrimSpace(string(out))
}

func TestPushEnrollmentQRIsThePayloadAndThePhoneFinishesIt(t *testing.T) {
	if _, err := exec.LookPath("zbarimg"); err != nil {
		t.Fatal("zbarimg is needed to decode the QR code (package zbar-tools)")
	}
	f := newFixture(t, Options{})
	s := f.signIn("demo").tokens
	w := startPushEnrollment(t, f, s, "")

	first := w.push.URI
	if !strings.HasPrefix(first, "selfservice-push://provision?") {
		t.Fatalf("payload %q; want a provisioning URI", first)
	}
	if got := decodeQR(t, w.qr); got != first {
		t.Errorf("the QR code decodes to a different payload (%d characters, want %d)", len(got), len(first))
	}
	if w.next.Visible() || !contains(richText(w.timeLeft), "Valid for") {
		t.Errorf("scan step: Next shown %v, time left %q; want no Next and a countdown", w.next.Visible(), richText(w.timeLeft))
	}

	test.Tap(w.renew)
	f.waitFor("the new QR code", func() bool { return w.push.URI != first || w.message.message() != "" })
	second := w.push.URI
	if second == first {
		t.Fatalf("New QR code failed: %s", w.message.message())
	}
	if got := decodeQR(t, w.qr); got != second {
		t.Errorf("the new QR code decodes to a different payload (%d characters, want %d)", len(got), len(second))
	}
	ctx := context.Background()
	if _, err := authenticator.Provision(ctx, first, "Old QR"); !errors.Is(err, api.ErrProvisioningInvalid) {
		t.Errorf("provisioning with the replaced QR code = %v; want provisioning_invalid", err)
	}

	test.Tap(w.sendEmail)
	d := w.sendForm
	if d == nil {
		t.Fatal("Send by email asks for no address")
	}
	test.Type(d.inputs[0].(*entry), "dana@example")
	test.Tap(d.confirm)
	f.waitFor("the address error", func() bool { return d.fields["address"].Visible() || d.message.message() != "" })
	if !contains(d.fields["address"].Text, "name@example.com") {
		t.Errorf("address error %q (message %q); want how to write an address", d.fields["address"].Text, d.message.message())
	}
	d.inputs[0].(*entry).SetText("dana@example.com")
	test.Tap(d.confirm)
	f.waitFor("the payload sent", func() bool { return w.sendForm == nil || d.message.message() != "" })
	if got := w.message.message(); !contains(got, "Sent to d•••@example.com") {
		t.Errorf("message %q (dialog %q); want it sent to the masked address", got, d.message.message())
	}
	third := w.push.URI
	if third == second || decodeQR(t, w.qr) != third {
		t.Error("sending made no new payload, or the screen does not show it")
	}
	f.pollFor("the email with the link", func() bool {
		if err := f.local.Deliver(ctx); err != nil {
			t.Fatal(err)
		}
		messages, _ := notify.ReadMessages(f.local.MessagesDir)
		return slices.ContainsFunc(messages, func(m notify.Received) bool {
			return m.To == "dana@example.com" && strings.Contains(m.Body, third) && m.Attachment != nil
		})
	})

	if _, err := authenticator.Provision(ctx, third, "Dana's phone"); err != nil {
		t.Fatalf("the phone reads the QR code: %v", err)
	}
	f.waitFor("the last step", func() bool { return w.step == pushStepDone })
	if got := richText(w.stepText); !contains(got, "Done") {
		t.Errorf("step title %q; want Done", got)
	}
	if w.device.Description != "Dana's phone" || w.device.Status != api.StatusActive {
		t.Errorf("device %+v; want ACTIVE, named after the phone", w.device)
	}
	test.Tap(w.next)
	f.waitFor("the list with the phone", func() bool {
		return s.pushWizard == nil && len(s.tokens) == 2 && !s.progress.Visible()
	})
	if !contains(s.notice.message(), "phone is connected") {
		t.Errorf("notice %q; want it to say the phone is connected", s.notice.message())
	}
}

func TestPushEnrollmentQRExpiresIntoAClearState(t *testing.T) {
	clock := &testClock{}
	f := newClockFixture(t, clock, anyAddressTenant(), Options{})
	s := f.signIn("demo").tokens
	w := startPushEnrollment(t, f, s, "Spare phone")

	clock.advance(11 * time.Minute)
	w.tick()
	if !w.expired || showsQR(w) || !contains(richText(w.timeLeft), "Expired") {
		t.Fatalf("after 11 minutes: expired %v, QR shown %v, time left %q; want the expired state instead of the QR code",
			w.expired, showsQR(w), richText(w.timeLeft))
	}
	if w.renew.Importance != widget.HighImportance {
		t.Error("New QR code is not the main action once the QR code has expired")
	}
	old, before := w.push.URI, w.stepUp
	test.Tap(w.renew)
	// The sign-in is no longer recent: a new payload needs a step-up.
	f.waitFor("the step-up", func() bool { return w.stepUp != before || w.message.message() != "" })
	f.confirmStepUp(func() *stepUpDialog { return w.stepUp }, code(t, f.demoUser("demo").TOTPSecret, clock.now().Add(30*time.Second)))
	f.waitFor("a fresh QR code", func() bool { return !w.expired || w.message.message() != "" })
	if w.expired || w.push.URI == old || !showsQR(w) {
		t.Fatalf("New QR code after expiry: expired %v, QR shown %v, message %q; want a new code shown", w.expired, showsQR(w), w.message.message())
	}

	test.Tap(w.cancelBtn)
	f.waitFor("the wizard to close", func() bool { return s.pushWizard == nil && !s.progress.Visible() })
	tokens, err := f.session.Tokens(context.Background())
	if err != nil || len(tokens) != 1 {
		t.Errorf("tokens after Cancel = %d, %v; want the demo token only", len(tokens), err)
	}
}

// showsQR reports whether the wizard shows its QR code.
func showsQR(w *pushEnrollWizard) bool {
	c, ok := w.qrBox.Objects[0].(*fyne.Container)
	return ok && len(c.Objects) == 1 && c.Objects[0] == w.qr
}
