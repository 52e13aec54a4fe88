package server

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"net/url"
	"testing"
	"time"

	"selfservice/api"
)

const templatePush = "push-app"

// testPhone is the authenticator app in the server's tests: a P-256
// device key, and the device id its registration gave.
type testPhone struct {
	e        *env
	key      *ecdsa.PrivateKey
	deviceID string
}

// newPhoneKey makes a device key.
func newPhoneKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// newP384Key makes a key of a curve the server refuses.
func newP384Key(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// publicKeyB64 is a key's public half as the registration sends it.
func publicKeyB64(t *testing.T, key *ecdsa.PublicKey) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(der)
}

// uriParam reads one query parameter of a selfservice-push:// URI,
// checking its kind (host).
func uriParam(t *testing.T, uri, host, name string) string {
	t.Helper()
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "selfservice-push" || u.Host != host {
		t.Fatalf("URI %q is not selfservice-push://%s", uri, host)
	}
	return u.Query().Get(name)
}

// registerPhoneWith sends a registration of key with the code of the
// provisioning URI.
func (e *env) registerPhoneWith(key *ecdsa.PrivateKey, uri, name string) response {
	e.t.Helper()
	return e.call("POST", "/push/devices", "", api.DeviceRegistration{
		Code:       uriParam(e.t, uri, "provision", "code"),
		PublicKey:  publicKeyB64(e.t, &key.PublicKey),
		DeviceName: name,
	})
}

// registerPhone registers a new phone with the provisioning URI.
func (e *env) registerPhone(uri string) *testPhone {
	e.t.Helper()
	key := newPhoneKey(e.t)
	var out api.DeviceRegistrationResponse
	e.ok(e.registerPhoneWith(key, uri, "Test phone"), 201, &out)
	return &testPhone{e: e, key: key, deviceID: out.DeviceID}
}

// pushUser makes an employee with an ACTIVE TOTP token, signs them in,
// and sets up the authenticator app (fresh session: no step-up).
func (e *env) pushUser(username string) (api.User, TokenRecord, string, *testPhone) {
	e.t.Helper()
	u, totp, session := e.userWithToken(username, RoleEmployee)
	var created api.CreateTokenResponse
	e.ok(e.call("POST", "/tokens", session, api.CreateTokenRequest{TemplateID: templatePush}), 201, &created)
	if created.Push == nil {
		e.t.Fatalf("push enrollment = %+v; want a provisioning payload", created)
	}
	return u, totp, session, e.registerPhone(created.Push.URI)
}

func (p *testPhone) sign(key *ecdsa.PrivateKey, payload []byte) string {
	p.e.t.Helper()
	sum := sha256.Sum256(payload)
	sig, err := ecdsa.SignASN1(rand.Reader, key, sum[:])
	if err != nil {
		p.e.t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(sig)
}

// pendingCall asks for the phone's list, dated at the server's time
// plus skew seconds, signed with key.
func (p *testPhone) pendingCall(key *ecdsa.PrivateKey, skew int64) response {
	p.e.t.Helper()
	ts := p.e.clock.Now().Unix() + skew
	return p.e.call("POST", "/push/pending", "", api.PendingPushRequest{
		DeviceID: p.deviceID, Timestamp: ts, Signature: p.sign(key, api.PendingPayload(p.deviceID, ts)),
	})
}

// pending lists the phone's waiting requests.
func (p *testPhone) pending() []api.PushRequest {
	p.e.t.Helper()
	var out api.PushRequestsResponse
	p.e.ok(p.pendingCall(p.key, 0), 200, &out)
	return out.Requests
}

// only returns the one waiting request, failing otherwise.
func (p *testPhone) only() api.PushRequest {
	p.e.t.Helper()
	reqs := p.pending()
	if len(reqs) != 1 {
		p.e.t.Fatalf("pending = %+v; want one request", reqs)
	}
	return reqs[0]
}

// answerCall answers a request, signing signed (which may differ from
// the decision sent) with key. An approval picks the number the
// computer shows, as the user does.
func (p *testPhone) answerCall(key *ecdsa.PrivateKey, id, challenge, decision, signed string) response {
	p.e.t.Helper()
	number := 0
	if rec, err := p.e.store.PushRequest(context.Background(), id); err == nil && decision == api.PushApprove {
		number = rec.Number
	}
	return p.answerNumber(key, id, challenge, decision, signed, number)
}

// answerNumber answers a request with the number picked.
func (p *testPhone) answerNumber(key *ecdsa.PrivateKey, id, challenge, decision, signed string, number int) response {
	p.e.t.Helper()
	return p.e.call("POST", "/push/requests/"+id+"/answer", "", api.PushAnswer{
		DeviceID: p.deviceID, Decision: decision, Number: number, Signature: p.sign(key, api.AnswerPayload(id, challenge, signed, number)),
	})
}

// answer answers a request properly and expects success.
func (p *testPhone) answer(req api.PushRequest, decision string) {
	p.e.t.Helper()
	p.e.ok(p.answerCall(p.key, req.ID, req.Challenge, decision, decision), 204, nil)
}

// pushChallenge asks for a push through a challenge call and returns its
// request id.
func (e *env) pushChallenge(path, session string, body any) string {
	e.t.Helper()
	var ch api.ChallengeResponse
	e.ok(e.call("POST", path, session, body), 200, &ch)
	if ch.Proof != api.ProofPush || ch.Push == nil || ch.Push.ID == "" {
		e.t.Fatalf("challenge = %+v; want a push", ch)
	}
	if want := e.clock.Now().Add(2 * time.Minute); !ch.Push.ExpiresAt.Equal(want) {
		e.t.Errorf("push expires at %v, want %v", ch.Push.ExpiresAt, want)
	}
	return ch.Push.ID
}
