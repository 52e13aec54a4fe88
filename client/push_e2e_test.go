package client_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"net/url"
	"testing"

	"selfservice/api"
	"selfservice/client"
)

// phone is the authenticator app, made by hand from the wire calls.
type phone struct {
	t        *testing.T
	b        *backend
	c        *client.Client
	key      *ecdsa.PrivateKey
	deviceID string
}

func (p *phone) sign(payload []byte) string {
	p.t.Helper()
	sum := sha256.Sum256(payload)
	sig, err := ecdsa.SignASN1(rand.Reader, p.key, sum[:])
	if err != nil {
		p.t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(sig)
}

func (p *phone) pending() []api.PushRequest {
	p.t.Helper()
	ts := p.b.clock.Now().Unix()
	reqs, err := p.c.PushPending(context.Background(), api.PendingPushRequest{DeviceID: p.deviceID, Timestamp: ts, Signature: p.sign(api.PendingPayload(p.deviceID, ts))})
	if err != nil {
		p.t.Fatalf("PushPending: %v", err)
	}
	return reqs
}

// answer answers a request; an approval picks number, the one the
// desktop shows (0 for a request without number matching).
func (p *phone) answer(id, challenge, decision string, number int) error {
	return p.c.AnswerPush(context.Background(), id, api.PushAnswer{DeviceID: p.deviceID, Decision: decision, Number: number, Signature: p.sign(api.AnswerPayload(id, challenge, decision, number))})
}

// provisioningCode reads the code of a provisioning URI.
func provisioningCode(t *testing.T, uri string) string {
	t.Helper()
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "selfservice-push" || u.Host != "provision" {
		t.Fatalf("%q is not a provisioning URI", uri)
	}
	return u.Query().Get("code")
}

func TestPushTokenThroughTheClient(t *testing.T) {
	ctx := context.Background()
	b := newBackend(t)
	desktop := b.signIn(t, b.demo)
	created, err := desktop.CreateToken(ctx, api.CreateTokenRequest{TemplateID: "push-app"})
	if err != nil || created.Push == nil {
		t.Fatalf("CreateToken(push-app) = %+v, %v", created, err)
	}
	renewed, err := desktop.NewProvisioning(ctx, created.Token.ID, api.ProvisioningRequest{})
	if err != nil {
		t.Fatalf("NewProvisioning: %v", err)
	}
	_, err = desktop.NewProvisioning(ctx, created.Token.ID, api.ProvisioningRequest{Channel: api.ChannelEmail, Address: "demo@example.com"})
	if !errors.Is(err, api.ErrDeliveryUnavailable) || err.(*api.Error).Status != 503 {
		t.Errorf("sending without an email sender: %v, want 503 delivery_unavailable", err)
	}

	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	app := b.client(t)
	reg := api.DeviceRegistration{Code: provisioningCode(t, created.Push.URI), PublicKey: base64.StdEncoding.EncodeToString(der), DeviceName: "Test phone"}
	if _, err := app.RegisterDevice(ctx, reg); !errors.Is(err, api.ErrProvisioningInvalid) || err.(*api.Error).Status != 401 {
		t.Errorf("registering with the replaced code: %v, want 401 provisioning_invalid", err)
	}
	reg.Code = provisioningCode(t, renewed.Push.URI)
	out, err := app.RegisterDevice(ctx, reg)
	if err != nil || out.DeviceID != created.Token.ID || out.Username != "demo" {
		t.Fatalf("RegisterDevice = %+v, %v", out, err)
	}
	p := &phone{t: t, b: b, c: app, key: key, deviceID: out.DeviceID}
	if reqs := p.pending(); len(reqs) != 0 {
		t.Errorf("pending right after registration: %+v", reqs)
	}

	// Test the token from the desktop.
	ch, err := desktop.TokenChallenge(ctx, out.DeviceID)
	if err != nil || ch.Proof != api.ProofPush || ch.Push == nil {
		t.Fatalf("TokenChallenge = %+v, %v; want a push", ch, err)
	}
	_, err = desktop.TestToken(ctx, out.DeviceID, api.OTPRequest{PushID: ch.Push.ID})
	if !errors.Is(err, api.ErrPushPending) || err.(*api.Error).Status != 409 {
		t.Fatalf("TestToken before the answer: %v, want 409 push_pending", err)
	}
	reqs := p.pending()
	if len(reqs) != 1 || reqs[0].ID != ch.Push.ID || reqs[0].Kind != api.PushTest {
		t.Fatalf("pending = %+v; want the test", reqs)
	}
	if err := p.answer(reqs[0].ID, reqs[0].Challenge, api.PushApprove, 0); err != nil {
		t.Fatalf("AnswerPush: %v", err)
	}
	if err := p.answer(reqs[0].ID, reqs[0].Challenge, api.PushApprove, 0); !errors.Is(err, api.ErrInvalidState) {
		t.Errorf("answering twice: %v, want invalid_state", err)
	}
	if tok, err := desktop.TestToken(ctx, out.DeviceID, api.OTPRequest{PushID: ch.Push.ID}); err != nil || tok.LastUsedAt == nil {
		t.Fatalf("TestToken after the approval = %+v, %v", tok, err)
	}

	// A QR sign-in, refused.
	qr, err := desktop.BeginQRLogin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(qr.URI)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.answer(u.Query().Get("request"), u.Query().Get("challenge"), api.PushDeny, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := desktop.VerifyQRLogin(ctx, qr.LoginID); !errors.Is(err, api.ErrPushDenied) || err.(*api.Error).Status != 401 {
		t.Errorf("VerifyQRLogin after the refusal: %v, want 401 push_denied", err)
	}
}
