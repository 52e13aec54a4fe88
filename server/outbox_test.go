package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"selfservice/server/notify"
	"selfservice/server/storetest"
)

const gatewaySecret = "test gateway secret"

// smsGateway is an SMS gateway at an httptest server: it checks each
// webhook's signature, answers 500 while down, and counts the messages
// it took by id.
type smsGateway struct {
	t        *testing.T
	url      string
	mu       sync.Mutex
	down     bool
	requests int
	took     map[string]int
	texts    map[string]string
	taken    chan string // the id of each message taken
}

func newSMSGateway(t *testing.T) *smsGateway {
	g := &smsGateway{t: t, took: map[string]int{}, texts: map[string]string{}, taken: make(chan string, 100)}
	srv := httptest.NewServer(http.HandlerFunc(g.serve))
	t.Cleanup(srv.Close)
	g.url = srv.URL
	return g
}

func (g *smsGateway) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		g.t.Errorf("read webhook: %v", err)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.requests++
	if err := notify.VerifyWebhook(gatewaySecret, r, body, time.Now(), time.Minute); err != nil {
		g.t.Errorf("webhook: %v", err)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if g.down {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	var p struct{ ID, To, Text string }
	if err := json.Unmarshal(body, &p); err != nil {
		g.t.Errorf("webhook body: %v", err)
	}
	g.took[p.ID]++
	g.texts[p.ID] = p.Text
	select {
	case g.taken <- p.ID:
	default:
	}
	w.WriteHeader(http.StatusOK)
}

func (g *smsGateway) setDown(down bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.down = down
}

// counts returns the requests made and how often each message was taken.
func (g *smsGateway) counts() (int, map[string]int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	took := map[string]int{}
	for id, n := range g.took {
		took[id] = n
	}
	return g.requests, took
}

// outboxEnv is a Server on a SQLite file that a test may close and open
// again, sending SMS to a gateway.
type outboxEnv struct {
	t     *testing.T
	path  string
	cfg   Config
	clock *testClock
	logs  *syncBuffer
	gw    *smsGateway
	store *SQLStore
	srv   *Server
}

func newOutboxEnv(t *testing.T, cfg Config) *outboxEnv {
	t.Helper()
	e := &outboxEnv{t: t, path: filepath.Join(t.TempDir(), "selfservice.db"), clock: &testClock{now: testStart}, logs: &syncBuffer{}}
	e.gw = newSMSGateway(t)
	cfg.Now = e.clock.Now
	cfg.Logger = slog.New(slog.NewTextHandler(e.logs, nil))
	cfg.Secrets = testSecrets
	if cfg.SMSSender == nil {
		cfg.SMSSender = notify.NewWebhookSender(e.gw.url, gatewaySecret, nil)
	}
	e.cfg = cfg
	e.open()
	t.Cleanup(func() { e.store.Close() })
	return e
}

func (e *outboxEnv) open() {
	e.t.Helper()
	store, err := Open(context.Background(), storetest.DSN(e.t, e.path), WithSecretBox(testSecrets))
	if err != nil {
		e.t.Fatalf("open the store: %v", err)
	}
	e.store, e.srv = store, New(store, e.cfg)
}

// restart closes the database and opens it again with a new Server, as
// a process that stopped and started would.
func (e *outboxEnv) restart() {
	e.t.Helper()
	if err := e.store.Close(); err != nil {
		e.t.Fatalf("close the database: %v", err)
	}
	e.open()
}

// send enqueues a message in a transaction, as an action would, and
// returns its id.
func (e *outboxEnv) send(channel, to, body string, expires time.Time) string {
	e.t.Helper()
	m := notify.Message{Channel: channel, To: to, Body: body}
	if channel == notify.ChannelEmail {
		m.Subject = "Your code"
		m.Attachment = &notify.Attachment{Name: "code.png", ContentType: "image/png", Data: []byte("png")}
	}
	err := e.store.Atomically(context.Background(), func(tx Store) error {
		m.ID = fmt.Sprintf("msg-%d", time.Now().UnixNano())
		return e.srv.enqueue(context.Background(), tx, "", m, expires)
	})
	if err != nil {
		e.t.Fatalf("enqueue: %v", err)
	}
	return m.ID
}

func (e *outboxEnv) deliver() int {
	e.t.Helper()
	n, err := e.srv.DeliverDue(context.Background())
	if err != nil {
		e.t.Fatalf("DeliverDue: %v", err)
	}
	return n
}

// outboxRow is a message as stored, with what is left of its body.
type outboxRow struct {
	Status, Body, LastError string
	Attempts                int
	HasAttachment           bool
	NextAttemptAt, SentAt   time.Time
}

func (e *outboxEnv) row(id string) outboxRow {
	e.t.Helper()
	var r outboxRow
	var next, sent int64
	err := e.store.conn().QueryRowContext(context.Background(), `SELECT status, body, last_error, attempts, attachment IS NOT NULL, next_attempt_at, sent_at
		FROM outbox WHERE id = ?`, id).Scan(&r.Status, &r.Body, &r.LastError, &r.Attempts, &r.HasAttachment, &next, &sent)
	if err != nil {
		e.t.Fatalf("outbox row %s: %v", id, err)
	}
	r.NextAttemptAt, r.SentAt = fromMillis(next), fromMillis(sent)
	return r
}

// wantGone checks that a finished message kept neither body nor
// attachment.
func (e *outboxEnv) wantGone(id, status string) outboxRow {
	e.t.Helper()
	r := e.row(id)
	if r.Status != status || r.Body != "" || r.HasAttachment {
		e.t.Errorf("message %s = %+v, want %s with body and attachment emptied", id, r, status)
	}
	return r
}

func TestOutboxGatewayDownThenUpDeliversEachOnce(t *testing.T) {
	e := newOutboxEnv(t, Config{OutboxBackoff: 5 * time.Second})
	e.gw.setDown(true)
	ids := []string{
		e.send(notify.ChannelSMS, "+4915112345671", "Your code is 111111", time.Time{}),
		e.send(notify.ChannelSMS, "+4915112345672", "Your code is 222222", time.Time{}),
		e.send(notify.ChannelSMS, "+4915112345673", "Your code is 333333", time.Time{}),
	}

	if n := e.deliver(); n != 0 {
		t.Fatalf("sent %d while the gateway is down", n)
	}
	for _, id := range ids {
		r := e.row(id)
		if r.Status != OutboxPending || r.Attempts != 1 || !r.NextAttemptAt.Equal(testStart.Add(5*time.Second)) {
			t.Fatalf("after one failure: %+v, want PENDING, 1 attempt, next in 5s", r)
		}
		if !strings.Contains(r.LastError, "503") || strings.Contains(r.LastError, "Your code") {
			t.Errorf("last error = %q, want the status and never the text", r.LastError)
		}
	}
	if n := e.deliver(); n != 0 {
		t.Fatalf("sent %d before the next attempt is due", n)
	}
	if requests, _ := e.gw.counts(); requests != 3 {
		t.Fatalf("the gateway got %d requests, want 3 (none before the retry is due)", requests)
	}

	e.clock.Advance(5 * time.Second)
	e.deliver() // still down: the wait doubles
	if r := e.row(ids[0]); r.Attempts != 2 || !r.NextAttemptAt.Equal(testStart.Add(15*time.Second)) {
		t.Fatalf("after two failures: %+v, want next attempt 10s after the second", r)
	}

	e.gw.setDown(false)
	e.clock.Advance(10 * time.Second)
	if n := e.deliver(); n != 3 {
		t.Fatalf("sent %d once the gateway is up, want 3", n)
	}
	e.clock.Advance(time.Hour)
	if n := e.deliver(); n != 0 {
		t.Fatalf("sent %d more on a later pass", n)
	}
	_, took := e.gw.counts()
	for _, id := range ids {
		if took[id] != 1 {
			t.Errorf("the gateway took message %s %d times, want once", id, took[id])
		}
		r := e.wantGone(id, OutboxSent)
		if !r.SentAt.Equal(testStart.Add(15*time.Second)) || r.Attempts != 3 {
			t.Errorf("message %s = %+v, want sent at the third attempt", id, r)
		}
	}
	if logs := e.logs.String(); strings.Contains(logs, "Your code") || strings.Contains(logs, "+4915112345671") {
		t.Errorf("the log shows a text or a full number:\n%s", logs)
	}
}

func TestOutboxRestartLosesNothing(t *testing.T) {
	e := newOutboxEnv(t, Config{})
	queued := e.send(notify.ChannelSMS, "+4915112345671", "Your code is 111111", time.Time{})
	inFlight := e.send(notify.ChannelSMS, "+4915112345672", "Your code is 222222", time.Time{})

	// A worker claims one message and dies before it can send it.
	claimed, err := e.store.ClaimOutbox(context.Background(), e.clock.Now(), e.clock.Now().Add(outboxLease))
	if err != nil || claimed.Message.ID != queued {
		t.Fatalf("ClaimOutbox = %s, %v; want the older message", claimed.Message.ID, err)
	}
	if claimed.Message.Body != "Your code is 111111" {
		t.Fatalf("a claimed message came without its body: %+v", claimed.Message)
	}
	e.restart()

	if n := e.deliver(); n != 1 {
		t.Fatalf("after the restart sent %d, want the unclaimed message only", n)
	}
	e.clock.Advance(outboxLease)
	if n := e.deliver(); n != 1 {
		t.Fatalf("once the dead worker's claim ended sent %d, want its message", n)
	}
	_, took := e.gw.counts()
	if took[queued] != 1 || took[inFlight] != 1 {
		t.Fatalf("the gateway took %v, want each message once", took)
	}
	e.wantGone(queued, OutboxSent)
	e.wantGone(inFlight, OutboxSent)
}

func TestOutboxExpiredMessageIsNotSentLate(t *testing.T) {
	e := newOutboxEnv(t, Config{OutboxBackoff: 20 * time.Second})
	e.gw.setDown(true)
	expires := testStart.Add(time.Minute)
	late := e.send(notify.ChannelSMS, "+4915112345671", "Your code is 111111", expires)
	e.deliver()
	if r := e.row(late); r.Status != OutboxPending {
		t.Fatalf("after one failure: %+v, want PENDING", r)
	}

	e.gw.setDown(false)
	e.clock.Advance(time.Minute)
	if n := e.deliver(); n != 0 {
		t.Fatalf("sent %d expired messages", n)
	}
	r := e.wantGone(late, OutboxFailed)
	if !strings.Contains(r.LastError, "expired") || !strings.Contains(r.LastError, "503") {
		t.Errorf("last error = %q, want it to say it expired and what failed before", r.LastError)
	}

	// A message whose next attempt would come after its expiry is given
	// up at once.
	e.gw.setDown(true)
	soon := e.send(notify.ChannelSMS, "+4915112345672", "Your code is 222222", e.clock.Now().Add(10*time.Second))
	e.deliver()
	e.wantGone(soon, OutboxFailed)

	if _, took := e.gw.counts(); len(took) != 0 {
		t.Fatalf("the gateway took %v, want nothing", took)
	}
}

func TestOutboxGivesUpAfterRetries(t *testing.T) {
	e := newOutboxEnv(t, Config{OutboxRetries: 3, OutboxBackoff: time.Minute})
	e.gw.setDown(true)
	id := e.send(notify.ChannelSMS, "+4915112345671", "Your code is 111111", time.Time{})
	for range 5 {
		e.deliver()
		e.clock.Advance(10 * time.Minute)
	}
	if requests, _ := e.gw.counts(); requests != 3 {
		t.Fatalf("the gateway got %d requests, want 3 (OutboxRetries)", requests)
	}
	r := e.wantGone(id, OutboxFailed)
	if r.Attempts != 3 || !strings.Contains(r.LastError, "503") {
		t.Errorf("message = %+v, want 3 attempts and the gateway's status as the last error", r)
	}
}

func TestOutboxChannelWithoutSender(t *testing.T) {
	e := newOutboxEnv(t, Config{}) // SMS only
	if !e.srv.canSend(notify.ChannelSMS) || e.srv.canSend(notify.ChannelEmail) {
		t.Fatalf("canSend(sms, email) = %v, %v; want true, false", e.srv.canSend(notify.ChannelSMS), e.srv.canSend(notify.ChannelEmail))
	}
	id := e.send(notify.ChannelEmail, "dana@example.com", "Your code is 111111", time.Time{})
	if n := e.deliver(); n != 0 {
		t.Fatalf("sent %d emails without a sender", n)
	}
	if r := e.wantGone(id, OutboxFailed); r.LastError != "no sender configured for email" {
		t.Errorf("last error = %q", r.LastError)
	}
}

// senderFunc is a Sender made of a function.
type senderFunc func(ctx context.Context, m notify.Message) error

func (f senderFunc) Send(ctx context.Context, m notify.Message) error { return f(ctx, m) }

func TestOutboxLastErrorNeverHoldsTheBody(t *testing.T) {
	echo := senderFunc(func(_ context.Context, m notify.Message) error {
		return errors.New("rejected:\n" + m.Body + "\n(too long)")
	})
	e := newOutboxEnv(t, Config{EmailSender: echo})
	id := e.send(notify.ChannelEmail, "dana@example.com", "Your code is 111111", time.Time{})
	e.deliver()
	if r := e.row(id); r.LastError != "rejected: [message text] (too long)" {
		t.Errorf("last error = %q, want the body cut out", r.LastError)
	}
	if strings.Contains(e.logs.String(), "111111") {
		t.Errorf("the log shows the body:\n%s", e.logs)
	}
}

func TestOutboxTwoWorkersSendEachMessageOnce(t *testing.T) {
	e := newOutboxEnv(t, Config{})
	var ids []string
	for i := range 20 {
		ids = append(ids, e.send(notify.ChannelSMS, fmt.Sprintf("+49151123456%02d", i), "Your code", time.Time{}))
	}
	// A second instance on the same database, as a second process would be.
	other, err := Open(context.Background(), storetest.DSN(t, e.path), WithSecretBox(testSecrets))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	workers := []*Server{e.srv, New(other, e.cfg)}

	var wg sync.WaitGroup
	sent := make([]int, len(workers))
	for i, w := range workers {
		wg.Go(func() {
			n, err := w.DeliverDue(context.Background())
			if err != nil {
				t.Errorf("worker %d: %v", i, err)
			}
			sent[i] = n
		})
	}
	wg.Wait()
	if sent[0]+sent[1] != len(ids) {
		t.Errorf("the workers sent %v, want %d in all", sent, len(ids))
	}
	requests, took := e.gw.counts()
	if requests != len(ids) {
		t.Errorf("the gateway got %d requests, want %d", requests, len(ids))
	}
	for _, id := range ids {
		if took[id] != 1 {
			t.Errorf("message %s taken %d times", id, took[id])
		}
	}
}

func TestRunOutboxDeliversWhenWoken(t *testing.T) {
	e := newOutboxEnv(t, Config{})
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		e.srv.RunOutbox(ctx)
	}()
	id := e.send(notify.ChannelSMS, "+4915112345671", "Your code is 111111", time.Time{})
	select {
	case got := <-e.gw.taken:
		if got != id {
			t.Fatalf("the gateway took %s, want %s", got, id)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("RunOutbox did not deliver the message within 10s")
	}
	// DeliverDue waits for the worker's pass to end, as Local.Deliver does.
	if n := e.deliver(); n != 0 {
		t.Errorf("a pass after the worker's sent %d more", n)
	}
	e.wantGone(id, OutboxSent)
	cancel()
	<-stopped
	if _, took := e.gw.counts(); took[id] != 1 {
		t.Errorf("the gateway took the message %d times", took[id])
	}
}

func TestOutboxMessagesListsWithoutBodies(t *testing.T) {
	e := newOutboxEnv(t, Config{})
	sms := e.send(notify.ChannelSMS, "+4915112345671", "Your code is 111111", time.Time{})
	email := e.send(notify.ChannelEmail, "dana@example.com", "Your code is 222222", time.Time{})
	e.deliver()
	all, err := e.store.OutboxMessages(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].Message.ID != sms || all[1].Message.ID != email {
		t.Fatalf("OutboxMessages = %+v, want the SMS then the email", all)
	}
	for _, r := range all {
		if r.Message.Body != "" || r.Message.Attachment != nil {
			t.Errorf("listed message %s has its body or attachment", r.Message.ID)
		}
	}
	failed, err := e.store.OutboxMessages(context.Background(), OutboxFailed)
	if err != nil || len(failed) != 1 || failed[0].Message.ID != email || failed[0].Message.Subject != "Your code" {
		t.Fatalf("OutboxMessages(FAILED) = %+v, %v; want the email", failed, err)
	}
}

func TestStartLocalWritesMessagesToFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	local, err := StartLocal(ctx, filepath.Join(dir, "demo.db"), Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("StartLocal: %v", err)
	}
	defer local.Close()
	if want := filepath.Join(dir, "messages"); local.MessagesDir != want {
		t.Fatalf("MessagesDir = %q, want %q", local.MessagesDir, want)
	}
	m := notify.Message{ID: "demo-1", Channel: notify.ChannelEmail, To: "demo@example.com", Subject: "Your code", Body: "Your code is 123456"}
	err = local.store.Atomically(ctx, func(tx Store) error {
		return local.srv.enqueue(ctx, tx, "", m, time.Time{})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := local.Deliver(ctx); err != nil {
		t.Fatalf("Deliver: %v", err)
	}
	got, err := notify.ReadMessages(local.MessagesDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Message != m {
		t.Fatalf("messages = %+v, want %+v", got, m)
	}
	if err := local.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}
