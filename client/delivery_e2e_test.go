package client_test

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"selfservice/api"
	"selfservice/client"
	"selfservice/server"
	"selfservice/server/notify"
)

// Email tokens end to end: the client against a local server whose
// messages go to files, as in the desktop app's demo mode.

// localServer is server.StartLocal with the test's clock.
type localServer struct {
	*server.Local
	clock *clock
}

func startLocal(t *testing.T) localServer {
	t.Helper()
	clk := &clock{now: time.Date(2030, 5, 6, 7, 8, 0, 0, time.UTC)}
	// The demo's configuration, without the grace after a sign-in: these
	// tests confirm step-ups right after signing in.
	tenant, noGrace := server.DemoTenant(), 0
	tenant.StepUp.GraceSeconds = &noGrace
	l, err := server.StartLocal(context.Background(), filepath.Join(t.TempDir(), "selfservice.db"),
		server.Config{Now: clk.Now, Logger: slog.New(slog.DiscardHandler), Tenant: tenant})
	if err != nil {
		t.Fatalf("StartLocal: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	return localServer{Local: l, clock: clk}
}

// totpCode is the code of a base32 secret at the server's time, one step
// on from the last one used.
func (l localServer) totpCode(t *testing.T, secret string) string {
	t.Helper()
	l.clock.NextStep()
	code, err := totp.GenerateCode(secret, l.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return code
}

var codeInMessage = regexp.MustCompile(`\b\d{6}\b`)

// lastMessageTo delivers the outbox and returns the newest message to an
// address.
func (l localServer) lastMessageTo(t *testing.T, to string) notify.Message {
	t.Helper()
	if err := l.Deliver(context.Background()); err != nil {
		t.Fatalf("Deliver: %v", err)
	}
	msgs, err := notify.ReadMessages(l.MessagesDir)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].To == to {
			return msgs[i].Message
		}
	}
	t.Fatalf("no message to %s among %d", to, len(msgs))
	return notify.Message{}
}

// codeSentTo is the code in the newest message to an address.
func (l localServer) codeSentTo(t *testing.T, to string) string {
	t.Helper()
	m := l.lastMessageTo(t, to)
	code := codeInMessage.FindString(m.Body)
	if code == "" {
		t.Fatalf("the message to %s holds no code", to)
	}
	return code
}

func TestEmailTokenEnrollsSignsInAndMoves(t *testing.T) {
	l := startLocal(t)
	ctx := context.Background()
	var demo server.DemoUser
	for _, u := range l.Demo.Users {
		if u.Username == "demo" {
			demo = u
		}
	}

	// Sign in with the demo user's TOTP token.
	c := newClient(t, l.URL, client.Options{})
	login, err := c.Login(ctx, api.LoginRequest{Username: demo.Username, Password: demo.Password})
	if err != nil || len(login.Methods) != 1 {
		t.Fatalf("Login = %+v, %v; want one method", login, err)
	}
	totpID := login.Methods[0].TokenID
	sess, err := c.VerifyLogin(ctx, login.LoginID, api.VerifyLoginRequest{TokenID: totpID, OTP: l.totpCode(t, demo.TOTPSecret)})
	if err != nil {
		t.Fatalf("VerifyLogin: %v", err)
	}
	c.SetSessionToken(sess.SessionToken)

	// Enroll an email token on the demo's confirmed work email (the
	// demo's email tokens use only confirmed contact values); the demo
	// asks for a step-up first.
	req := api.CreateTokenRequest{TemplateID: "email-otp", Address: " demo@Example.COM "}
	_, err = c.CreateToken(ctx, req)
	step, ok := api.ApprovalRequired(err)
	if !ok {
		t.Fatalf("CreateToken = %v; want approval_required", err)
	}
	if _, err := c.VerifyApproval(ctx, step.ApprovalID, api.VerifyApprovalRequest{TokenID: totpID, OTP: l.totpCode(t, demo.TOTPSecret)}); err != nil {
		t.Fatalf("VerifyApproval: %v", err)
	}
	created, err := c.CreateToken(api.WithApproval(ctx, step.ApprovalID), req)
	if err != nil {
		t.Fatalf("CreateToken with the approval: %v", err)
	}
	const address = "demo@example.com"
	if created.Token.Address != address || created.Delivery == nil || created.Delivery.SentTo != "d•••@example.com" {
		t.Fatalf("created = %+v, delivery %+v; want the token at %s and its first code sent", created.Token, created.Delivery, address)
	}
	first := l.lastMessageTo(t, address)
	if first.Subject != "Your "+server.DemoTenant().Organisation+" code" || strings.Contains(first.Subject, l.codeSentTo(t, address)) {
		t.Errorf("subject %q; want one without the code", first.Subject)
	}
	_, err = c.ActivateToken(ctx, created.Token.ID, api.OTPRequest{OTP: "000000"})
	wantCode(t, err, api.CodeOTPInvalid)
	tok, err := c.ActivateToken(ctx, created.Token.ID, api.OTPRequest{OTP: l.codeSentTo(t, address)})
	if err != nil || tok.Status != api.StatusActive {
		t.Fatalf("ActivateToken = %+v, %v; want ACTIVE", tok, err)
	}

	// Sign in with it.
	other := newClient(t, l.URL, client.Options{})
	login, err = other.Login(ctx, api.LoginRequest{Username: demo.Username, Password: demo.Password})
	if err != nil || !slices.Contains(login.Methods, api.LoginMethod{TokenID: tok.ID, Type: api.TypeEmail, Label: tok.Label, Hint: "d•••@example.com"}) {
		t.Fatalf("Login = %+v, %v; want the email token offered", login.Methods, err)
	}
	_, err = other.LoginChallenge(ctx, login.LoginID, api.LoginChallengeRequest{TokenID: tok.ID})
	wantCode(t, err, api.CodeResendTooSoon) // the activation code went out moments ago
	var tooSoon *api.Error
	if !errors.As(err, &tooSoon) || tooSoon.RetryAfter <= 0 {
		t.Errorf("resend_too_soon without Retry-After: %+v", tooSoon)
	}
	l.clock.NextStep()
	ch, err := other.LoginChallenge(ctx, login.LoginID, api.LoginChallengeRequest{TokenID: tok.ID})
	if err != nil || ch.Proof != api.ProofOTP || ch.Delivery == nil || ch.Delivery.Channel != api.ChannelEmail {
		t.Fatalf("LoginChallenge = %+v, %v; want a code sent by email", ch, err)
	}
	sess, err = other.VerifyLogin(ctx, login.LoginID, api.VerifyLoginRequest{TokenID: tok.ID, OTP: l.codeSentTo(t, address)})
	if err != nil || sess.SessionToken == "" {
		t.Fatalf("VerifyLogin with the sent code = %+v, %v", sess, err)
	}
	other.SetSessionToken(sess.SessionToken)

	// Move it to a new address, which must be a confirmed contact value
	// first: setting one asks for a step-up, then for the code sent to it.
	l.clock.NextStep()
	const newAddress = "demo.new@example.org"
	_, err = other.ChangeAddress(ctx, tok.ID, api.ChangeAddressRequest{Address: newAddress})
	if !errors.As(err, new(*api.Error)) || fieldErrors(err)["address"] == "" {
		t.Fatalf("ChangeAddress to an unconfirmed address = %v; want a field error on address", err)
	}
	_, err = other.SetContact(ctx, "private_email", api.SetContactRequest{Value: newAddress})
	step, ok = api.ApprovalRequired(err)
	if !ok {
		t.Fatalf("SetContact = %v; want approval_required", err)
	}
	if _, err := other.VerifyApproval(ctx, step.ApprovalID, api.VerifyApprovalRequest{TokenID: totpID, OTP: l.totpCode(t, demo.TOTPSecret)}); err != nil {
		t.Fatalf("VerifyApproval: %v", err)
	}
	set, err := other.SetContact(api.WithApproval(ctx, step.ApprovalID), "private_email", api.SetContactRequest{Value: newAddress})
	if err != nil || set.Pending == nil || set.Pending.Delivery.SentTo != "d•••@example.org" {
		t.Fatalf("SetContact with the approval = %+v, %v; want a code sent to the new address", set, err)
	}
	confirmed, err := other.ConfirmContact(ctx, "private_email", api.OTPRequest{OTP: l.codeSentTo(t, newAddress)})
	if err != nil || confirmed.Contact == nil || !confirmed.Contact.Verified {
		t.Fatalf("ConfirmContact = %+v, %v; want the address confirmed", confirmed, err)
	}
	l.clock.NextStep()
	_, err = other.ChangeAddress(ctx, tok.ID, api.ChangeAddressRequest{Address: newAddress})
	step, ok = api.ApprovalRequired(err)
	if !ok {
		t.Fatalf("ChangeAddress = %v; want approval_required", err)
	}
	if _, err := other.VerifyApproval(ctx, step.ApprovalID, api.VerifyApprovalRequest{TokenID: totpID, OTP: l.totpCode(t, demo.TOTPSecret)}); err != nil {
		t.Fatalf("VerifyApproval: %v", err)
	}
	ch, err = other.ChangeAddress(api.WithApproval(ctx, step.ApprovalID), tok.ID, api.ChangeAddressRequest{Address: newAddress})
	if err != nil || ch.Delivery == nil || ch.Delivery.SentTo != "d•••@example.org" {
		t.Fatalf("ChangeAddress = %+v, %v; want a code sent to the new address", ch, err)
	}
	_, err = other.ChangeAddress(ctx, tok.ID, api.ChangeAddressRequest{Address: "not an address"})
	var invalid *api.Error
	if !errors.As(err, &invalid) || invalid.FieldErrors()["address"] == "" {
		t.Errorf("ChangeAddress to a wrong address = %v; want a field error on address", err)
	}
	moved, err := other.ConfirmAddress(ctx, tok.ID, api.OTPRequest{OTP: l.codeSentTo(t, newAddress)})
	if err != nil || moved.Address != newAddress {
		t.Fatalf("ConfirmAddress = %+v, %v; want the token at %s", moved, err, newAddress)
	}
	notice := l.lastMessageTo(t, address)
	if !strings.Contains(notice.Body, "changed to d•••@example.org") {
		t.Errorf("the old address was told %q; want the change", notice.Body)
	}
}
