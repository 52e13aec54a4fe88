package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Headers of a webhook request.
const (
	HeaderTimestamp = "X-Selfservice-Timestamp" // Unix seconds when the request was signed
	HeaderSignature = "X-Selfservice-Signature" // "sha256=" + hex HMAC-SHA256(secret, timestamp + "." + body)
)

// WebhookSender sends SMS through an HTTP gateway of your own: it POSTs
// each message as JSON {"id", "to", "text"}, signed with a shared secret
// so that the gateway can tell the request came from this server and
// was not replayed (see VerifyWebhook). Any 2xx answer means the gateway
// took the message; a gateway should drop a message whose id it has
// seen, since a message whose answer got lost is sent again.
type WebhookSender struct {
	url    string
	secret []byte
	client *http.Client
	now    func() time.Time
}

// webhookTimeout bounds a request when the caller's client has no
// timeout of its own.
const webhookTimeout = 15 * time.Second

// NewWebhookSender returns a sender posting to url, signing with secret.
// client nil means a client with a 15 s timeout.
func NewWebhookSender(url, secret string, client *http.Client) *WebhookSender {
	if client == nil {
		client = &http.Client{Timeout: webhookTimeout}
	}
	return &WebhookSender{url: url, secret: []byte(secret), client: client, now: time.Now}
}

// webhookPayload is the JSON a gateway receives.
type webhookPayload struct {
	ID   string `json:"id"`
	To   string `json:"to"`
	Text string `json:"text"`
}

// Send posts m. Its error names the HTTP status or why the gateway was
// not reached, never the message, the answer's body or the URL (which
// may carry a key).
func (w *WebhookSender) Send(ctx context.Context, m Message) error {
	body, err := json.Marshal(webhookPayload{ID: m.ID, To: m.To, Text: m.Body})
	if err != nil {
		return fmt.Errorf("encode the SMS: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return errors.New("the SMS gateway URL is not usable; check --sms-webhook")
	}
	ts := strconv.FormatInt(w.now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, sign(w.secret, ts, body))
	res, err := w.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the URL
		}
		return fmt.Errorf("SMS gateway not reached: %w", err)
	}
	defer res.Body.Close()
	io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10)) //nolint:errcheck // lets the connection be reused
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return fmt.Errorf("SMS gateway answered %s", res.Status)
	}
	return nil
}

// sign is the signature header's value for a timestamp and body.
func sign(secret []byte, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(timestamp))
	mac.Write([]byte("."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// ErrWebhookSignature is returned by VerifyWebhook for a request that
// was not signed with the secret, or whose body was changed.
var ErrWebhookSignature = errors.New("webhook signature does not match")

// VerifyWebhook checks a webhook request a gateway received: body is the
// request's body, read in full. It fails when the signature does not
// match the secret and body (ErrWebhookSignature), or when the timestamp
// is missing or further than maxSkew from now, which stops a recorded
// request from being replayed later.
func VerifyWebhook(secret string, r *http.Request, body []byte, now time.Time, maxSkew time.Duration) error {
	ts := r.Header.Get(HeaderTimestamp)
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("webhook has no valid %s header", HeaderTimestamp)
	}
	if skew := now.Sub(time.Unix(secs, 0)).Abs(); skew > maxSkew {
		return fmt.Errorf("webhook timestamp is %v away from now, more than the %v allowed; check both clocks", skew.Round(time.Second), maxSkew)
	}
	got := r.Header.Get(HeaderSignature)
	if !strings.HasPrefix(got, "sha256=") {
		return ErrWebhookSignature
	}
	if !hmac.Equal([]byte(got), []byte(sign([]byte(secret), ts, body))) {
		return ErrWebhookSignature
	}
	return nil
}
