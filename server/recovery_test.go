package server

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"selfservice/api"
	"selfservice/server/notify"
)

// newRecoveryEnv is a server with the demo's contact fields and both
// recoveries on, sending email to files.
func newRecoveryEnv(t *testing.T) *env {
	files := notify.NewFileSender(t.TempDir())
	demo := DemoTenant()
	return newEnvWith(t, Config{EmailSender: files, SMSSender: files, Tenant: Tenant{
		ContactFields: demo.ContactFields,
		Recovery:      TenantRecovery{PasswordReset: true, UsernameReminder: true},
	}})
}

// recoveryUser is alice with a session and the confirmed work address
// alice@example.com.
func (e *env) recoveryUser() (TokenRecord, string) {
	e.t.Helper()
	_, tok, session := e.userWithToken("alice", RoleEmployee)
	e.setVerified(session, "work_email", "alice@example.com")
	return tok, session
}

var resetLinkPattern = regexp.MustCompile(regexp.QuoteMeta(testPublicURL) + `/reset/([A-Za-z0-9_-]{43})\b`)

// resetToken is the token of the newest reset link sent to address.
func (e *env) resetToken(address string) string {
	e.t.Helper()
	return e.linkToken(resetLinkPattern, address)
}

// linkToken is the token of the link matching pattern in the newest
// message to address.
func (e *env) linkToken(pattern *regexp.Regexp, address string) string {
	e.t.Helper()
	m := e.lastMessageTo(address)
	match := pattern.FindStringSubmatch(m.Body)
	if match == nil {
		e.t.Fatalf("the newest message to %s holds no link like %s: %q", address, pattern, m.Body)
	}
	return match[1]
}

func TestPasswordResetByLink(t *testing.T) {
	e := newRecoveryEnv(t)
	_, session := e.recoveryUser()

	var sent api.RecoverySent
	e.ok(e.call("POST", "/auth/password-reset", "", api.PasswordResetRequest{Login: " Alice "}), http.StatusOK, &sent)
	token := e.resetToken("alice@example.com")
	if ttl := e.lastMessageTo("alice@example.com").Body; !strings.Contains(ttl, "30 minutes") || strings.Contains(ttl, testPassword) {
		t.Errorf("email %q; want the link's lifetime, 30 minutes", ttl)
	}
	var link api.ResetLink
	e.ok(e.call("POST", "/auth/password-reset/check", "", api.ResetLinkRequest{Token: token}), 200, &link)
	if link.Username != "alice" || !link.ExpiresAt.Equal(e.clock.Now().Add(30*time.Minute)) || link.Policy.MinLength != 12 {
		t.Errorf("link = %+v; want alice's, for 30 minutes, with the policy", link)
	}

	// A password the policy refuses leaves the link working.
	err := e.apiErr(e.call("POST", "/auth/password-reset/finish", "", api.ResetPasswordRequest{Token: token, NewPassword: "short"}), api.CodeInvalidRequest)
	if err.FieldErrors()["new_password"] == "" {
		t.Errorf("details %v; want new_password named", err.Details)
	}
	e.apiErr(e.call("POST", "/auth/password-reset/finish", "", api.ResetPasswordRequest{Token: token, NewPassword: testPassword}), api.CodeInvalidRequest)

	var done api.ResetPasswordResponse
	e.ok(e.call("POST", "/auth/password-reset/finish", "", api.ResetPasswordRequest{Token: token, NewPassword: "Lantern orbit 47 meadow"}), 200, &done)
	if done.SignedOut != 1 {
		t.Errorf("signed out %d sessions; want alice's one", done.SignedOut)
	}
	e.apiErr(e.call("GET", "/me", session, nil), api.CodeUnauthenticated)
	if m := e.lastMessageTo("alice@example.com"); !strings.Contains(m.Subject, "was reset") {
		t.Errorf("newest email %q; want the notice of the reset", m.Subject)
	}
	// The link worked once; the new password signs in, the old one not.
	e.apiErr(e.call("POST", "/auth/password-reset/finish", "", api.ResetPasswordRequest{Token: token, NewPassword: "Another lantern 48 orbit"}), api.CodeLinkInvalid)
	e.apiErr(e.call("POST", "/auth/password-reset/check", "", api.ResetLinkRequest{Token: token}), api.CodeLinkInvalid)
	e.apiErr(e.call("POST", "/auth/login", "", api.LoginRequest{Username: "alice", Password: testPassword}), api.CodeInvalidCredentials)
	e.ok(e.call("POST", "/auth/login", "", api.LoginRequest{Username: "alice", Password: "Lantern orbit 47 meadow"}), 200, nil)
}

func TestPasswordResetAnswersAlikeForEveryone(t *testing.T) {
	e := newRecoveryEnv(t)
	e.recoveryUser()
	e.userWithToken("bob", RoleEmployee) // no confirmed email address

	answer := func(login string) response {
		res := e.call("POST", "/auth/password-reset", "", api.PasswordResetRequest{Login: login})
		if res.Status != http.StatusOK {
			t.Fatalf("%q: %d %s", login, res.Status, res.Body)
		}
		return res
	}
	known := answer("alice")
	for _, login := range []string{"nobody", "bob", "nobody@example.com", "alice"} { // alice again: too soon, nothing sent
		if got := answer(login); !bytes.Equal(got.Body, known.Body) {
			t.Errorf("%q answered %s; alice %s", login, got.Body, known.Body)
		}
	}
	if n := len(e.messagesTo("alice@example.com")); n != 2 { // the code that confirmed it, one link
		t.Errorf("%d messages to alice; want the confirmation code and one link", n)
	}
	if n := e.outboxCount(); n != 2 {
		t.Errorf("%d messages in the outbox; want only alice's two", n)
	}
	// By the confirmed address, after the resend wait: a new link, and the
	// first one no longer works.
	first := e.resetToken("alice@example.com")
	e.clock.Advance(21 * time.Second)
	answer("ALICE@example.com")
	second := e.resetToken("alice@example.com")
	if second == first {
		t.Fatal("no new link sent by the email address")
	}
	e.apiErr(e.call("POST", "/auth/password-reset/check", "", api.ResetLinkRequest{Token: first}), api.CodeLinkInvalid)
	e.ok(e.call("POST", "/auth/password-reset/check", "", api.ResetLinkRequest{Token: second}), 200, nil)
	// It expires.
	e.clock.Advance(30 * time.Minute)
	e.apiErr(e.call("POST", "/auth/password-reset/check", "", api.ResetLinkRequest{Token: second}), api.CodeLinkInvalid)

	e.apiErr(e.call("POST", "/auth/password-reset", "", api.PasswordResetRequest{Login: " "}), api.CodeInvalidRequest)
	e.apiErr(e.call("POST", "/auth/password-reset/check", "", api.ResetLinkRequest{Token: "nope"}), api.CodeInvalidRequest)
	e.apiErr(e.call("POST", "/auth/password-reset/check", "", api.ResetLinkRequest{Token: strings.Repeat("A", api.LinkTokenLen)}), api.CodeLinkInvalid)
}

func TestUsernameReminder(t *testing.T) {
	e := newRecoveryEnv(t)
	e.recoveryUser()
	known := e.call("POST", "/auth/username-reminder", "", api.UsernameReminderRequest{Email: "Alice@Example.com"})
	unknown := e.call("POST", "/auth/username-reminder", "", api.UsernameReminderRequest{Email: "nobody@example.com"})
	if known.Status != http.StatusOK || !bytes.Equal(known.Body, unknown.Body) {
		t.Errorf("known %d %s, unknown %d %s; want the same 202", known.Status, known.Body, unknown.Status, unknown.Body)
	}
	if m := e.lastMessageTo("alice@example.com"); !strings.Contains(m.Body, "    alice\n") {
		t.Errorf("reminder %q; want the username", m.Body)
	}
	if n := e.outboxCount(); n != 2 {
		t.Errorf("%d messages; want the confirmation code and the reminder", n)
	}
	e.apiErr(e.call("POST", "/auth/username-reminder", "", api.UsernameReminderRequest{Email: "not an address"}), api.CodeInvalidRequest)
}

func TestRecoveryIsOffUnlessConfigured(t *testing.T) {
	files := notify.NewFileSender(t.TempDir())
	e := newEnvWith(t, Config{EmailSender: files})
	var opts api.RecoveryOptions
	e.ok(e.call("GET", "/auth/recovery", "", nil), 200, &opts)
	if opts.PasswordReset || opts.UsernameReminder {
		t.Errorf("options %+v; want none offered", opts)
	}
	e.apiErr(e.call("POST", "/auth/password-reset", "", api.PasswordResetRequest{Login: "alice"}), api.CodeNotSupported)
	e.apiErr(e.call("POST", "/auth/username-reminder", "", api.UsernameReminderRequest{Email: "a@example.com"}), api.CodeNotSupported)

	on := newRecoveryEnv(t)
	on.ok(on.call("GET", "/auth/recovery", "", nil), 200, &opts)
	if !opts.PasswordReset || !opts.UsernameReminder {
		t.Errorf("options %+v; want both offered", opts)
	}
	// Without email, neither is offered.
	noMail := newEnvWith(t, Config{Tenant: Tenant{Recovery: TenantRecovery{PasswordReset: true}}})
	noMail.ok(noMail.call("GET", "/auth/recovery", "", nil), 200, &opts)
	if opts.PasswordReset {
		t.Error("password reset offered by a server that cannot send email")
	}
	noMail.apiErr(noMail.call("POST", "/auth/password-reset", "", api.PasswordResetRequest{Login: "alice"}), api.CodeDeliveryUnavailable)

	if err := (Config{Secrets: testSecrets, Tenant: Tenant{Recovery: TenantRecovery{PasswordReset: true}}}).Validate(); err == nil || !strings.Contains(err.Error(), "public") {
		t.Errorf("Validate without a public address: %v; want it asked for", err)
	}
	if err := (Tenant{Recovery: TenantRecovery{ResetLinkMinutes: 2000}}).check(); err == nil || !strings.Contains(err.Error(), "recovery.reset_link_minutes") {
		t.Errorf("check: %v; want the field named", err)
	}
}

// outboxCount counts the outbox's messages.
func (e *env) outboxCount() int {
	e.t.Helper()
	var n int
	if err := e.queryRow(`SELECT count(*) FROM outbox`).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func TestResetPageInTheBrowser(t *testing.T) {
	e := newRecoveryEnv(t)
	e.recoveryUser()
	e.ok(e.call("POST", "/auth/password-reset", "", api.PasswordResetRequest{Login: "alice"}), http.StatusOK, nil)
	token := e.resetToken("alice@example.com")
	page := func(method, form string) (int, string, http.Header) {
		req := httptest.NewRequest(method, "/reset/"+token, strings.NewReader(form))
		req.RemoteAddr = testRemote
		if form != "" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		rec := httptest.NewRecorder()
		e.handler.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String(), rec.Header()
	}
	status, body, h := page("GET", "")
	if status != 200 || !strings.Contains(body, "<strong>alice</strong>") || !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("page %d %q; want alice's form with a strict policy", status, body)
	}
	if status, body, _ = page("POST", "new_password=Lantern+orbit+47+meadow&confirm=Lantern+orbit+47+meado"); status != 400 || !strings.Contains(body, "not the same") {
		t.Errorf("different passwords: %d; want the form again saying so", status)
	}
	if status, body, _ = page("POST", "new_password=short&confirm=short"); status != 400 || !strings.Contains(body, "at least 12 characters") {
		t.Errorf("short password: %d %q; want the policy's refusal", status, body)
	}
	if status, body, _ = page("POST", "new_password=Lantern+orbit+47+meadow&confirm=Lantern+orbit+47+meadow"); status != 200 || !strings.Contains(body, "Your password is set") {
		t.Errorf("good password: %d %q; want it set", status, body)
	}
	e.ok(e.call("POST", "/auth/login", "", api.LoginRequest{Username: "alice", Password: "Lantern orbit 47 meadow"}), 200, nil)
	if status, body, _ = page("GET", ""); status != http.StatusGone || !strings.Contains(body, "expired or was already used") {
		t.Errorf("used link: %d %q; want 410 saying so", status, body)
	}
	if strings.Contains(e.logs.String(), token) {
		t.Error("the link's token is in the log")
	}
}
