package notify

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const testSecret = "gateway secret"

// gateway is an SMS gateway that checks each request's signature and
// fails the first `failures` requests with 500.
type gateway struct {
	t        *testing.T
	mu       sync.Mutex
	failures int
	requests int
	got      []webhookPayload
}

func (g *gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		g.t.Errorf("read webhook body: %v", err)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.requests++
	if err := VerifyWebhook(testSecret, r, body, time.Now(), time.Minute); err != nil {
		g.t.Errorf("VerifyWebhook: %v", err)
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	if g.failures > 0 {
		g.failures--
		http.Error(w, "down for maintenance; the text was: "+string(body), http.StatusInternalServerError)
		return
	}
	var p webhookPayload
	if err := json.Unmarshal(body, &p); err != nil {
		g.t.Errorf("webhook body %q: %v", body, err)
	}
	g.got = append(g.got, p)
	w.WriteHeader(http.StatusAccepted)
}

func TestWebhookSenderRetriedAfterFailureDeliversOnce(t *testing.T) {
	g := &gateway{t: t, failures: 1}
	srv := httptest.NewServer(g)
	defer srv.Close()
	w := NewWebhookSender(srv.URL+"/sms?key=url-key", testSecret, srv.Client())
	m := Message{ID: "m-1", Channel: ChannelSMS, To: "+4915112345678", Body: "Your code is 654321"}

	err := w.Send(context.Background(), m)
	if err == nil {
		t.Fatal("Send to a gateway answering 500 succeeded")
	}
	for _, secret := range []string{"654321", "url-key", "maintenance"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error %q shows %q", err, secret)
		}
	}
	if !strings.Contains(err.Error(), "500") {
		t.Errorf("error %q does not name the status", err)
	}

	if err := w.Send(context.Background(), m); err != nil {
		t.Fatalf("second Send: %v", err)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.requests != 2 || len(g.got) != 1 {
		t.Fatalf("gateway got %d requests and took %d messages, want 2 and 1", g.requests, len(g.got))
	}
	if want := (webhookPayload{ID: m.ID, To: m.To, Text: m.Body}); g.got[0] != want {
		t.Errorf("gateway took %+v, want %+v", g.got[0], want)
	}
}

func TestWebhookSenderUnreachableErrorHidesURL(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL + "/sms?key=url-key"
	srv.Close() // nothing listens any more
	err := NewWebhookSender(url, testSecret, nil).Send(context.Background(), Message{ID: "m", To: "+4915112345678", Body: "Code 111222"})
	if err == nil {
		t.Fatal("Send to a closed port succeeded")
	}
	if strings.Contains(err.Error(), "url-key") || strings.Contains(err.Error(), "111222") {
		t.Errorf("error %q shows the URL's key or the text", err)
	}
}

func TestVerifyWebhook(t *testing.T) {
	now := time.Unix(1_900_000_000, 0)
	body := []byte(`{"id":"m-1","to":"+4915112345678","text":"Your code is 654321"}`)
	signed := func(ts time.Time, secret string, body []byte) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/sms", nil)
		stamp := ts.Unix()
		r.Header.Set(HeaderTimestamp, strconv.FormatInt(stamp, 10))
		r.Header.Set(HeaderSignature, sign([]byte(secret), strconv.FormatInt(stamp, 10), body))
		return r
	}
	tampered := []byte(strings.Replace(string(body), "654321", "000000", 1))
	noSignature := signed(now, testSecret, body)
	noSignature.Header.Del(HeaderSignature)
	noTimestamp := signed(now, testSecret, body)
	noTimestamp.Header.Del(HeaderTimestamp)
	tests := []struct {
		name    string
		r       *http.Request
		body    []byte
		wantSig bool // the error is ErrWebhookSignature
		wantErr bool
	}{
		{"valid", signed(now, testSecret, body), body, false, false},
		{"valid within skew", signed(now.Add(-50*time.Second), testSecret, body), body, false, false},
		{"tampered body", signed(now, testSecret, body), tampered, true, true},
		{"wrong secret", signed(now, "another secret", body), body, true, true},
		{"no signature", noSignature, body, true, true},
		{"no timestamp", noTimestamp, body, false, true},
		{"too old", signed(now.Add(-2*time.Minute), testSecret, body), body, false, true},
		{"from the future", signed(now.Add(2*time.Minute), testSecret, body), body, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := VerifyWebhook(testSecret, tt.r, tt.body, now, time.Minute)
			if got := err != nil; got != tt.wantErr {
				t.Fatalf("VerifyWebhook = %v, want error %v", err, tt.wantErr)
			}
			if got := errors.Is(err, ErrWebhookSignature); got != tt.wantSig {
				t.Errorf("VerifyWebhook = %v, want ErrWebhookSignature %v", err, tt.wantSig)
			}
		})
	}
}
