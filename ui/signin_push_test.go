package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"selfservice/api"
)

// startQR taps Sign in with the authenticator app and waits for the QR
// code.
func (m *methods) startQR(s *signInScreen) {
	m.t.Helper()
	test.Tap(s.phone)
	m.waitQR(s, "")
}

// waitQR waits for a QR code other than the one of URI before.
func (m *methods) waitQR(s *signInScreen, before string) {
	m.t.Helper()
	m.waitFor("a new QR code", func() bool {
		return (s.qr.state == qrWaiting && s.qr.login != nil && s.qr.login.URI != before) || s.qr.message.message() != ""
	})
	if s.qr.state != qrWaiting {
		m.t.Fatalf("no QR code: %s", s.qr.message.message())
	}
}

func TestSignInByQRCodeWithThePhone(t *testing.T) {
	m := newMethods(t, Options{}, false, true)
	s := m.signInScreen()
	s.username.SetText("") // nobody needs to type a name

	m.startQR(s)
	if s.title.Text != "Sign in with your phone" || s.body.Objects[0] != s.qrView {
		t.Errorf("title %q; want the QR sign-in in the card", s.title.Text)
	}
	if !strings.HasPrefix(s.qr.login.URI, "selfservice-push://login?") {
		t.Fatal("the QR code holds no push login link")
	}
	if s.qr.left.String() == "" || s.qr.bar.left <= 0 || !s.qr.clock.Visible() {
		t.Errorf("time left %q at %v; want the countdown shown", s.qr.left.String(), s.qr.bar.left)
	}
	uri := scanWindow(t, m.fixture)
	if uri != s.qr.login.URI {
		t.Fatalf("the QR code on screen reads a different link (%d characters, want %d)", len(uri), len(s.qr.login.URI))
	}

	if err := m.phone.ScanLogin(context.Background(), uri, api.PushApprove); err != nil {
		t.Fatalf("the phone scans and approves: %v", err)
	}
	m.mainScreen()
	if u := m.session.User(); u.Username != "demo" {
		t.Errorf("signed in as %q; want the phone's user demo", u.Username)
	}
}

func TestSignInByQRCodeRefusedOnThePhone(t *testing.T) {
	m := newMethods(t, Options{}, false, true)
	s := m.signInScreen()
	m.startQR(s)
	first := s.qr.login.URI

	if err := m.phone.ScanLogin(context.Background(), first, api.PushDeny); err != nil {
		t.Fatalf("the phone scans and refuses: %v", err)
	}
	m.waitFor("the refusal", func() bool { return s.qr.state == qrRefused })
	if s.qr.renew.Text != "Try again" || s.qr.renew.Disabled() || s.qr.clock.Visible() {
		t.Errorf("button %q, disabled %v, countdown shown %v; want Try again and no countdown", s.qr.renew.Text, s.qr.renew.Disabled(), s.qr.clock.Visible())
	}
	if m.session.SignedIn() {
		t.Fatal("signed in although the phone refused")
	}

	test.Tap(s.qr.renew)
	m.waitQR(s, first)
	if err := m.phone.ScanLogin(context.Background(), s.qr.login.URI, api.PushApprove); err != nil {
		t.Fatal(err)
	}
	m.mainScreen()
}

func TestSignInQRCodeIsRenewedWhenItExpires(t *testing.T) {
	m := newMethods(t, Options{}, false, true)
	s := m.signInScreen()
	m.startQR(s)

	// Expired: a new code replaces it by itself, a few times.
	for i := 1; i <= maxQRRenewals; i++ {
		before := s.qr.login
		m.clock.advance(before.ExpiresAt.Sub(m.clock.now()) + time.Second)
		s.qr.tick()
		m.waitQR(s, before.URI)
		if err := m.phone.ScanLogin(context.Background(), before.URI, api.PushApprove); err == nil {
			t.Errorf("renewal %d: the expired code still signs in", i)
		}
	}

	// Then it waits for the user.
	m.clock.advance(s.qr.login.ExpiresAt.Sub(m.clock.now()) + time.Second)
	s.qr.tick()
	if s.qr.state != qrExpired || s.qr.login != nil {
		t.Fatalf("state %d; want the code marked expired", s.qr.state)
	}
	if s.qr.renew.Disabled() || s.qr.renew.Text != "New QR code" {
		t.Errorf("button %q, disabled %v; want New QR code", s.qr.renew.Text, s.qr.renew.Disabled())
	}
	test.Tap(s.qr.renew)
	m.waitQR(s, "")
	if s.qr.renewals != 0 {
		t.Errorf("%d automatic renewals counted after the user asked; want 0", s.qr.renewals)
	}

	// Back to the password form: the code is dropped.
	test.Tap(s.qr.back)
	if s.body.Objects[0] != s.form || s.qr.login != nil || s.title.Text != "Sign in" {
		t.Errorf("after Back: title %q; want the password form", s.title.Text)
	}
}

func TestSignInByQRCodeNeedsTheServerAddress(t *testing.T) {
	f := newFixture(t, Options{})
	s := f.signInScreen()
	s.server.entry.SetText("")
	test.Tap(s.phone)
	if !s.server.err.Visible() || s.body.Objects[0] != s.form {
		t.Errorf("server error %q; want it at the field, on the form", s.server.err.Text)
	}
}
