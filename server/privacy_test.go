package server

import (
	"context"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"selfservice/api"
	"selfservice/server/docsample"
	"selfservice/server/notify"
)

// privacyTenant asks for two consents.
var privacyTenant = Tenant{Consents: []TenantConsent{
	{ID: "news", Title: "Product news", Description: "An email now and then.", URL: "https://example.com/news", Version: 1},
	{ID: "stats", Title: "Usage statistics", Description: "Which areas you use.", Version: 3},
}}

func (e *env) consents(session string) map[string]api.Consent {
	e.t.Helper()
	var out api.ConsentsResponse
	e.ok(e.call("GET", "/account/consents", session, nil), 200, &out)
	byID := map[string]api.Consent{}
	var order []string
	for _, c := range out.Consents {
		byID[c.ID] = c
		order = append(order, c.ID)
	}
	var want []string
	for _, c := range e.cfg.Tenant.Consents {
		want = append(want, c.ID)
	}
	if got := strings.Join(order, ","); got != strings.Join(want, ",") {
		e.t.Errorf("consents in the order %s; want the organisation's", got)
	}
	return byID
}

func (e *env) answerConsent(session, id string, granted bool) api.Consent {
	e.t.Helper()
	var out api.Consent
	e.ok(e.call("PUT", "/account/consents/"+id, session, api.SetConsentRequest{Granted: &granted}), 200, &out)
	return out
}

func TestConsentsAreOffUntilGrantedAndAskedAgainForANewVersion(t *testing.T) {
	e := newEnvWith(t, Config{Tenant: privacyTenant})
	u, _, alice := e.userWithToken("alice", RoleEmployee)
	_, _, bob := e.userWithToken("bob", RoleEmployee)

	news := e.consents(alice)["news"]
	if news.State != api.ConsentNotAsked || news.Granted() || news.AnsweredAt != nil || news.URL != "https://example.com/news" || news.Version != 1 {
		t.Fatalf("news before any answer = %+v; want not asked, off, with its link", news)
	}
	granted := e.answerConsent(alice, "news", true)
	if granted.State != api.ConsentGranted || granted.AnsweredAt == nil || !granted.AnsweredAt.Equal(e.clock.Now()) || granted.AnsweredVersion != 1 {
		t.Errorf("granted = %+v", granted)
	}
	e.clock.Advance(time.Minute)
	e.answerConsent(alice, "news", true) // the same answer again: no new history entry
	e.answerConsent(alice, "stats", false)
	if got := e.consents(alice); got["news"].State != api.ConsentGranted || got["stats"].State != api.ConsentDeclined {
		t.Errorf("alice's consents = %+v", got)
	}
	if got := e.consents(bob)["news"]; got.State != api.ConsentNotAsked {
		t.Errorf("bob's news = %+v; alice's answer is hers", got)
	}

	// Bad input changes nothing.
	e.apiErr(e.call("PUT", "/account/consents/unknown", alice, api.SetConsentRequest{Granted: new(bool)}), api.CodeNotFound)
	bad := e.apiErr(e.call("PUT", "/account/consents/news", alice, map[string]any{}), api.CodeInvalidRequest)
	if bad.FieldErrors()["granted"] == "" {
		t.Errorf("a body without granted: %+v; want a field error of granted", bad)
	}
	e.apiErr(e.call("PUT", "/account/consents/news", alice, `{"granted": "yes"}`), api.CodeInvalidRequest)
	if got := e.consents(alice)["news"]; got.State != api.ConsentGranted {
		t.Errorf("news after refused changes = %+v", got)
	}

	// A new version of the text asks again, and keeps the old answer's date.
	tenant := privacyTenant
	tenant.Consents = []TenantConsent{privacyTenant.Consents[0], privacyTenant.Consents[1]}
	tenant.Consents[0].Version = 2
	e2 := &env{t: t, path: e.path, store: e.store, cfg: e.cfg, clock: e.clock, logs: e.logs}
	e2.cfg.Tenant = tenant
	e2.handler = New(e.store, e2.cfg).Handler()
	news = e2.consents(alice)["news"]
	if news.State != api.ConsentNotAsked || news.Version != 2 || news.AnsweredVersion != 1 || news.AnsweredAt == nil {
		t.Errorf("news at version 2 = %+v; want not asked, last answered for version 1", news)
	}
	e2.answerConsent(alice, "news", false)

	history, err := e.store.ConsentHistory(context.Background(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range history {
		got = append(got, h.ConsentID+"/"+strconv.Itoa(h.Version)+"/"+boolWord(h.Granted))
	}
	if strings.Join(got, " ") != "news/1/granted stats/3/declined news/2/declined" {
		t.Errorf("history = %v", got)
	}
}

func boolWord(b bool) string {
	if b {
		return "granted"
	}
	return "declined"
}

func TestTenantConsentsAreChecked(t *testing.T) {
	consent := func(json string) string { return `{"consents": [` + json + `]}` }
	for _, c := range []struct{ name, json, want string }{
		{"bad id", consent(`{"id": "News!", "title": "News", "description": "d", "version": 1}`), `consents[0].id: "News!" is not an id`},
		{"twice", consent(`{"id": "news", "title": "News", "description": "d", "version": 1}, {"id": "news", "title": "N", "description": "d", "version": 1}`), `consents[1].id: "news" is the id of an earlier consent`},
		{"no title", consent(`{"id": "news", "description": "d", "version": 1}`), "consents[0].title"},
		{"no description", consent(`{"id": "news", "title": "News", "version": 1}`), "consents[0].description"},
		{"plain http", consent(`{"id": "news", "title": "News", "description": "d", "url": "http://example.com", "version": 1}`), "consents[0].url"},
		{"no version", consent(`{"id": "news", "title": "News", "description": "d"}`), "consents[0].version"},
		{"unknown field", consent(`{"id": "news", "title": "News", "description": "d", "version": 1, "default": true}`), `unknown field "default"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := ReadTenant(strings.NewReader(c.json)); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("ReadTenant(%s) = %v; want an error naming %s", c.json, err, c.want)
			}
		})
	}
	if demo := DemoTenant(); len(demo.Consents) < 3 {
		t.Errorf("the demo asks for %d consents; want the three of its README", len(demo.Consents))
	}
}

// demoEnv is a server on the demo's configuration and seeded demo
// accounts, its messages written to files.
func demoEnv(t *testing.T) (*env, DemoAccounts) {
	t.Helper()
	files := notify.NewFileSender(t.TempDir())
	e := newEnvWith(t, Config{Tenant: DemoTenant(), EmailSender: files, SMSSender: files})
	ctx := context.Background()
	demo, err := SeedDemo(ctx, e.store)
	if err == nil {
		err = SeedDemoApprovals(ctx, e.store)
	}
	if err == nil {
		err = SeedDemoQuestions(ctx, e.store, e.cfg.Tenant)
	}
	if err != nil {
		t.Fatal(err)
	}
	return e, demo
}

// signInDemo signs the demo user in with their password and TOTP token.
func (e *env) signInDemo(demo DemoAccounts, username string) (UserRecord, TokenRecord, string) {
	e.t.Helper()
	ctx := context.Background()
	u, err := e.store.UserByUsername(ctx, username)
	if err != nil {
		e.t.Fatal(err)
	}
	tokens, err := e.store.Tokens(ctx, u.ID)
	if err != nil || len(tokens) == 0 {
		e.t.Fatalf("tokens of %s: %v, %v", username, tokens, err)
	}
	password := ""
	for _, d := range demo.Users {
		if d.Username == username {
			password = d.Password
		}
	}
	e.clock.Advance(30 * time.Second)
	var l api.LoginResponse
	e.ok(e.call("POST", "/auth/login", "", api.LoginRequest{Username: username, Password: password}), 200, &l)
	var out api.SessionResponse
	e.ok(e.call("POST", "/auth/login/"+l.LoginID+"/verify", "", api.VerifyLoginRequest{TokenID: tokens[0].ID, OTP: e.totp(tokens[0], 0)}), 200, &out)
	return u, tokens[0], out.SessionToken
}

func TestExportHoldsTheUsersDataButNoSecret(t *testing.T) {
	e, demo := demoEnv(t)
	ctx := context.Background()
	u, tok, session := e.signInDemo(demo, "demo")
	_, bobTok, bob := e.userWithToken("bob", RoleEmployee)
	e.changeContact(bob, bobTok, "private_email", "bob.private@example.org")
	e.answerConsent(session, "product-news", true)
	e.answerConsent(session, "product-news", false)
	// A contact change waiting for its code: the code is in the outbox.
	e.changeContact(session, tok, "private_email", "demo.home@example.org")
	code := e.sentCode("demo.home@example.org")

	res := e.call("GET", "/account/export", session, nil)
	var out api.AccountExport
	e.ok(res, 200, &out)
	if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, "selfservice-data-demo-") {
		t.Errorf("Content-Disposition = %q; want an attachment named for the user", cd)
	}
	if out.FormatVersion != api.ExportFormatVersion || !out.ExportedAt.Equal(e.clock.Now()) {
		t.Errorf("format %d at %v", out.FormatVersion, out.ExportedAt)
	}
	if out.User.Username != "demo" || out.User.DisplayName != "Demo Employee" || out.User.Role != RoleEmployee || out.User.Enrollment != api.EnrollmentFull {
		t.Errorf("user = %+v", out.User)
	}
	if out.Profile.Fields["job_title"] != "Sales representative" {
		t.Errorf("profile = %+v", out.Profile)
	}
	if len(out.Contacts) != 3 || len(out.ContactChange) != 1 || out.ContactChange[0].Value != "demo.home@example.org" {
		t.Errorf("contacts %+v, changes %+v", out.Contacts, out.ContactChange)
	}
	if len(out.Tokens) != 1 || out.Tokens[0].ID != tok.ID {
		t.Errorf("tokens = %+v", out.Tokens)
	}
	if len(out.Questions) == 0 || out.Questions[0].Question == "" || len(out.Documents) != 2 {
		t.Errorf("questions %+v, documents %+v", out.Questions, out.Documents)
	}
	if len(out.Consents) != 1 || out.Consents[0].Granted || len(out.ConsentLog) != 2 || !out.ConsentLog[0].Granted {
		t.Errorf("consents %+v, history %+v", out.Consents, out.ConsentLog)
	}
	if len(out.Messages) == 0 || out.Messages[len(out.Messages)-1].To != "demo.home@example.org" {
		t.Errorf("messages = %+v", out.Messages)
	}
	if len(out.Invitations) != len(demoInvitations) || out.Invitations[0].Email == "" {
		t.Errorf("invitations = %+v; want the demo's %d", out.Invitations, len(demoInvitations))
	}
	// This one, and those of the demo's other devices.
	current := slices.IndexFunc(out.Sessions, func(s api.Session) bool { return s.Current })
	if len(out.Sessions) != 1+len(demoSessions) || current < 0 || out.Sessions[current].ID != e.sessions(session)[0].ID {
		t.Errorf("sessions = %+v", out.Sessions)
	}
	if len(out.SignIns) != len(demoActivity)+1 || !out.SignIns[0].Succeeded() {
		t.Errorf("sign-in activity = %+v; want the demo's and this sign-in first", out.SignIns)
	}

	// Not one secret of the user, nor anything of bob's.
	secrets := map[string]string{"the session token": session, "the code sent": code}
	var passwordHash, sessionHash, answerHash, codeHash string
	var sealedSeed, sealedAnswer []byte
	for _, q := range []struct {
		query string
		dest  any
	}{
		{`SELECT password_hash FROM users WHERE id = ?`, &passwordHash},
		{`SELECT token_hash FROM sessions WHERE user_id = ?`, &sessionHash},
		{`SELECT answer_hash FROM question_answers WHERE user_id = ? ORDER BY question_id LIMIT 1`, &answerHash},
		{`SELECT secret FROM question_answers WHERE user_id = ? ORDER BY question_id LIMIT 1`, &sealedAnswer},
		{`SELECT code_hash FROM contact_changes WHERE user_id = ?`, &codeHash},
		{`SELECT secret FROM tokens WHERE user_id = ?`, &sealedSeed},
	} {
		if err := e.queryRow(q.query, u.ID).Scan(q.dest); err != nil {
			t.Fatalf("%s: %v", q.query, err)
		}
	}
	answer, err := e.store.QuestionAnswer(ctx, u.ID, out.Questions[0].QuestionID)
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]string{
		"the password hash": passwordHash, "the session's hash": sessionHash, "the answer's hash": answerHash,
		"the code's hash": codeHash, "the answer": answer.Answer,
		"the sealed answer": base64.StdEncoding.EncodeToString(sealedAnswer), "the sealed seed": base64.StdEncoding.EncodeToString(sealedSeed),
		"the seed in base32": base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(tok.Secret),
		"the seed in hex":    hex.EncodeToString(tok.Secret), "the seed in base64": base64.StdEncoding.EncodeToString(tok.Secret),
		"bob's address": "bob.private@example.org", "bob's name": `"bob"`,
	} {
		secrets[name] = v
	}
	for name, v := range secrets {
		if v == "" {
			t.Fatalf("%s is empty: the test looks for nothing", name)
		}
		if strings.Contains(string(res.Body), v) {
			t.Errorf("the export holds %s", name)
		}
	}
}

// changeContact asks for a change of a contact field, which the demo's
// policy has the user confirm with tok.
func (e *env) changeContact(session string, tok TokenRecord, field, value string) {
	e.t.Helper()
	body := api.SetContactRequest{Value: value}
	id := e.stepUp(e.call("PUT", "/account/contacts/"+field, session, body), session, tok)
	e.ok(e.callApproved("PUT", "/account/contacts/"+field, session, id, body), 200, nil)
}

// deleteAccount deletes the account of session with a step-up of tok.
func (e *env) deleteAccount(session, username string, tok TokenRecord) response {
	e.t.Helper()
	body := api.DeleteAccountRequest{Username: username}
	id := e.stepUp(e.call("DELETE", "/account", session, body), session, tok)
	return e.callApproved("DELETE", "/account", session, id, body)
}

func TestDeletingTheAccountRemovesEverythingOfTheUser(t *testing.T) {
	storages(t, func(t *testing.T, dir string) {
		e, demo := demoEnv(t)
		if dir != "" {
			e.cfg.Tenant.Documents.Storage, e.cfg.Tenant.Documents.Directory = StorageDirectory, dir
			e.handler = New(e.store, e.cfg).Handler()
		}
		ctx := context.Background()
		u, tok, session := e.signInDemo(demo, "demo")
		_, _, other := e.signInDemo(demo, "demo") // a second session, on another computer
		_, bobTok, bob := e.userWithToken("bob", RoleEmployee)
		e.answerConsent(session, "usage-statistics", true)
		e.uploaded(session, "passport", "passport.png", docsample.PNG())
		e.changeContact(session, tok, "private_email", "demo.home@example.org")
		// The demo user approves a request of bob's.
		if err := SetApprovalPolicy(ctx, e.store, ApprovalPolicy{Operation: api.OpTokenDisable, Mode: api.ModeApprovers, Approvers: []string{"demo"}, Required: 1}); err != nil {
			t.Fatal(err)
		}
		e.addToken(bobTok.UserID, templateTOTP, api.StatusActive)
		var sent api.ApprovalRequestResponse
		e.ok(e.call("POST", "/tokens/"+bobTok.ID+"/disable", bob, nil), 202, &sent)
		e.ok(e.call("POST", "/inbox/"+sent.Request.ID+"/approve", session, api.DecisionRequest{Comment: "Fine by me"}), 200, nil)

		// A password reset link waiting to be used.
		if err := e.store.SaveLink(ctx, LinkRecord{TokenHash: hashToken(randomToken(32)), Purpose: linkPasswordReset, UserID: u.ID,
			CreatedAt: e.clock.Now(), ExpiresAt: e.clock.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}

		var summary api.DeletionSummary
		e.ok(e.call("GET", "/account/deletion", session, nil), 200, &summary)
		if summary.Username != "demo" || summary.Tokens != 1 || summary.Documents != 3 || summary.ContactValues != 3 || summary.VerificationAnswers == 0 ||
			summary.Consents != 1 || summary.Sessions != 2+len(demoSessions) || summary.AnonymisedDecisions != 1 || summary.ApprovalNeeded {
			t.Errorf("summary = %+v", summary)
		}
		files := countFiles(t, dir)

		// The username typed must be the user's own; nothing is asked for before.
		bad := e.apiErr(e.call("DELETE", "/account", session, api.DeleteAccountRequest{Username: "Demo"}), api.CodeInvalidRequest)
		if !strings.Contains(bad.FieldErrors()["username"], "demo") {
			t.Errorf("a wrong username: %+v; want a field error saying what to type", bad.FieldErrors())
		}
		e.apiErr(e.call("DELETE", "/account", session, map[string]string{}), api.CodeInvalidRequest)
		// The step-up is the user's and for this deletion only.
		body := api.DeleteAccountRequest{Username: "demo"}
		first := e.call("DELETE", "/account", session, body)
		e.apiErr(e.callApproved("DELETE", "/account", session, "not-an-approval", body), api.CodeApprovalInvalid)
		step, _ := api.ApprovalRequired(e.apiErr(first, api.CodeApprovalRequired))
		e.apiErr(e.callApproved("DELETE", "/account", session, step.ApprovalID, body), api.CodeApprovalInvalid) // not confirmed yet
		id := e.stepUp(first, session, tok)
		e.apiErr(e.callApproved("DELETE", "/account", bob, id, api.DeleteAccountRequest{Username: "bob"}), api.CodeApprovalInvalid)
		reveal := e.stepUp(e.call("POST", "/account/questions/first-pet/reveal", session, nil), session, tok)
		e.apiErr(e.callApproved("DELETE", "/account", session, reveal, body), api.CodeApprovalInvalid)
		if _, err := e.store.UserByID(ctx, u.ID); err != nil {
			t.Fatalf("the user is gone before the deletion: %v", err)
		}

		e.ok(e.callApproved("DELETE", "/account", session, id, body), 204, nil)
		e.apiErr(e.call("GET", "/me", session, nil), api.CodeUnauthenticated)
		e.apiErr(e.call("GET", "/me", other, nil), api.CodeUnauthenticated)
		e.apiErr(e.callApproved("DELETE", "/account", session, id, body), api.CodeUnauthenticated)
		e.apiErr(e.call("POST", "/auth/login", "", api.LoginRequest{Username: "demo", Password: "demo-password"}), api.CodeInvalidCredentials)
		for _, table := range []string{"tokens", "sessions", "contact_values", "contact_changes", "profile_values", "question_answers",
			"documents", "approval_requests", "approval_request_approvers", "approvals", "consents", "consent_history", "outbox", "links"} {
			var n int
			if err := e.queryRow(`SELECT count(*) FROM `+table+` WHERE user_id = ?`, u.ID).Scan(&n); err != nil {
				if table != "approval_requests" {
					t.Fatalf("%s: %v", table, err)
				}
				err = e.queryRow(`SELECT count(*) FROM approval_requests WHERE requester_id = ?`, u.ID).Scan(&n)
				if err != nil {
					t.Fatal(err)
				}
			}
			if n != 0 {
				t.Errorf("%s keeps %d rows of the deleted user", table, n)
			}
		}
		if got := countFiles(t, dir); dir != "" && got != files-1 {
			t.Errorf("%d files in the document directory after the deletion, %d before; want the user's one removed", got, files)
		}
		// Bob's request keeps the decision, without the demo user's name.
		var req api.ApprovalRequestResponse
		e.ok(e.call("GET", "/requests/"+sent.Request.ID, bob, nil), 200, &req)
		h := req.Request.History
		if len(h) < 2 || h[1].Event != api.EventApproved || h[1].Actor != nil || h[1].Comment != "Fine by me" {
			t.Errorf("bob's request history = %+v; want the approval kept without its approver", h)
		}
		if logs := e.logs.String(); !strings.Contains(logs, "Account deleted") {
			t.Errorf("the log does not tell of the deletion:\n%s", logs)
		}

		// The next start of the demo makes the demo user again.
		demo, err := SeedDemo(ctx, e.store)
		if err == nil {
			err = SeedDemoApprovals(ctx, e.store)
		}
		if err == nil {
			err = SeedDemoQuestions(ctx, e.store, e.cfg.Tenant)
		}
		if err != nil {
			t.Fatalf("seeding the demo again: %v", err)
		}
		_, _, again := e.signInDemo(demo, "demo")
		if got := e.consents(again)["usage-statistics"]; got.State != api.ConsentNotAsked {
			t.Errorf("the new demo user's consent = %+v; want nothing of the deleted one", got)
		}
	})
}

func countFiles(t *testing.T, dir string) int {
	t.Helper()
	if dir == "" {
		return 0
	}
	n := 0
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDeletingTheAccountWithApprovers(t *testing.T) {
	e, demo := demoEnv(t)
	ctx := context.Background()
	if err := SetApprovalPolicy(ctx, e.store, ApprovalPolicy{Operation: api.OpAccountDelete, Mode: api.ModeApprovers, Group: RoleHelpdesk, Required: 1}); err != nil {
		t.Fatal(err)
	}
	u, tok, session := e.signInDemo(demo, "demo")
	_, _, desk := e.signInDemo(demo, "helpdesk")
	var summary api.DeletionSummary
	e.ok(e.call("GET", "/account/deletion", session, nil), 200, &summary)
	if !summary.ApprovalNeeded {
		t.Errorf("summary = %+v; want the approval said", summary)
	}
	// The step-up comes first, then the request goes to the approvers.
	var sent api.ApprovalRequestResponse
	e.ok(e.deleteAccount(session, "demo", tok), 202, &sent)
	if sent.Request.Operation != api.OpAccountDelete || sent.Request.Status != api.RequestInApproval {
		t.Fatalf("sent = %+v", sent.Request)
	}
	var again api.ApprovalRequestResponse
	e.ok(e.deleteAccount(session, "demo", tok), 202, &again) // still waiting: the same request
	if again.Request.ID != sent.Request.ID {
		t.Errorf("a second request %s; want the open one %s", again.Request.ID, sent.Request.ID)
	}
	if _, err := e.store.UserByID(ctx, u.ID); err != nil {
		t.Fatalf("the user is gone before the approval: %v", err)
	}
	e.ok(e.call("POST", "/inbox/"+sent.Request.ID+"/approve", desk, api.DecisionRequest{Comment: "Leaving the company"}), 200, nil)
	if _, err := e.store.UserByID(ctx, u.ID); err != nil {
		t.Fatalf("the approval deleted the user: %v; the user does, with a step-up", err)
	}
	e.ok(e.deleteAccount(session, "demo", tok), 204, nil)
	if _, err := e.store.UserByID(ctx, u.ID); err == nil {
		t.Error("the user is still there")
	}
}

func TestPrivacyNeedsItsPrivileges(t *testing.T) {
	e, demo := demoEnv(t)
	_, _, desk := e.signInDemo(demo, "helpdesk")
	// Helpdesk staff see and answer their consents and get their data...
	e.answerConsent(desk, "product-news", true)
	e.ok(e.call("GET", "/account/export", desk, nil), 200, nil)
	// ...but IT manages their accounts.
	e.apiErr(e.call("GET", "/account/deletion", desk, nil), api.CodePrivilegeMissing)
	res := e.call("DELETE", "/account", desk, api.DeleteAccountRequest{Username: "helpdesk"})
	if missing := e.apiErr(res, api.CodePrivilegeMissing); missing.Details["privilege"] != string(api.PrivAccountDelete) {
		t.Errorf("refused for %v", missing.Details)
	}
	for _, path := range []string{"/account/consents", "/account/export", "/account/deletion"} {
		e.apiErr(e.call("GET", path, "", nil), api.CodeUnauthenticated)
	}
	e.apiErr(e.call("DELETE", "/account", "", api.DeleteAccountRequest{Username: "demo"}), api.CodeUnauthenticated)
}
