package server

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"selfservice/api"
	"selfservice/server/notify"
)

// newRegistrationEnv is a server with the demo's contact fields and
// registration on, sending email to files.
func newRegistrationEnv(t *testing.T) *env {
	files := notify.NewFileSender(t.TempDir())
	return newEnvWith(t, Config{EmailSender: files, SMSSender: files, Tenant: Tenant{
		ContactFields: DemoTenant().ContactFields,
		Registration:  TenantRegistration{Enabled: true},
		Recovery:      TenantRecovery{UsernameReminder: true},
	}})
}

const newPassword = "Lantern orbit 47 meadow"

var activationLinkPattern = regexp.MustCompile(regexp.QuoteMeta(testPublicURL) + `/activate/([A-Za-z0-9_-]{43})\b`)

// activationToken is the token of the newest activation link sent to
// address.
func (e *env) activationToken(address string) string {
	e.t.Helper()
	return e.linkToken(activationLinkPattern, address)
}

// register registers username with address and the good password.
func (e *env) register(username, address string) api.RecoverySent {
	e.t.Helper()
	var sent api.RecoverySent
	e.ok(e.call("POST", "/auth/register", "", api.RegisterRequest{Username: username, DisplayName: "Nora North",
		Email: address, Password: newPassword}), http.StatusOK, &sent)
	return sent
}

func TestRegisterActivateSignIn(t *testing.T) {
	e := newRegistrationEnv(t)
	sent := e.register(" Nora ", " nora@EXAMPLE.com")
	if !strings.Contains(sent.Message, "nora@example.com") || !sent.ResendAt.After(e.clock.Now()) {
		t.Errorf("answer %+v; want the address and the resend time", sent)
	}
	token := e.activationToken("nora@example.com")
	if body := e.lastMessageTo("nora@example.com").Body; !strings.Contains(body, "60 minutes") || !strings.Contains(body, "nora") {
		t.Errorf("email %q; want the username and the link's lifetime", body)
	}

	// Before the activation, the right password says what to do; a wrong
	// one is answered as for anyone.
	err := e.apiErr(e.call("POST", "/auth/login", "", api.LoginRequest{Username: "nora", Password: newPassword}), api.CodeActivationRequired)
	if !strings.Contains(err.Message, "n•••@example.com") || err.Details["email"] != "n•••@example.com" {
		t.Errorf("error %q %v; want the masked address", err.Message, err.Details)
	}
	wrong := e.call("POST", "/auth/login", "", api.LoginRequest{Username: "nora", Password: "wrong password 1"})
	unknown := e.call("POST", "/auth/login", "", api.LoginRequest{Username: "nobody", Password: "wrong password 1"})
	if wrong.Status != http.StatusUnauthorized || !bytes.Equal(wrong.Body, unknown.Body) {
		t.Errorf("wrong password %d %s; unknown user %d %s; want the same", wrong.Status, wrong.Body, unknown.Status, unknown.Body)
	}

	var done api.Activated
	e.ok(e.call("POST", "/auth/register/activate", "", api.ActivationRequest{Token: token}), http.StatusOK, &done)
	if done.Username != "nora" {
		t.Errorf("activated %+v; want nora", done)
	}
	e.apiErr(e.call("POST", "/auth/register/activate", "", api.ActivationRequest{Token: token}), api.CodeLinkInvalid)

	// Signing in gives a session that may only enroll a first method.
	var login api.LoginResponse
	e.ok(e.call("POST", "/auth/login", "", api.LoginRequest{Username: "nora", Password: newPassword}), http.StatusOK, &login)
	if !login.EnrollmentRequired || login.SessionToken == "" {
		t.Fatalf("login %+v; want an enrollment session", login)
	}
	var me api.MeResponse
	e.ok(e.call("GET", "/me", login.SessionToken, nil), http.StatusOK, &me)
	if me := me.User; me.Username != "nora" || me.DisplayName != "Nora North" || me.Role != RoleEmployee {
		t.Errorf("me = %+v; want nora, employee", me)
	}
	// The address is confirmed: the username reminder reaches it.
	e.clock.Advance(time.Minute)
	e.ok(e.call("POST", "/auth/username-reminder", "", api.UsernameReminderRequest{Email: "nora@example.com"}), http.StatusOK, nil)
	if m := e.lastMessageTo("nora@example.com"); !strings.Contains(m.Body, "    nora\n") {
		t.Errorf("reminder %q; want nora's username", m.Body)
	}
	if strings.Contains(e.logs.String(), token) || strings.Contains(e.logs.String(), newPassword) {
		t.Error("the token or the password is in the log")
	}
}

func TestRegistrationRefusals(t *testing.T) {
	e := newRegistrationEnv(t)
	e.addUser("alice", RoleEmployee)
	fields := func(req api.RegisterRequest) map[string]string {
		t.Helper()
		return e.apiErr(e.call("POST", "/auth/register", "", req), api.CodeInvalidRequest).FieldErrors()
	}
	good := api.RegisterRequest{Username: "nora", DisplayName: "Nora", Email: "nora@example.com", Password: newPassword}
	taken := good
	taken.Username = "Alice"
	if f := fields(taken); !strings.Contains(f["username"], "taken") {
		t.Errorf("taken username: %v; want username named", f)
	}
	bad := api.RegisterRequest{Username: "no ra", Email: "not an address"}
	if f := fields(bad); f["username"] == "" || f["display_name"] == "" || f["email"] == "" || f["password"] == "" {
		t.Errorf("bad form: %v; want every field named", f)
	}
	weak := good
	weak.Password = "short"
	if f := fields(weak); !strings.Contains(f["password"], "12") {
		t.Errorf("weak password: %v; want the policy on password", f)
	}
	if n := e.outboxCount(); n != 0 {
		t.Errorf("%d messages; want none", n)
	}
	if _, err := e.store.UserByUsername(context.Background(), "nora"); err != ErrNotFound {
		t.Errorf("nora after refusals: %v; want no account", err)
	}
}

func TestRegistrationWithAnAddressThatHasAnAccount(t *testing.T) {
	e := newRegistrationEnv(t)
	e.recoveryUser() // alice, with alice@example.com confirmed
	fresh := e.register("nora", "nora@example.com")
	e.clock.Advance(time.Minute)
	existing := e.register("mallory", "alice@EXAMPLE.com")
	if fresh.Message != strings.ReplaceAll(existing.Message, "alice@example.com", "nora@example.com") {
		t.Errorf("answers differ: %q and %q", fresh.Message, existing.Message)
	}
	m := e.lastMessageTo("alice@example.com")
	if !strings.Contains(m.Body, "You already have an account") || !strings.Contains(m.Body, "    alice\n") || activationLinkPattern.MatchString(m.Body) {
		t.Errorf("email %q; want alice told her username, no link", m.Body)
	}
	if _, err := e.store.UserByUsername(context.Background(), "mallory"); err != ErrNotFound {
		t.Errorf("mallory: %v; want no account made", err)
	}
}

func TestActivationLinkResendAndExpiry(t *testing.T) {
	e := newRegistrationEnv(t)
	e.register("nora", "nora@example.com")
	first := e.activationToken("nora@example.com")

	resend := func(username string) []byte {
		t.Helper()
		res := e.call("POST", "/auth/register/resend", "", api.RegisterResendRequest{Username: username})
		if res.Status != http.StatusOK {
			t.Fatalf("resend %q: %d %s", username, res.Status, res.Body)
		}
		return res.Body
	}
	known := resend("nora") // too soon: nothing sent
	for _, name := range []string{"nobody", "nora"} {
		if got := resend(name); !bytes.Equal(got, known) {
			t.Errorf("resend %q answered %s; nora %s", name, got, known)
		}
	}
	if n := len(e.messagesTo("nora@example.com")); n != 1 {
		t.Errorf("%d messages; want one link within the resend wait", n)
	}
	e.clock.Advance(21 * time.Second)
	resend("nora")
	second := e.activationToken("nora@example.com")
	if second == first {
		t.Fatal("no new link sent")
	}
	e.apiErr(e.call("POST", "/auth/register/activate", "", api.ActivationRequest{Token: first}), api.CodeLinkInvalid)

	// The new link expires after 60 minutes.
	e.clock.Advance(time.Hour)
	e.apiErr(e.call("POST", "/auth/register/activate", "", api.ActivationRequest{Token: second}), api.CodeLinkInvalid)
	e.apiErr(e.call("POST", "/auth/login", "", api.LoginRequest{Username: "nora", Password: newPassword}), api.CodeActivationRequired)
	e.apiErr(e.call("POST", "/auth/register/activate", "", api.ActivationRequest{Token: "short"}), api.CodeInvalidRequest)
}

func TestUnactivatedAccountsArePurged(t *testing.T) {
	e := newRegistrationEnv(t)
	e.addUser("alice", RoleEmployee) // activated: kept
	e.register("nora", "nora@example.com")
	ctx := context.Background()
	e.clock.Advance(unactivatedRetention - time.Minute)
	if err := e.store.PurgeExpired(ctx, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.UserByUsername(ctx, "nora"); err != nil {
		t.Fatalf("nora before two days: %v; want kept", err)
	}
	e.clock.Advance(2 * time.Minute)
	if err := e.store.PurgeExpired(ctx, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.UserByUsername(ctx, "nora"); err != ErrNotFound {
		t.Errorf("nora after two days: %v; want removed", err)
	}
	if _, err := e.store.UserByUsername(ctx, "alice"); err != nil {
		t.Errorf("alice: %v; want kept", err)
	}
	// The username is free again.
	e.register("nora", "nora@example.com")
}

func TestRegistrationIsOffUnlessConfigured(t *testing.T) {
	files := notify.NewFileSender(t.TempDir())
	off := newEnvWith(t, Config{EmailSender: files, Tenant: Tenant{ContactFields: DemoTenant().ContactFields}})
	var opts api.RecoveryOptions
	off.ok(off.call("GET", "/auth/recovery", "", nil), http.StatusOK, &opts)
	if opts.Registration || opts.PasswordPolicy != nil {
		t.Errorf("options %+v; want no registration", opts)
	}
	off.apiErr(off.call("POST", "/auth/register", "", api.RegisterRequest{Username: "nora", DisplayName: "Nora", Email: "nora@example.com", Password: newPassword}), api.CodeNotSupported)
	off.apiErr(off.call("POST", "/auth/register/resend", "", api.RegisterResendRequest{Username: "nora"}), api.CodeNotSupported)

	on := newRegistrationEnv(t)
	on.ok(on.call("GET", "/auth/recovery", "", nil), http.StatusOK, &opts)
	if !opts.Registration || opts.PasswordPolicy == nil || opts.PasswordPolicy.MinLength != 12 {
		t.Errorf("options %+v; want registration with the policy", opts)
	}

	for _, tc := range []struct {
		reg  TenantRegistration
		want string
	}{
		{TenantRegistration{Enabled: true, EmailField: "mobile"}, "registration.email_field"},
		{TenantRegistration{Enabled: true, Role: RoleHelpdesk}, "registration.role"},
		{TenantRegistration{LinkMinutes: 5000}, "registration.link_minutes"},
	} {
		err := Tenant{ContactFields: DemoTenant().ContactFields, Registration: tc.reg}.check()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("check %+v: %v; want %s named", tc.reg, err, tc.want)
		}
	}
	if err := (Config{Secrets: testSecrets, Tenant: Tenant{ContactFields: DemoTenant().ContactFields, Registration: TenantRegistration{Enabled: true}}}).Validate(); err == nil || !strings.Contains(err.Error(), "public") {
		t.Errorf("Validate without a public address: %v; want it asked for", err)
	}
}

func TestActivatePageInTheBrowser(t *testing.T) {
	e := newRegistrationEnv(t)
	e.register("nora", "nora@example.com")
	token := e.activationToken("nora@example.com")
	page := func(method string) (int, string, http.Header) {
		req := httptest.NewRequest(method, "/activate/"+token, nil)
		req.RemoteAddr = testRemote
		rec := httptest.NewRecorder()
		e.handler.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String(), rec.Header()
	}
	// Opening the page (as a mail scanner does) activates nothing.
	status, body, h := page("GET")
	if status != 200 || !strings.Contains(body, "Confirm my account") || !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("page %d %q; want the button under a strict policy", status, body)
	}
	e.apiErr(e.call("POST", "/auth/login", "", api.LoginRequest{Username: "nora", Password: newPassword}), api.CodeActivationRequired)
	if status, body, _ = page("POST"); status != 200 || !strings.Contains(body, "is active") {
		t.Errorf("confirm: %d %q; want the account active", status, body)
	}
	e.ok(e.call("POST", "/auth/login", "", api.LoginRequest{Username: "nora", Password: newPassword}), http.StatusOK, nil)
	if status, body, _ = page("GET"); status != http.StatusGone || !strings.Contains(body, "expired or was already used") {
		t.Errorf("used link: %d %q; want 410 saying so", status, body)
	}
}

// Two registrations waiting with one address: the first activated keeps
// it, the other cannot be activated, in the app or in the browser, and
// says which account has the address.
func TestOneAddressActivatesOneAccount(t *testing.T) {
	e := newRegistrationEnv(t)
	e.register("nora", "nora@example.com")
	first := e.activationToken("nora@example.com")
	e.clock.Advance(21 * time.Second) // past the wait between messages to one address
	e.register("nora2", "nora@example.com")
	second := e.activationToken("nora@example.com")
	if first == second {
		t.Fatal("the second registration sent no link of its own")
	}
	e.ok(e.call("POST", "/auth/register/activate", "", api.ActivationRequest{Token: second}), http.StatusOK, nil)

	res := e.call("POST", "/auth/register/activate", "", api.ActivationRequest{Token: first})
	e.apiErr(res, api.CodeLinkInvalid)
	if !strings.Contains(string(res.Body), "confirmed for the account nora2") {
		t.Errorf("refusal %s; want it to name nora2", res.Body)
	}
	req := httptest.NewRequest("POST", "/activate/"+first, nil)
	req.RemoteAddr = testRemote
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusGone || !strings.Contains(rec.Body.String(), "Sign in as nora2 instead") {
		t.Errorf("page %d %q; want 410 naming nora2", rec.Code, rec.Body.String())
	}
	e.apiErr(e.call("POST", "/auth/login", "", api.LoginRequest{Username: "nora", Password: newPassword}), api.CodeActivationRequired)
	owners, _, err := emailOwnersIn(context.Background(), e.store, "nora@example.com")
	if err != nil || len(owners) != 1 || owners[0].Username != "nora2" {
		t.Errorf("owners of the address %v, %v; want nora2 only", owners, err)
	}
}
