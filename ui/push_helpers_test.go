package ui

import (
	"context"
	"errors"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"selfservice/api"
	"selfservice/app"
	"selfservice/authenticator"
)

// The sign-in and step-up tests with codes sent by SMS and with the push
// authenticator app: the demo user gets an SMS token and a phone through
// a session of their own, on a server and UI that share a clock the test
// moves (newClockFixture), so that cool-downs pass at once. The phone is
// the authenticator package's device, as the mobile app would be.

// smsNumber is the demo user's phone number in these tests, and how the
// app shows it.
const (
	smsNumber = "+4915112345678"
	smsMasked = "+49 •••• ••78"
)

// methods is a fixture whose demo user has more sign-in methods.
type methods struct {
	*fixture
	clock  *testClock
	secret string                // the demo user's authenticator app
	sms    api.Token             // ACTIVE, codes to smsNumber; zero unless asked for
	push   api.Token             // ACTIVE; zero unless asked for
	phone  *authenticator.Device // the phone of push
}

// newMethods starts a server and UI on a clock and gives the demo user an
// SMS token (withSMS) and a phone with the push app (withPhone). The
// clock then moves past the cool-down of the codes sent meanwhile.
func newMethods(t *testing.T, opts Options, withSMS, withPhone bool) *methods {
	t.Helper()
	clock := &testClock{}
	m := &methods{fixture: newClockFixture(t, clock, anyAddressTenant(), opts), clock: clock}
	m.secret = m.demoUser("demo").TOTPSecret
	ctx := context.Background()
	s := app.NewSession(connect, app.NewMemorySecrets(), &mapPrefs{})
	ch, err := s.Login(ctx, m.local.URL, "demo", m.demoUser("demo").Password)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Verify(ctx, ch, ch.Methods[0].TokenID, m.nextCode()); err != nil {
		t.Fatal(err)
	}
	if withSMS {
		var created api.CreateTokenResponse
		m.confirmed(s, func(ctx context.Context) error {
			templates, err := s.Templates(ctx)
			if err != nil {
				return err
			}
			for _, tpl := range templates {
				if tpl.ID == "sms-otp" {
					created, err = s.EnrollCodeToken(ctx, tpl, "Work mobile", smsNumber)
					return err
				}
			}
			return errors.New("the server offers no SMS template")
		})
		codes := m.sentCodes(smsNumber, 1)
		if m.sms, err = s.ActivateToken(ctx, created.Token.ID, codes[len(codes)-1]); err != nil {
			t.Fatalf("activate the SMS token: %v", err)
		}
	}
	if withPhone {
		var created api.CreateTokenResponse
		m.confirmed(s, func(ctx context.Context) error {
			created, err = s.EnrollToken(ctx, "push-app", "")
			return err
		})
		if created.Push == nil {
			t.Fatalf("enrolling the push app gave no payload: %+v", created)
		}
		if m.phone, err = authenticator.Provision(ctx, created.Push.URI, "Pixel 8"); err != nil {
			t.Fatalf("provision the phone: %v", err)
		}
		m.phone.Now = clock.now
		m.push = created.Token
	}
	if err := s.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	clock.advance(time.Minute)
	return m
}

// nextCode is the demo user's authenticator app code of the next time
// step: the clock moves there first, so that no code is used twice.
func (m *methods) nextCode() string {
	m.clock.advance(30 * time.Second)
	return code(m.t, m.secret, m.clock.now())
}

// confirmed runs call on the session s; when the server asks for a
// step-up, it confirms it with the authenticator app and runs call again
// with the approval.
func (m *methods) confirmed(s *app.Session, call func(ctx context.Context) error) {
	m.t.Helper()
	ctx := context.Background()
	err := call(ctx)
	if step, ok := api.ApprovalRequired(err); ok {
		tokenID := ""
		for _, method := range step.Methods {
			if method.Type == api.TypeTOTP {
				tokenID = method.TokenID
			}
		}
		if _, err := s.PrepareStepUp(ctx, step.ApprovalID, tokenID); err != nil {
			m.t.Fatal(err)
		}
		if _, err := s.VerifyStepUp(ctx, step.ApprovalID, tokenID, m.nextCode()); err != nil {
			m.t.Fatal(err)
		}
		err = call(api.WithApproval(ctx, step.ApprovalID))
	}
	if err != nil {
		m.t.Fatal(err)
	}
}

// answerPhone answers the phone's only waiting request with decision and
// returns it; to approve, the user picks the number shown waits for.
func (m *methods) answerPhone(decision string, shown *methodProof) api.PushRequest {
	m.t.Helper()
	ctx := context.Background()
	pending, err := m.phone.Pending(ctx)
	if err != nil || len(pending) != 1 {
		m.t.Fatalf("the phone lists %+v, %v; want one request", pending, err)
	}
	if err := m.phone.Answer(ctx, pending[0], decision, shown.shownNumber()); err != nil {
		m.t.Fatalf("the phone answers %s: %v", decision, err)
	}
	return pending[0]
}

// chooseMethodOf picks the sign-in method of tokenID on the second-factor
// screen s.
func chooseMethodOf(t *testing.T, s *secondFactorScreen, tokenID string) {
	t.Helper()
	s.methods.selectID(tokenID)
	if s.tokenID() != tokenID {
		t.Fatalf("no method of token %s among %v", tokenID, s.methods.options())
	}
}

// scanWindow reads the QR code in the window as a phone camera would: a
// picture of the whole window, decoded by zbarimg.
func scanWindow(t *testing.T, f *fixture) string {
	t.Helper()
	if _, err := exec.LookPath("zbarimg"); err != nil {
		t.Fatal("zbarimg is needed to decode the QR code (package zbar-tools)")
	}
	path := filepath.Join(t.TempDir(), "window.png")
	file, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(file, f.ui.win.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
	if err := file.Close(); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("zbarimg", "-q", "--raw", path).Output()
	if err != nil {
		t.Fatalf("zbarimg finds no QR code in the window: %v", err)
	}
	return strings.TrimSpace(string(out))
}
