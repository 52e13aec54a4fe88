package server

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"database/sql"
	"encoding/base32"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"selfservice/api"
	"selfservice/server/storetest"
)

func TestMain(m *testing.M) {
	UseFastPasswordHashing()
	os.Exit(m.Run())
}

// testStart is the test clock's start: a fixed instant in the middle of
// a 30-second TOTP step.
var testStart = time.Date(2030, 1, 2, 3, 4, 10, 0, time.UTC)

// testClock is a clock the test moves by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// env is a server on a fresh SQLite file, with a test clock.
type env struct {
	t       *testing.T
	path    string // the database file
	store   *SQLStore
	cfg     Config
	clock   *testClock
	handler http.Handler
	logs    *syncBuffer
	headers http.Header // sent with every request (api.DeviceHeader, X-Forwarded-For)
}

const testPassword = "correct horse battery"

// testPublicURL is the servers' public address unless a test gives
// another: push tokens and QR sign-in need one.
const testPublicURL = "https://id.example.com"

// testRemote is where the test's requests come from unless they say
// otherwise (httptest's default client address).
const testRemote = "192.0.2.1:1234"

func newEnv(t *testing.T) *env {
	return newEnvWith(t, Config{})
}

// newEnvWith starts a server with cfg; its clock and logger are the
// test's, and its public address testPublicURL unless cfg has one.
func newEnvWith(t *testing.T, cfg Config) *env {
	t.Helper()
	return newEnvAt(t, filepath.Join(t.TempDir(), "selfservice.db"), cfg)
}

// newEnvAt is newEnvWith on the database at path, whose store has the
// keys of cfg.Secrets (default testSecrets).
func newEnvAt(t *testing.T, path string, cfg Config) *env {
	t.Helper()
	if cfg.Secrets == nil {
		cfg.Secrets = testSecrets
	}
	store := openStoreWith(t, path, cfg.Secrets)
	clock := &testClock{now: testStart}
	logs := &syncBuffer{}
	cfg.Now = clock.Now
	cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
	if cfg.PublicURL == "" {
		cfg.PublicURL = testPublicURL
	}
	if cfg.Tenant.StepUp.GraceSeconds == nil {
		// A test's sign-ins are moments old: without this, every step-up
		// they ask for would be confirmed by the grace. The grace tests
		// set one.
		noGrace := 0
		cfg.Tenant.StepUp.GraceSeconds = &noGrace
	}
	return &env{t: t, path: path, store: store, cfg: cfg, clock: clock, handler: New(store, cfg).Handler(), logs: logs, headers: http.Header{}}
}

// testSecrets holds the key of the tests' stores and servers.
var testSecrets = mustSecretBox(NewSecretKey())

func mustSecretBox(current SecretKey, previous ...SecretKey) *SecretBox {
	box, err := NewSecretBox(current, previous...)
	if err != nil {
		panic(err)
	}
	return box
}

// openStore opens the database at path with the tests' key.
func openStore(t *testing.T, path string) *SQLStore {
	t.Helper()
	return openStoreWith(t, path, testSecrets)
}

func openStoreWith(t *testing.T, path string, box *SecretBox) *SQLStore {
	t.Helper()
	store, err := Open(context.Background(), storetest.DSN(t, path), WithSecretBox(box))
	if err != nil {
		t.Fatalf("open the store: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	return store
}

// sqliteOnly skips a test of what only the SQLite store has (its file, its
// migrations) when the suite runs on PostgreSQL.
func sqliteOnly(t *testing.T) {
	t.Helper()
	if storetest.Postgres() {
		t.Skip("a test of the SQLite store")
	}
}

// queryRow, query and exec run SQL (with ? placeholders) on the test's
// database, past the store's methods, as a look at what it holds.
func (e *env) queryRow(query string, args ...any) *sql.Row {
	return e.store.conn().QueryRowContext(context.Background(), query, args...)
}

func (e *env) query(query string, args ...any) (*sql.Rows, error) {
	return e.store.conn().QueryContext(context.Background(), query, args...)
}

func (e *env) exec(query string, args ...any) (sql.Result, error) {
	return e.store.conn().ExecContext(context.Background(), query, args...)
}

// syncBuffer is a log sink safe for concurrent requests.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// response is what a request got.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// call sends a request to the handler. body is sent as is when it is a
// string, and as JSON otherwise (nil: no body). session, when not empty,
// is sent as the bearer token.
func (e *env) call(method, path, session string, body any) response {
	e.t.Helper()
	return e.callApproved(method, path, session, "", body)
}

// callApproved is call with approvalID in the approval header ("" for
// none).
func (e *env) callApproved(method, path, session, approvalID string, body any) response {
	e.t.Helper()
	return e.send(testRemote, method, path, session, approvalID, body)
}

// callFrom is call from the client address remote ("host:port").
func (e *env) callFrom(remote, method, path, session string, body any) response {
	e.t.Helper()
	return e.send(remote, method, path, session, "", body)
}

func (e *env) send(remote, method, path, session, approvalID string, body any) response {
	e.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.t.Fatalf("marshal request: %v", err)
		}
		r = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, api.BasePath+path, r)
	req.RemoteAddr = remote
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if session != "" {
		req.Header.Set("Authorization", "Bearer "+session)
	}
	if approvalID != "" {
		req.Header.Set(api.ApprovalHeader, approvalID)
	}
	for name, values := range e.headers {
		req.Header[name] = values
	}
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	return response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// ok fails unless the response has the status, then decodes it into out
// (when not nil).
func (e *env) ok(res response, status int, out any) {
	e.t.Helper()
	if res.Status != status {
		e.t.Fatalf("status %d, want %d; body %s", res.Status, status, res.Body)
	}
	if out != nil {
		if err := json.Unmarshal(res.Body, out); err != nil {
			e.t.Fatalf("decode %s: %v", res.Body, err)
		}
	}
}

// apiErr fails unless the response is the error envelope with this code
// and the status api.HTTPStatus gives it, and returns the error.
func (e *env) apiErr(res response, code string) *api.Error {
	e.t.Helper()
	var env api.ErrorEnvelope
	if err := json.Unmarshal(res.Body, &env); err != nil || env.Error == nil {
		e.t.Fatalf("body %s is not an error envelope (status %d)", res.Body, res.Status)
	}
	if env.Error.Code != code || res.Status != api.HTTPStatus(code) {
		e.t.Fatalf("got %d %s (%q), want %d %s", res.Status, env.Error.Code, env.Error.Message, api.HTTPStatus(code), code)
	}
	if env.Error.Message == "" {
		e.t.Errorf("error %s has no message", code)
	}
	return env.Error
}

// addUser creates a user with testPassword.
func (e *env) addUser(username, role string) api.User {
	e.t.Helper()
	u, err := AddUser(context.Background(), e.store, username, "", role, testPassword)
	if err != nil {
		e.t.Fatalf("AddUser(%s): %v", username, err)
	}
	return u
}

// addToken gives a user a token of the template directly in the store.
func (e *env) addToken(userID, templateID string, status api.TokenStatus) TokenRecord {
	e.t.Helper()
	tpl, err := e.store.Template(context.Background(), templateID)
	if err != nil {
		e.t.Fatalf("template %s: %v", templateID, err)
	}
	tok := newToken(userID, tpl, "", status, e.clock.Now())
	if err := e.store.CreateToken(context.Background(), tok, 0); err != nil {
		e.t.Fatalf("CreateToken: %v", err)
	}
	return tok
}

// token reads a token back from the store.
func (e *env) token(userID, id string) TokenRecord {
	e.t.Helper()
	tok, err := e.store.Token(context.Background(), userID, id)
	if err != nil {
		e.t.Fatalf("Token: %v", err)
	}
	return tok
}

// login runs the first sign-in step and expects a second one.
func (e *env) login(username string) api.LoginResponse {
	e.t.Helper()
	var out api.LoginResponse
	e.ok(e.call("POST", "/auth/login", "", api.LoginRequest{Username: username, Password: testPassword}), 200, &out)
	if out.LoginID == "" {
		e.t.Fatalf("login of %s gave no login_id: %+v", username, out)
	}
	return out
}

// signIn signs a user in with a TOTP token and returns the session token.
// It moves the clock one step on, so that every sign-in uses a fresh code.
func (e *env) signIn(username string, tok TokenRecord) string {
	e.t.Helper()
	e.clock.Advance(30 * time.Second)
	l := e.login(username)
	var out api.SessionResponse
	res := e.call("POST", "/auth/login/"+l.LoginID+"/verify", "", api.VerifyLoginRequest{TokenID: tok.ID, OTP: e.totp(tok, 0)})
	e.ok(res, 200, &out)
	return out.SessionToken
}

// totp is the token's code for the current step plus offset steps.
func (e *env) totp(tok TokenRecord, offset int64) string {
	return refCode(tok.Secret, e.clock.Now().Unix()/30+offset, tok.Digits)
}

// refCode is RFC 4226 HOTP with HMAC-SHA1, written out here so that the
// tests do not trust the server's own code generation.
func refCode(secret []byte, counter int64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(counter))
	mac := hmac.New(sha1.New, secret)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// userWithToken makes an employee (or other role) with one ACTIVE TOTP
// token and signs them in.
func (e *env) userWithToken(username, role string) (api.User, TokenRecord, string) {
	e.t.Helper()
	u := e.addUser(username, role)
	tok := e.addToken(u.ID, templateTOTP, api.StatusActive)
	return u, tok, e.signIn(username, tok)
}

func decodeSecret(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
	if err != nil {
		t.Fatalf("secret %q is not base32: %v", s, err)
	}
	return b
}
