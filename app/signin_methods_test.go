package app_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"time"

	"selfservice/api"
	"selfservice/app"
	"selfservice/authenticator"
	"selfservice/server"
	"selfservice/server/notify"
	"selfservice/server/storetest"
)

// Sign-in and step-up with codes sent by SMS or email and with the push
// authenticator app, against the real server: its messages go to files
// (read back with notify.ReadMessages), and the phone is the
// authenticator package's device.

// messaging is a real server whose SMS and emails are written to files.
type messaging struct {
	*backend
	srv      *server.Server
	messages string
}

func newMessaging(t *testing.T) *messaging {
	t.Helper()
	return newMessagingWith(t, server.Tenant{})
}

// newMessagingWith is newMessaging with the organisation's configuration.
func newMessagingWith(t *testing.T, tenant server.Tenant) *messaging {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	box, err := server.NewSecretBox(server.NewSecretKey())
	if err != nil {
		t.Fatal(err)
	}
	store, err := server.Open(ctx, storetest.DSN(t, filepath.Join(dir, "selfservice.db")), server.WithSecretBox(box))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	accounts, err := server.SeedDemo(ctx, store)
	if err != nil {
		t.Fatal(err)
	}
	m := &messaging{
		backend:  &backend{store: store, clock: &clock{now: time.Date(2030, 5, 6, 7, 8, 0, 0, time.UTC)}},
		messages: filepath.Join(dir, "messages"),
	}
	for _, u := range accounts.Users {
		if u.Username == "demo" {
			m.demo = u
		}
	}
	files := notify.NewFileSender(m.messages)
	if tenant.StepUp.GraceSeconds == nil {
		noGrace := 0 // these tests confirm step-ups right after signing in
		tenant.StepUp.GraceSeconds = &noGrace
	}
	httpSrv := httptest.NewUnstartedServer(nil)
	m.srv = server.New(store, server.Config{
		Secrets:     box,
		Now:         m.clock.Now,
		Logger:      slog.New(slog.DiscardHandler),
		EmailSender: files,
		SMSSender:   files,
		PublicURL:   "http://" + httpSrv.Listener.Addr().String(),
		Tenant:      tenant,
	})
	httpSrv.Config.Handler = m.srv.Handler()
	httpSrv.Start()
	t.Cleanup(httpSrv.Close)
	m.url = httpSrv.URL
	return m
}

var sentCode = regexp.MustCompile(`\b\d{6,8}\b`)

// lastCode delivers the outbox and returns the code of the newest message
// to address.
func (m *messaging) lastCode(t *testing.T, address string) string {
	t.Helper()
	messages := m.delivered(t)
	for i := len(messages) - 1; i >= 0; i-- {
		if messages[i].To == address {
			if code := sentCode.FindString(messages[i].Body); code != "" {
				return code
			}
		}
	}
	t.Fatalf("no code was sent to %s (%d messages)", address, len(messages))
	return ""
}

// delivered delivers the outbox and returns every message sent so far,
// oldest first.
func (m *messaging) delivered(t *testing.T) []notify.Received {
	t.Helper()
	if _, err := m.srv.DeliverDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	messages, err := notify.ReadMessages(m.messages)
	if err != nil {
		t.Fatal(err)
	}
	return messages
}

// signedInDemo signs the demo user in with their authenticator app.
func (m *messaging) signedInDemo(t *testing.T) *app.Session {
	t.Helper()
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	m.signIn(t, s)
	return s
}

// addCodeToken enrolls and activates an SMS or email token of the
// signed-in session s and returns it.
func (m *messaging) addCodeToken(t *testing.T, s *app.Session, templateID, address string) api.Token {
	t.Helper()
	ctx := context.Background()
	var template api.TokenTemplate
	templates, err := s.Templates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tpl := range templates {
		if tpl.ID == templateID {
			template = tpl
		}
	}
	created, err := s.EnrollCodeToken(ctx, template, "", address)
	if err != nil {
		t.Fatalf("enroll %s: %v", templateID, err)
	}
	tok, err := s.ActivateToken(ctx, created.Token.ID, m.lastCode(t, address))
	if err != nil {
		t.Fatalf("activate %s: %v", templateID, err)
	}
	return tok
}

// addPhone enrolls the push authenticator app for the signed-in session
// s and provisions a phone with it.
func (m *messaging) addPhone(t *testing.T, s *app.Session) (api.Token, *authenticator.Device) {
	t.Helper()
	ctx := context.Background()
	created, err := s.EnrollToken(ctx, "push-app", "")
	if err != nil {
		t.Fatalf("enroll the push app: %v", err)
	}
	if created.Push == nil {
		t.Fatalf("enrolling the push app gave no provisioning payload: %+v", created)
	}
	phone, err := authenticator.Provision(ctx, created.Push.URI, "Test phone")
	if err != nil {
		t.Fatalf("provision the phone: %v", err)
	}
	phone.Now = m.clock.Now // the server's clock
	return created.Token, phone
}

// answer answers the phone's only pending request with decision,
// picking number (the one the desktop shows) to approve.
func answer(t *testing.T, phone *authenticator.Device, decision string, number int) api.PushRequest {
	t.Helper()
	ctx := context.Background()
	pending, err := phone.Pending(ctx)
	if err != nil || len(pending) != 1 {
		t.Fatalf("Pending = %+v, %v; want one request", pending, err)
	}
	if err := phone.Answer(ctx, pending[0], decision, number); err != nil {
		t.Fatalf("answer %s: %v", decision, err)
	}
	return pending[0]
}

// login does the first sign-in step of the demo user in a new session.
func (m *messaging) login(t *testing.T) (*app.Session, *app.Challenge) {
	t.Helper()
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	ch, err := s.Login(context.Background(), m.url, m.demo.Username, m.demo.Password)
	if err != nil || ch == nil {
		t.Fatalf("Login = %v, %v; want a challenge", ch, err)
	}
	return s, ch
}

// method is the challenge's method of the token id.
func method(t *testing.T, ch *app.Challenge, id string) api.LoginMethod {
	t.Helper()
	for _, m := range ch.Methods {
		if m.TokenID == id {
			return m
		}
	}
	t.Fatalf("methods %+v; want token %s", ch.Methods, id)
	return api.LoginMethod{}
}

func TestSignInWithASentCode(t *testing.T) {
	m := newMessaging(t)
	ctx := context.Background()
	for _, tt := range []struct {
		template, address, channel, masked string
	}{
		{"sms-otp", "+4915112345678", api.ChannelSMS, api.MaskAddress(api.ChannelSMS, "+4915112345678")},
		{"email-otp", "demo@example.com", api.ChannelEmail, api.MaskAddress(api.ChannelEmail, "demo@example.com")},
	} {
		t.Run(tt.template, func(t *testing.T) {
			tok := m.addCodeToken(t, m.signedInDemo(t), tt.template, tt.address)
			m.clock.Advance(time.Minute) // past the cool-down of the activation code

			s, ch := m.login(t)
			if got := method(t, ch, tok.ID); got.Hint != tt.masked {
				t.Errorf("method hint %q; want the masked address %q", got.Hint, tt.masked)
			}
			resp, err := s.PrepareMethod(ctx, ch, tok.ID)
			if err != nil {
				t.Fatalf("PrepareMethod: %v", err)
			}
			if resp.Proof != api.ProofOTP || resp.Delivery == nil || resp.Delivery.Channel != tt.channel || resp.Delivery.SentTo != tt.masked {
				t.Fatalf("PrepareMethod = %+v; want a code sent by %s to %s", resp, tt.channel, tt.masked)
			}
			if !resp.Delivery.ResendAt.After(m.clock.Now()) || !resp.Delivery.ExpiresAt.After(resp.Delivery.ResendAt) {
				t.Errorf("delivery %+v: want a cool-down, then an expiry after it", resp.Delivery)
			}
			code := m.lastCode(t, tt.address)
			if err := s.Verify(ctx, ch, tok.ID, code[:3]+" "+code[3:]); err != nil {
				t.Fatalf("Verify with the sent code: %v", err)
			}
			if !s.SignedIn() || s.User().Username != "demo" {
				t.Errorf("signed in %v as %q; want demo", s.SignedIn(), s.User().Username)
			}
		})
	}
}

func TestSendAgainIsThrottledByTheServer(t *testing.T) {
	m := newMessaging(t)
	ctx := context.Background()
	const address = "+4915112345678"
	tok := m.addCodeToken(t, m.signedInDemo(t), "sms-otp", address)
	m.clock.Advance(time.Minute)

	s, ch := m.login(t)
	first, err := s.PrepareMethod(ctx, ch, tok.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.PrepareMethod(ctx, ch, tok.ID)
	var apiErr *api.Error
	if !errors.As(err, &apiErr) || apiErr.Code != api.CodeResendTooSoon || apiErr.RetryAfter <= 0 {
		t.Fatalf("asking again at once = %v; want resend_too_soon with a wait", err)
	}
	if want := first.Delivery.ResendAt.Sub(m.clock.Now()); apiErr.RetryAfter < want {
		t.Errorf("wait %s; want at least %s, as ResendAt said", apiErr.RetryAfter, want)
	}
	firstCode := m.lastCode(t, address)

	m.clock.Advance(first.Delivery.ResendAt.Sub(m.clock.Now()) + time.Second)
	if _, err := s.PrepareMethod(ctx, ch, tok.ID); err != nil {
		t.Fatalf("asking again after the cool-down: %v", err)
	}
	second := m.lastCode(t, address)
	if second != firstCode {
		if err := s.Verify(ctx, ch, tok.ID, firstCode); err == nil {
			t.Fatal("the code sent first still signs in after a new one was sent")
		}
	}
	if err := s.Verify(ctx, ch, tok.ID, second); err != nil {
		t.Fatalf("Verify with the new code: %v", err)
	}
}

func TestSignInWithPush(t *testing.T) {
	m := newMessaging(t)
	ctx := context.Background()
	tok, phone := m.addPhone(t, m.signedInDemo(t))

	s, ch := m.login(t)
	if got := method(t, ch, tok.ID); got.Type != api.TypePush {
		t.Fatalf("method %+v; want the push token", got)
	}
	resp, err := s.PrepareMethod(ctx, ch, tok.ID)
	if err != nil || resp.Proof != api.ProofPush || resp.Push == nil || resp.Push.ID == "" {
		t.Fatalf("PrepareMethod = %+v, %v; want a push request", resp, err)
	}
	if err := s.VerifyPush(ctx, ch, tok.ID, resp.Push.ID); !errors.Is(err, api.ErrPushPending) {
		t.Fatalf("VerifyPush before the phone answered = %v; want %v", err, api.ErrPushPending)
	}
	if s.SignedIn() {
		t.Fatal("signed in before the phone answered")
	}
	if resp.Push.Number < 10 || resp.Push.Number > api.MaxPushNumber {
		t.Errorf("number to show %d; want two digits", resp.Push.Number)
	}
	req := answer(t, phone, api.PushApprove, resp.Push.Number)
	if !slices.Contains(req.Choices, resp.Push.Number) {
		t.Errorf("the phone offers %v; want the number shown, %d, among them", req.Choices, resp.Push.Number)
	}
	if req.Kind != api.PushSignIn {
		t.Errorf("the phone was asked %q; want %q", req.Kind, api.PushSignIn)
	}
	if err := s.VerifyPush(ctx, ch, tok.ID, resp.Push.ID); err != nil {
		t.Fatalf("VerifyPush after the phone approved: %v", err)
	}
	if !s.SignedIn() || s.User().Username != "demo" {
		t.Errorf("signed in %v as %q; want demo", s.SignedIn(), s.User().Username)
	}
}

func TestSignInWithPushRefusedOnThePhone(t *testing.T) {
	m := newMessaging(t)
	ctx := context.Background()
	tok, phone := m.addPhone(t, m.signedInDemo(t))

	s, ch := m.login(t)
	resp, err := s.PrepareMethod(ctx, ch, tok.ID)
	if err != nil {
		t.Fatal(err)
	}
	answer(t, phone, api.PushDeny, 0)
	if err := s.VerifyPush(ctx, ch, tok.ID, resp.Push.ID); !errors.Is(err, api.ErrPushDenied) {
		t.Fatalf("VerifyPush after the phone refused = %v; want %v", err, api.ErrPushDenied)
	}
	if s.SignedIn() {
		t.Error("signed in although the phone refused")
	}

	// Sending it again works: a new request, approved this time.
	again, err := s.PrepareMethod(ctx, ch, tok.ID)
	if err != nil || again.Push == nil || again.Push.ID == resp.Push.ID {
		t.Fatalf("PrepareMethod again = %+v, %v; want a new push request", again, err)
	}
	answer(t, phone, api.PushApprove, again.Push.Number)
	if err := s.VerifyPush(ctx, ch, tok.ID, again.Push.ID); err != nil {
		t.Fatalf("VerifyPush of the new request: %v", err)
	}
}

func TestStepUpWithSMSAndWithPush(t *testing.T) {
	m := newMessaging(t)
	seedApprovals(t, m.backend)
	ctx := context.Background()
	s := m.signedInDemo(t)
	const address = "+4915112345678"

	// Enrolling needs a step-up: confirmed with the authenticator app here.
	enroll := func(call func(context.Context) error) {
		t.Helper()
		step := stepUp(t, call(ctx))
		totpID := methodOf(t, step, api.TypeTOTP).TokenID
		if _, err := s.PrepareStepUp(ctx, step.ApprovalID, totpID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.VerifyStepUp(ctx, step.ApprovalID, totpID, m.code(t, m.demo.TOTPSecret)); err != nil {
			t.Fatal(err)
		}
		if err := call(api.WithApproval(ctx, step.ApprovalID)); err != nil {
			t.Fatal(err)
		}
	}
	var smsToken api.Token
	enroll(func(ctx context.Context) error {
		templates, err := s.Templates(ctx)
		if err != nil {
			return err
		}
		for _, tpl := range templates {
			if tpl.ID == "sms-otp" {
				created, err := s.EnrollCodeToken(ctx, tpl, "", address)
				smsToken = created.Token
				return err
			}
		}
		return errors.New("no sms template")
	})
	if _, err := s.ActivateToken(ctx, smsToken.ID, m.lastCode(t, address)); err != nil {
		t.Fatalf("activate the SMS token: %v", err)
	}
	var phone *authenticator.Device
	var pushToken api.Token
	enroll(func(ctx context.Context) error {
		created, err := s.EnrollToken(ctx, "push-app", "")
		if err != nil {
			return err
		}
		pushToken = created.Token
		phone, err = authenticator.Provision(ctx, created.Push.URI, "Test phone")
		return err
	})
	phone.Now = m.clock.Now
	m.clock.Advance(time.Minute)

	// Disabling the TOTP token asks for a step-up: confirmed by SMS.
	totpID := ""
	tokens, err := s.Tokens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range tokens {
		if tok.Type == api.TypeTOTP {
			totpID = tok.ID
		}
	}
	_, err = s.DisableToken(ctx, totpID)
	step := stepUp(t, err)
	ch, err := s.PrepareStepUp(ctx, step.ApprovalID, smsToken.ID)
	if err != nil || ch.Delivery == nil {
		t.Fatalf("PrepareStepUp by SMS = %+v, %v; want a code sent", ch, err)
	}
	if _, err := s.VerifyStepUp(ctx, step.ApprovalID, smsToken.ID, m.lastCode(t, address)); err != nil {
		t.Fatalf("VerifyStepUp with the sent code: %v", err)
	}
	if _, err := s.DisableToken(api.WithApproval(ctx, step.ApprovalID), totpID); err != nil {
		t.Fatalf("DisableToken with the approval: %v", err)
	}

	// Deleting it: confirmed on the phone.
	err = s.DeleteToken(ctx, totpID)
	step = stepUp(t, err)
	ch, err = s.PrepareStepUp(ctx, step.ApprovalID, pushToken.ID)
	if err != nil || ch.Push == nil {
		t.Fatalf("PrepareStepUp by push = %+v, %v; want a push request", ch, err)
	}
	if _, err := s.VerifyStepUpPush(ctx, step.ApprovalID, pushToken.ID, ch.Push.ID); !errors.Is(err, api.ErrPushPending) {
		t.Fatalf("VerifyStepUpPush before the phone answered = %v; want %v", err, api.ErrPushPending)
	}
	if req := answer(t, phone, api.PushApprove, ch.Push.Number); req.Kind != api.PushApproval {
		t.Errorf("the phone was asked %q; want %q", req.Kind, api.PushApproval)
	}
	approval, err := s.VerifyStepUpPush(ctx, step.ApprovalID, pushToken.ID, ch.Push.ID)
	if err != nil || approval.Status != api.ApprovalVerified {
		t.Fatalf("VerifyStepUpPush = %+v, %v; want a VERIFIED approval", approval, err)
	}
	if err := s.DeleteToken(api.WithApproval(ctx, step.ApprovalID), totpID); err != nil {
		t.Fatalf("DeleteToken with the approval: %v", err)
	}
}

func TestStepUpAndSignInHelpersCheckTheirInput(t *testing.T) {
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	ctx := context.Background()
	if _, err := s.PrepareMethod(ctx, nil, "x"); err == nil {
		t.Error("PrepareMethod without a challenge succeeded")
	}
	if err := s.VerifyPush(ctx, nil, "x", "p"); err == nil {
		t.Error("VerifyPush without a challenge succeeded")
	}
	if _, err := s.VerifyStepUpPush(ctx, "", "tok", "p"); fieldErrors(err)["approval_id"] == "" {
		t.Errorf("VerifyStepUpPush without an approval = %v; want a field error on approval_id", err)
	}
	if _, err := s.VerifyStepUpPush(ctx, "a", "tok", ""); err == nil {
		t.Error("VerifyStepUpPush without a push id succeeded")
	}
	if err := s.FinishQRLogin(ctx, nil); err == nil {
		t.Error("FinishQRLogin without BeginQRLogin succeeded")
	}
	if _, err := s.BeginQRLogin(ctx, " "); fieldErrors(err)["server_url"] == "" {
		t.Errorf("BeginQRLogin without a server = %v; want a field error on server_url", err)
	}
}
