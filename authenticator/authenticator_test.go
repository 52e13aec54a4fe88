package authenticator_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"selfservice/api"
	"selfservice/authenticator"
	"selfservice/client"
	"selfservice/server"
	"selfservice/server/storetest"
)

func TestMain(m *testing.M) {
	server.UseFastPasswordHashing()
	os.Exit(m.Run())
}

// fixture is a real server on a SQLite file with the demo accounts
// (and no approval policies), its clock set by the test, and the demo
// user signed in on a desktop client.
type fixture struct {
	url     string
	now     time.Time
	demo    server.DemoUser
	desktop *client.Client
}

// clock is the server's: far from the real time, so that a device that
// dated its requests by the real clock would be refused.
func (f *fixture) clock() time.Time { return f.now }

func newFixture(t *testing.T) *fixture {
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
	f := &fixture{now: time.Date(2031, 2, 3, 4, 5, 6, 0, time.UTC)}
	srv := httptest.NewUnstartedServer(nil)
	srv.Config.Handler = server.New(store, server.Config{Secrets: box, Now: f.clock, Logger: slog.New(slog.DiscardHandler),
		PublicURL: "http://" + srv.Listener.Addr().String()}).Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	f.url = srv.URL
	for _, u := range accounts.Users {
		if u.Username == "demo" {
			f.demo = u
		}
	}
	f.desktop = f.client(t)
	login, err := f.desktop.Login(ctx, api.LoginRequest{Username: "demo", Password: f.demo.Password})
	if err != nil || len(login.Methods) == 0 {
		t.Fatalf("Login = %+v, %v; want a second step", login, err)
	}
	code, err := totp.GenerateCode(f.demo.TOTPSecret, f.now)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := f.desktop.VerifyLogin(ctx, login.LoginID, api.VerifyLoginRequest{TokenID: login.Methods[0].TokenID, OTP: code})
	if err != nil {
		t.Fatalf("VerifyLogin: %v", err)
	}
	f.desktop.SetSessionToken(sess.SessionToken)
	return f
}

// provision sets up a device for the demo user, dating its requests by
// the server's clock.
func (f *fixture) provision(t *testing.T) *authenticator.Device {
	t.Helper()
	d, err := authenticator.Provision(context.Background(), f.enroll(t), "Phone")
	if err != nil {
		t.Fatalf("Provision: %v", err)
	}
	d.Now = f.clock
	return d
}

func (f *fixture) client(t *testing.T) *client.Client {
	t.Helper()
	c, err := client.New(f.url, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// enroll starts the push token's enrollment on the desktop and returns
// the provisioning URI its QR code shows.
func (f *fixture) enroll(t *testing.T) string {
	t.Helper()
	created, err := f.desktop.CreateToken(context.Background(), api.CreateTokenRequest{TemplateID: "push-app"})
	if err != nil {
		t.Fatalf("CreateToken(push-app): %v", err)
	}
	if created.Push == nil {
		t.Fatalf("CreateToken(push-app) = %+v; want a provisioning payload", created)
	}
	return created.Push.URI
}

func TestProvisionSaveLoadAndApproveASignIn(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	uri := f.enroll(t)
	d, err := authenticator.Provision(ctx, uri, "Dana's phone")
	if err != nil {
		t.Fatalf("Provision: %v", err)
	}
	if d.ServerURL != f.url || d.Username != "demo" || d.DeviceID == "" || !strings.HasPrefix(d.Label, "PUSH-") {
		t.Errorf("device = %+v; want demo's push token on %s", d, f.url)
	}
	path := filepath.Join(t.TempDir(), "state", "device.json")
	if err := d.Save(path); err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700} {
		if info, err := os.Stat(file); err != nil || info.Mode().Perm() != want {
			t.Errorf("%s: mode %v (%v), want %v", file, info.Mode().Perm(), err, want)
		}
	}
	phone, err := authenticator.Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if _, err := phone.Pending(ctx); err == nil {
		t.Error("Pending dated by the real clock was accepted by a server 5 minutes off")
	}
	phone.Now = f.clock
	if phone.DeviceID != d.DeviceID || phone.ServerURL != d.ServerURL || phone.Username != d.Username || phone.Label != d.Label {
		t.Errorf("loaded %+v, saved %+v", phone, d)
	}

	// A sign-in on another desktop, confirmed by the loaded device.
	other := f.client(t)
	login, err := other.Login(ctx, api.LoginRequest{Username: "demo", Password: f.demo.Password})
	if err != nil {
		t.Fatal(err)
	}
	ch, err := other.LoginChallenge(ctx, login.LoginID, api.LoginChallengeRequest{TokenID: phone.DeviceID})
	if err != nil || ch.Push == nil {
		t.Fatalf("LoginChallenge = %+v, %v; want a push", ch, err)
	}
	verify := api.VerifyLoginRequest{TokenID: phone.DeviceID, PushID: ch.Push.ID}
	if _, err := other.VerifyLogin(ctx, login.LoginID, verify); !errors.Is(err, api.ErrPushPending) {
		t.Fatalf("VerifyLogin before the answer: %v, want push_pending", err)
	}
	pending, err := phone.Pending(ctx)
	if err != nil || len(pending) != 1 || pending[0].Summary != "Sign in as demo" {
		t.Fatalf("Pending = %+v, %v; want the sign-in", pending, err)
	}
	// Number matching: the desktop shows one of the three numbers the
	// phone offers; approving needs it.
	if !slices.Contains(pending[0].Choices, ch.Push.Number) || len(pending[0].Choices) != 3 {
		t.Fatalf("choices %v, shown %d; want three, the shown one among them", pending[0].Choices, ch.Push.Number)
	}
	if _, err := phone.AnswerByID(ctx, ch.Push.ID, api.PushApprove, 0); !errors.Is(err, authenticator.ErrPickNumber) {
		t.Errorf("approving without a number: %v, want ErrPickNumber", err)
	}
	req, err := phone.AnswerByID(ctx, ch.Push.ID, api.PushApprove, ch.Push.Number)
	if err != nil || req.ID != ch.Push.ID {
		t.Fatalf("AnswerByID = %+v, %v", req, err)
	}
	if _, err := other.VerifyLogin(ctx, login.LoginID, verify); err != nil {
		t.Fatalf("VerifyLogin after the approval: %v", err)
	}
	if _, err := phone.AnswerByID(ctx, ch.Push.ID, api.PushApprove, ch.Push.Number); !errors.Is(err, authenticator.ErrNotPending) {
		t.Errorf("answering again: %v, want ErrNotPending", err)
	}

	// The payload was used up.
	if _, err := authenticator.Provision(ctx, uri, "Another phone"); !errors.Is(err, api.ErrProvisioningInvalid) {
		t.Errorf("provisioning with a used payload: %v, want provisioning_invalid", err)
	}
}

// TestAWrongNumberRefusesTheSignIn: picking another of the three numbers
// than the desktop shows refuses the request, and the desktop is told.
func TestAWrongNumberRefusesTheSignIn(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	phone := f.provision(t)
	desktop := f.client(t)
	login, err := desktop.Login(ctx, api.LoginRequest{Username: "demo", Password: f.demo.Password})
	if err != nil {
		t.Fatal(err)
	}
	ch, err := desktop.LoginChallenge(ctx, login.LoginID, api.LoginChallengeRequest{TokenID: phone.DeviceID})
	if err != nil || ch.Push == nil {
		t.Fatalf("LoginChallenge = %+v, %v; want a push", ch, err)
	}
	pending, err := phone.Pending(ctx)
	if err != nil || len(pending) != 1 {
		t.Fatalf("Pending = %+v, %v", pending, err)
	}
	wrong := slices.IndexFunc(pending[0].Choices, func(n int) bool { return n != ch.Push.Number })
	err = phone.Answer(ctx, pending[0], api.PushApprove, pending[0].Choices[wrong])
	var e *api.Error
	if !errors.As(err, &e) || e.FieldErrors()["number"] == "" {
		t.Fatalf("approving with the wrong number: %v, want a field error on number", err)
	}
	verify := api.VerifyLoginRequest{TokenID: phone.DeviceID, PushID: ch.Push.ID}
	if _, err := desktop.VerifyLogin(ctx, login.LoginID, verify); !errors.Is(err, api.ErrPushDenied) {
		t.Errorf("VerifyLogin after a wrong number: %v, want push_denied", err)
	}
}

func TestScanLoginSignsTheDesktopIn(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	phone := f.provision(t)
	desktop := f.client(t)
	qr, err := desktop.BeginQRLogin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := desktop.VerifyQRLogin(ctx, qr.LoginID); !errors.Is(err, api.ErrPushPending) {
		t.Fatalf("VerifyQRLogin before the scan: %v, want push_pending", err)
	}
	if err := phone.ScanLogin(ctx, qr.URI, api.PushApprove); err != nil {
		t.Fatalf("ScanLogin: %v", err)
	}
	sess, err := desktop.VerifyQRLogin(ctx, qr.LoginID)
	if err != nil {
		t.Fatalf("VerifyQRLogin: %v", err)
	}
	desktop.SetSessionToken(sess.SessionToken)
	if me, err := desktop.Me(ctx); err != nil || me.User.Username != "demo" {
		t.Errorf("Me = %+v, %v; want demo", me.User, err)
	}

	qr, err = desktop.BeginQRLogin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := phone.ScanLogin(ctx, qr.URI, api.PushDeny); err != nil {
		t.Fatalf("ScanLogin deny: %v", err)
	}
	if _, err := desktop.VerifyQRLogin(ctx, qr.LoginID); !errors.Is(err, api.ErrPushDenied) {
		t.Errorf("VerifyQRLogin after the refusal: %v, want push_denied", err)
	}
}

func TestURIsAreChecked(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	for uri, want := range map[string]error{
		"https://example.com/provision?code=x":                    authenticator.ErrNotAuthenticatorURI,
		"otpauth://totp/demo?secret=ABC":                          authenticator.ErrNotAuthenticatorURI,
		"selfservice-push://login?server=x&request=y&challenge=z": authenticator.ErrLoginURI,
		"selfservice-push://unknown?server=x":                     authenticator.ErrNotAuthenticatorURI,
	} {
		if _, err := authenticator.Provision(ctx, uri, "Phone"); !errors.Is(err, want) {
			t.Errorf("Provision(%q): %v, want %v", uri, err, want)
		}
	}
	if _, err := authenticator.Provision(ctx, "selfservice-push://provision?server="+f.url, "Phone"); err == nil || !strings.Contains(err.Error(), "incomplete") {
		t.Errorf("Provision without a code: %v, want incomplete", err)
	}

	phone := f.provision(t)
	if err := phone.ScanLogin(ctx, "selfservice-push://provision?server=x&code=y", api.PushApprove); !errors.Is(err, authenticator.ErrProvisioningURI) {
		t.Errorf("ScanLogin of a provisioning URI: %v", err)
	}
	err := phone.ScanLogin(ctx, "selfservice-push://login?server=https://elsewhere.example&request=r&challenge=c", api.PushApprove)
	if err == nil || !strings.Contains(err.Error(), "https://elsewhere.example") {
		t.Errorf("ScanLogin of another server's code: %v", err)
	}
}

func TestLoadSaysWhatIsWrong(t *testing.T) {
	dir := t.TempDir()
	if _, err := authenticator.Load(filepath.Join(dir, "missing.json")); !errors.Is(err, authenticator.ErrNoState) {
		t.Errorf("Load of a missing file: %v, want ErrNoState", err)
	}
	damaged := filepath.Join(dir, "damaged.json")
	if err := os.WriteFile(damaged, []byte(`{"version":1,"server_url":"x","device_id":"y","private_key":"AAAA"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := authenticator.Load(damaged); err == nil || !strings.Contains(err.Error(), "provision the app again") {
		t.Errorf("Load of a damaged file: %v", err)
	}
}
