package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"selfservice/api"
	"selfservice/client"
	"selfservice/server"
	"selfservice/server/storetest"
)

func TestMain(m *testing.M) {
	server.UseFastPasswordHashing()
	os.Exit(m.Run())
}

// backend is a real server on a SQLite file with the demo accounts, on
// the real clock (the command dates its requests by it), and the demo
// user signed in on a desktop client.
type backend struct {
	url     string
	demo    server.DemoUser
	desktop *client.Client
}

func newBackend(t *testing.T) *backend {
	t.Helper()
	ctx := context.Background()
	box, err := server.NewSecretBox(server.NewSecretKey())
	if err != nil {
		t.Fatal(err)
	}
	store, err := server.Open(ctx, storetest.DSN(t, filepath.Join(t.TempDir(), "selfservice.db")), server.WithSecretBox(box))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	accounts, err := server.SeedDemo(ctx, store)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	cfg := server.Config{Secrets: box, PublicURL: "http://" + srv.Listener.Addr().String(), Logger: slog.New(slog.DiscardHandler)}
	srv.Config.Handler = server.New(store, cfg).Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	b := &backend{url: srv.URL}
	for _, u := range accounts.Users {
		if u.Username == "demo" {
			b.demo = u
		}
	}
	b.desktop = b.client(t)
	login := b.login(t, b.desktop)
	code, err := totp.GenerateCode(b.demo.TOTPSecret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	sess, err := b.desktop.VerifyLogin(ctx, login.LoginID, api.VerifyLoginRequest{TokenID: login.Methods[0].TokenID, OTP: code})
	if err != nil {
		t.Fatalf("VerifyLogin: %v", err)
	}
	b.desktop.SetSessionToken(sess.SessionToken)
	return b
}

func (b *backend) client(t *testing.T) *client.Client {
	t.Helper()
	c, err := client.New(b.url, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (b *backend) login(t *testing.T, c *client.Client) api.LoginResponse {
	t.Helper()
	login, err := c.Login(context.Background(), api.LoginRequest{Username: "demo", Password: b.demo.Password})
	if err != nil || len(login.Methods) == 0 {
		t.Fatalf("Login = %+v, %v; want a second step", login, err)
	}
	return login
}

// provisioningURI enrolls the push token on the desktop.
func (b *backend) provisioningURI(t *testing.T) string {
	t.Helper()
	created, err := b.desktop.CreateToken(context.Background(), api.CreateTokenRequest{TemplateID: "push-app"})
	if err != nil || created.Push == nil {
		t.Fatalf("CreateToken(push-app) = %+v, %v; want a provisioning payload", created, err)
	}
	return created.Push.URI
}

// cli runs the command with a state file and returns its exit code and
// outputs.
type cli struct {
	t     *testing.T
	state string
}

func (c cli) run(stdin string, args ...string) (int, string, string) {
	c.t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"--state", c.state}, args...), strings.NewReader(stdin), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// ok runs the command and expects success.
func (c cli) ok(args ...string) string {
	c.t.Helper()
	code, stdout, stderr := c.run("", args...)
	if code != exitOK {
		c.t.Fatalf("%v: exit %d, stderr %q", args, code, stderr)
	}
	return stdout
}

// fails runs the command and expects exit code want with stderr saying
// what.
func (c cli) fails(want int, what string, args ...string) {
	c.t.Helper()
	code, _, stderr := c.run("", args...)
	if code != want || !strings.Contains(stderr, what) {
		c.t.Errorf("%v: exit %d, stderr %q; want exit %d saying %q", args, code, stderr, want, what)
	}
}

func TestProvisionApproveDenyAndScan(t *testing.T) {
	ctx := context.Background()
	b := newBackend(t)
	phone := cli{t: t, state: filepath.Join(t.TempDir(), "phone", "device.json")}
	phone.fails(exitError, "not set up yet", "status")

	uri := b.provisioningURI(t)
	out := phone.ok("provision", uri, "--name", "CLI phone")
	if !strings.Contains(out, "Set up for demo on "+b.url) {
		t.Errorf("provision said %q", out)
	}
	if info, err := os.Stat(phone.state); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("state file: %v, %v; want mode 0600", info, err)
	}
	phone.fails(exitError, "already set up for demo", "provision", uri)
	other := cli{t: t, state: filepath.Join(t.TempDir(), "other.json")}
	other.fails(exitError, "the QR code expired or was already used: ask the desktop for a new one", "provision", uri)
	if out := phone.ok("status"); !strings.Contains(out, "no requests are waiting") {
		t.Errorf("status said %q", out)
	}
	if out := phone.ok("pending"); out != "No requests are waiting.\n" {
		t.Errorf("pending said %q", out)
	}

	// Approve a sign-in on another desktop.
	desktop := b.client(t)
	login := b.login(t, desktop)
	tokenID := pushMethod(t, login)
	ch, err := desktop.LoginChallenge(ctx, login.LoginID, api.LoginChallengeRequest{TokenID: tokenID})
	if err != nil || ch.Push == nil {
		t.Fatalf("LoginChallenge = %+v, %v", ch, err)
	}
	out = phone.ok("pending")
	if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(ch.Push.ID) + `  Sign in as demo  \(sign-in, (1m\d\ds|2m0s) left\)$`).MatchString(out) {
		t.Errorf("pending said %q; want the request with its summary", out)
	}
	number := strconv.Itoa(ch.Push.Number)
	if !regexp.MustCompile(`(?m)^    Pick the number the computer shows: .*\b` + number + `\b`).MatchString(out) {
		t.Errorf("pending said %q; want the numbers to pick from, %s among them", out, number)
	}
	phone.fails(exitError, "pick the number the computer shows", "approve", ch.Push.ID)
	if out := phone.ok("approve", ch.Push.ID, "--number", number); out != "Approved: Sign in as demo\n" {
		t.Errorf("approve said %q", out)
	}
	if _, err := desktop.VerifyLogin(ctx, login.LoginID, api.VerifyLoginRequest{TokenID: tokenID, PushID: ch.Push.ID}); err != nil {
		t.Fatalf("VerifyLogin after the approval: %v", err)
	}
	phone.fails(exitError, "no request with this id is waiting", "approve", ch.Push.ID)

	// Deny one.
	login = b.login(t, desktop)
	ch, err = desktop.LoginChallenge(ctx, login.LoginID, api.LoginChallengeRequest{TokenID: tokenID})
	if err != nil {
		t.Fatal(err)
	}
	if out := phone.ok("deny", ch.Push.ID); out != "Denied: Sign in as demo\n" {
		t.Errorf("deny said %q", out)
	}
	if _, err := desktop.VerifyLogin(ctx, login.LoginID, api.VerifyLoginRequest{TokenID: tokenID, PushID: ch.Push.ID}); !errors.Is(err, api.ErrPushDenied) {
		t.Errorf("VerifyLogin after the refusal: %v, want push_denied", err)
	}

	// Sign in by QR code, the link read from standard input.
	qr, err := desktop.BeginQRLogin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	code, out, stderr := phone.run(qr.URI+"\n", "scan", "-")
	if code != exitOK || out != "Approved: Sign in as demo on the computer.\n" {
		t.Errorf("scan: exit %d, %q, %q", code, out, stderr)
	}
	if _, err := desktop.VerifyQRLogin(ctx, qr.LoginID); err != nil {
		t.Errorf("VerifyQRLogin after the scan: %v", err)
	}
	qr, err = desktop.BeginQRLogin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if out := phone.ok("scan", qr.URI, "--deny"); out != "Denied: the sign-in on the computer.\n" {
		t.Errorf("scan --deny said %q", out)
	}
	if _, err := desktop.VerifyQRLogin(ctx, qr.LoginID); !errors.Is(err, api.ErrPushDenied) {
		t.Errorf("VerifyQRLogin after the refusal: %v, want push_denied", err)
	}
	phone.fails(exitError, "already answered", "scan", qr.URI)

	// Once the token is deleted, the server no longer knows the device.
	if err := b.desktop.DeleteToken(ctx, tokenID); err != nil {
		t.Fatal(err)
	}
	phone.fails(exitError, "the server no longer knows this authenticator", "status")
}

// pushMethod is the login's push method.
func pushMethod(t *testing.T, login api.LoginResponse) string {
	t.Helper()
	for _, m := range login.Methods {
		if m.Type == api.TypePush {
			return m.TokenID
		}
	}
	t.Fatalf("methods %+v offer no push token", login.Methods)
	return ""
}

func TestBadCommandLines(t *testing.T) {
	phone := cli{t: t, state: filepath.Join(t.TempDir(), "device.json")}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "name a command"},
		{[]string{"launch"}, `unknown command "launch"`},
		{[]string{"provision"}, "give the link of the set-up QR code"},
		{[]string{"approve"}, "give the ID of a waiting request"},
		{[]string{"approve", "a", "b"}, "give the ID of a waiting request"},
		{[]string{"scan", "--now", "uri"}, "flag provided but not defined"},
		{[]string{"pending", "extra"}, "no arguments"},
	} {
		phone.fails(exitUsage, tc.want, tc.args...)
	}
	phone.fails(exitError, "must start with selfservice-push://", "provision", "https://example.com/not-a-code")
	phone.fails(exitError, "nothing to read on standard input", "provision", "-")
	if code, out, _ := phone.run("", "--help"); code != exitOK || !strings.Contains(out, "provision URI") {
		t.Errorf("--help: exit %d, %q", code, out)
	}
}
