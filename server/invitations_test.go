package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"selfservice/api"
	"selfservice/server/notify"
)

// newInvitationsEnv is a server with the demo's configuration (its
// invitation templates, contact and profile fields), sending email to
// files.
func newInvitationsEnv(t *testing.T) *env {
	files := notify.NewFileSender(t.TempDir())
	return newEnvWith(t, Config{EmailSender: files, SMSSender: files, Tenant: DemoTenant()})
}

var invitationLinkPattern = regexp.MustCompile(regexp.QuoteMeta(testPublicURL) + `/invite/([A-Za-z0-9_-]{43})\b`)

// inviteToken is the token of the newest invitation link sent to address.
func (e *env) inviteToken(address string) string {
	e.t.Helper()
	return e.linkToken(invitationLinkPattern, address)
}

// contractor is an invitation from the demo's contractor template.
func contractor(name, email string) api.CreateInvitationRequest {
	return api.CreateInvitationRequest{TemplateID: "contractor", Name: name, Email: email,
		Fields: map[string]string{"department": "Research", "job_title": "Data engineer"}}
}

// invite creates an invitation without a policy and returns it, SENT.
func (e *env) invite(session string, req api.CreateInvitationRequest) api.Invitation {
	e.t.Helper()
	var out api.InvitationResponse
	e.ok(e.call("POST", "/invitations", session, req), http.StatusCreated, &out)
	return out.Invitation
}

func (e *env) invitation(session, id string) api.Invitation {
	e.t.Helper()
	var out api.InvitationResponse
	e.ok(e.call("GET", "/invitations/"+id, session, nil), http.StatusOK, &out)
	return out.Invitation
}

// invitePage opens the invitation page of token: GET, or POST with form.
func (e *env) invitePage(method, token string, form url.Values) (int, string, http.Header) {
	e.t.Helper()
	req := httptest.NewRequest(method, "/invite/"+token, strings.NewReader(form.Encode()))
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.RemoteAddr = testRemote
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String(), rec.Header()
}

func accept(username, password string) url.Values {
	return url.Values{"username": {username}, "password": {password}, "confirm": {password}}
}

func events(inv api.Invitation) []string {
	var out []string
	for _, ev := range inv.History {
		out = append(out, ev.Event)
	}
	return out
}

// TestInvitationAcceptedOnce: an invitation without a policy is sent at
// once; its page shows who invites and proposes a username; the form
// makes exactly one account, active, with the address confirmed and the
// template's fields in its profile; the sponsor is told; the first
// sign-in may only enroll a first method; the link then says it was used.
func TestInvitationAcceptedOnce(t *testing.T) {
	e := newInvitationsEnv(t)
	sponsor, _, session := e.userWithToken("alice", RoleEmployee)
	e.setVerified(session, "work_email", "alice@example.com")
	if _, err := e.store.UpdateProfile(context.Background(), sponsor.ID, func(p *ProfileRecord) error { p.DisplayName = "Alice Archer"; return nil }); err != nil {
		t.Fatal(err)
	}

	var templates api.InvitationTemplatesResponse
	e.ok(e.call("GET", "/invitation-templates", session, nil), http.StatusOK, &templates)
	if templates.Approval != api.ModeNone || len(templates.Templates) != 2 || templates.Templates[0].LinkDays != 7 ||
		len(templates.Templates[0].Fields) != 2 || templates.Templates[0].Fields[0].Label != "Department" || !templates.Templates[0].Fields[0].Required {
		t.Fatalf("templates = %+v; want the demo's, approval none", templates)
	}

	inv := e.invite(session, contractor(" Zoë van Dijk ", "Zoe@Partner.example"))
	if inv.Status != api.InvitationSent || inv.Name != "Zoë van Dijk" || inv.Email != "Zoe@partner.example" ||
		inv.ExpiresAt == nil || !inv.ExpiresAt.Equal(e.clock.Now().Add(7*24*time.Hour)) || inv.TemplateName != "External contractor" {
		t.Fatalf("invitation = %+v; want it SENT for 7 days", inv)
	}
	if got := strings.Join(events(inv), " "); got != "created sent" {
		t.Errorf("history %q; want created sent", got)
	}
	mail := e.lastMessageTo("Zoe@partner.example")
	if !strings.Contains(mail.Subject, "Alice Archer") || !strings.Contains(mail.Body, "7 days") {
		t.Errorf("email %q %q; want the sponsor and the lifetime", mail.Subject, mail.Body)
	}
	token := e.inviteToken("Zoe@partner.example")

	status, body, h := e.invitePage("GET", token, nil)
	if status != 200 || !strings.Contains(body, "Alice Archer") || !strings.Contains(body, `value="zoe.van.dijk"`) ||
		!strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") || h.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("page %d %q; want the sponsor and the proposed username under a strict policy", status, body)
	}
	if n := e.countRows("users"); n != 1 {
		t.Fatalf("%d users after opening the page; want only the sponsor", n)
	}

	// Refusals keep what was typed and create nothing.
	if status, body, _ = e.invitePage("POST", token, accept("zoe", "short")); status != 400 || !strings.Contains(body, "12 characters") || !strings.Contains(body, `value="zoe"`) {
		t.Errorf("weak password: %d %q; want the policy next to the field", status, body)
	}
	if status, body, _ = e.invitePage("POST", token, accept("Alice", newPassword)); status != 400 || !strings.Contains(body, "taken") {
		t.Errorf("taken username: %d %q; want it said", status, body)
	}
	mismatch := accept("zoe", newPassword)
	mismatch.Set("confirm", "something else")
	if status, body, _ = e.invitePage("POST", token, mismatch); status != 400 || !strings.Contains(body, "not the same") {
		t.Errorf("mismatch: %d %q; want it said", status, body)
	}
	if n := e.countRows("users"); n != 1 {
		t.Fatalf("%d users after refusals; want only the sponsor", n)
	}

	if status, body, _ = e.invitePage("POST", token, accept(" Zoe ", newPassword)); status != 200 || !strings.Contains(body, "<strong>zoe</strong> is ready") {
		t.Fatalf("accept: %d %q; want the account ready", status, body)
	}
	if status, body, _ = e.invitePage("POST", token, accept("zoe2", newPassword)); status != http.StatusGone || !strings.Contains(body, "used already") {
		t.Errorf("second accept: %d %q; want 410 saying it was used", status, body)
	}
	if n := e.countRows("users"); n != 2 {
		t.Fatalf("%d users; want the sponsor and zoe", n)
	}
	inv = e.invitation(session, inv.ID)
	if inv.Status != api.InvitationAccepted || inv.Username != "zoe" || strings.Join(events(inv), " ") != "created sent accepted" {
		t.Errorf("invitation = %+v; want ACCEPTED by zoe", inv)
	}
	if m := e.lastMessageTo("alice@example.com"); !strings.Contains(m.Subject, "accepted") || !strings.Contains(m.Body, "zoe") {
		t.Errorf("sponsor's email %q %q; want the acceptance", m.Subject, m.Body)
	}

	var login api.LoginResponse
	e.ok(e.call("POST", "/auth/login", "", api.LoginRequest{Username: "zoe", Password: newPassword}), http.StatusOK, &login)
	if !login.EnrollmentRequired || login.SessionToken == "" {
		t.Fatalf("login %+v; want an enrollment session", login)
	}
	zoe, err := e.store.UserByUsername(context.Background(), "zoe")
	if err != nil {
		t.Fatal(err)
	}
	if zoe.DisplayName != "Zoë van Dijk" || zoe.Role != RoleEmployee {
		t.Errorf("zoe = %+v; want the invited name, employee", zoe)
	}
	if p := e.storedProfile(zoe.ID); p.Fields["department"] != "Research" || p.Fields["job_title"] != "Data engineer" {
		t.Errorf("profile %v; want the template's fields", p.Fields)
	}
	if owners, _ := e.store.UsersWithEmail(context.Background(), "zoe@partner.example"); len(owners) != 1 || owners[0].ID != zoe.ID {
		t.Errorf("owners of the address %v; want zoe, confirmed", owners)
	}
	if strings.Contains(e.logs.String(), token) || strings.Contains(e.logs.String(), newPassword) {
		t.Error("the token or the password is in the log")
	}
}

// TestInvitationRefusals: bad input names each field and stores nothing;
// an address with an account, or with an open invitation, is refused.
func TestInvitationRefusals(t *testing.T) {
	e := newInvitationsEnv(t)
	_, _, session := e.userWithToken("alice", RoleEmployee)
	_, _, bob := e.userWithToken("bob", RoleEmployee)
	e.setVerified(bob, "work_email", "bob@example.com")
	fields := func(req api.CreateInvitationRequest) map[string]string {
		t.Helper()
		return e.apiErr(e.call("POST", "/invitations", session, req), api.CodeInvalidRequest).FieldErrors()
	}
	if f := fields(api.CreateInvitationRequest{}); f["template_id"] == "" || f["name"] == "" || f["email"] == "" {
		t.Errorf("empty: %v; want template_id, name and email named", f)
	}
	if f := fields(api.CreateInvitationRequest{TemplateID: "nope", Name: "Zoe", Email: "zoe@example.com"}); f["template_id"] == "" {
		t.Errorf("unknown template: %v", f)
	}
	missing := contractor("Zoe", "zoe@example.com")
	missing.Fields = map[string]string{"office": "Prague"}
	if f := fields(missing); f["fields.department"] == "" || f["fields.office"] == "" {
		t.Errorf("missing and unknown fields: %v; want fields.department and fields.office named", f)
	}
	if f := fields(contractor("Bob again", "BOB@example.com")); !strings.Contains(f["email"], "account") {
		t.Errorf("address with an account: %v; want email named", f)
	}
	if n := e.countRows("invitations"); n != 0 {
		t.Fatalf("%d invitations stored; want none", n)
	}
	e.invite(session, contractor("Zoe", "zoe@example.com"))
	if f := fields(contractor("Zoe", "zoe@example.com")); !strings.Contains(f["email"], "invited") {
		t.Errorf("address invited already: %v; want email named", f)
	}
	if e := e.apiErr(e.call("GET", "/invitations?status=LOST", session, nil), api.CodeInvalidRequest); e.FieldErrors()["status"] == "" {
		t.Errorf("bad filter: %+v", e)
	}
}

// TestInvitationResendRecallDelete: a resend makes a new link and kills
// the old one, at most every 20 s; a recalled invitation's link shows a
// clear page and makes nothing; delete only while IN_APPROVAL or SENT;
// another sponsor's invitation is not found.
func TestInvitationResendRecallDelete(t *testing.T) {
	e := newInvitationsEnv(t)
	_, _, session := e.userWithToken("alice", RoleEmployee)
	_, _, mallory := e.userWithToken("mallory", RoleEmployee)
	inv := e.invite(session, contractor("Zoe", "zoe@example.com"))
	first := e.inviteToken("zoe@example.com")

	tooSoon := e.apiErr(e.call("POST", "/invitations/"+inv.ID+"/resend", session, nil), api.CodeResendTooSoon)
	if !strings.Contains(tooSoon.Message, "20 seconds") {
		t.Errorf("resend too soon: %q; want the wait", tooSoon.Message)
	}
	e.clock.Advance(21 * time.Second)
	var out api.InvitationResponse
	e.ok(e.call("POST", "/invitations/"+inv.ID+"/resend", session, nil), http.StatusOK, &out)
	second := e.inviteToken("zoe@example.com")
	if second == first || strings.Join(events(out.Invitation), " ") != "created sent resent" || !out.Invitation.SentAt.Equal(e.clock.Now()) {
		t.Fatalf("resent %+v; want a new link and the event", out.Invitation)
	}
	if status, body, _ := e.invitePage("GET", first, nil); status != http.StatusGone || !strings.Contains(body, "expired") {
		t.Errorf("old link: %d %q; want 410", status, body)
	}
	if status, _, _ := e.invitePage("GET", second, nil); status != 200 {
		t.Errorf("new link: %d; want the form", status)
	}

	// Another sponsor sees nothing of it.
	for _, call := range []struct{ method, path string }{
		{"GET", "/invitations/" + inv.ID}, {"POST", "/invitations/" + inv.ID + "/resend"},
		{"POST", "/invitations/" + inv.ID + "/recall"}, {"DELETE", "/invitations/" + inv.ID},
	} {
		e.apiErr(e.call(call.method, call.path, mallory, nil), api.CodeNotFound)
	}
	var list api.InvitationsResponse
	e.ok(e.call("GET", "/invitations", mallory, nil), http.StatusOK, &list)
	if len(list.Invitations) != 0 {
		t.Errorf("mallory lists %v; want none", list.Invitations)
	}

	e.ok(e.call("POST", "/invitations/"+inv.ID+"/recall", session, nil), http.StatusOK, &out)
	if out.Invitation.Status != api.InvitationRecalled {
		t.Errorf("recalled %+v", out.Invitation)
	}
	if status, body, _ := e.invitePage("POST", second, accept("zoe", newPassword)); status != http.StatusGone || !strings.Contains(body, "withdrew") {
		t.Errorf("recalled link: %d %q; want 410 saying so", status, body)
	}
	if n := e.countRows("users"); n != 2 {
		t.Errorf("%d users; want no new account", n)
	}
	e.apiErr(e.call("POST", "/invitations/"+inv.ID+"/recall", session, nil), api.CodeInvalidState)
	e.apiErr(e.call("POST", "/invitations/"+inv.ID+"/resend", session, nil), api.CodeInvalidState)
	e.apiErr(e.call("DELETE", "/invitations/"+inv.ID, session, nil), api.CodeInvalidState)

	// A SENT one is deleted, and its link dies with it.
	other := e.invite(session, contractor("Yan", "yan@example.com"))
	yan := e.inviteToken("yan@example.com")
	e.ok(e.call("DELETE", "/invitations/"+other.ID, session, nil), http.StatusNoContent, nil)
	e.apiErr(e.call("GET", "/invitations/"+other.ID, session, nil), api.CodeNotFound)
	if status, _, _ := e.invitePage("GET", yan, nil); status != http.StatusGone {
		t.Errorf("deleted invitation's link: %d; want 410", status)
	}

	e.ok(e.call("GET", "/invitations?status=RECALLED", session, nil), http.StatusOK, &list)
	if len(list.Invitations) != 1 || list.Invitations[0].ID != inv.ID {
		t.Errorf("RECALLED ones: %v; want the first", list.Invitations)
	}
}

// TestInvitationExpiry: past its lifetime a SENT invitation is EXPIRED,
// at once when read and in the store after the purge; its link makes
// nothing, and the address may be invited again.
func TestInvitationExpiry(t *testing.T) {
	e := newInvitationsEnv(t)
	_, tok, session := e.userWithToken("alice", RoleEmployee)
	inv := e.invite(session, contractor("Zoe", "zoe@example.com"))
	token := e.inviteToken("zoe@example.com")
	e.clock.Advance(7*24*time.Hour + time.Second)
	session = e.signIn("alice", tok)

	got := e.invitation(session, inv.ID)
	if got.Status != api.InvitationExpired || strings.Join(events(got), " ") != "created sent expired" || got.ResendAt != nil {
		t.Errorf("invitation = %+v; want EXPIRED", got)
	}
	if status, body, _ := e.invitePage("POST", token, accept("zoe", newPassword)); status != http.StatusGone || !strings.Contains(body, "expired") {
		t.Errorf("expired link: %d %q; want 410", status, body)
	}
	e.apiErr(e.call("POST", "/invitations/"+inv.ID+"/resend", session, nil), api.CodeInvalidState)
	e.apiErr(e.call("DELETE", "/invitations/"+inv.ID, session, nil), api.CodeInvalidState)

	n, err := e.store.ExpireInvitations(context.Background(), e.clock.Now())
	if err != nil || n != 1 {
		t.Fatalf("ExpireInvitations = %d, %v; want 1", n, err)
	}
	stored, err := e.store.Invitation(context.Background(), inv.ID)
	if err != nil || stored.Status != api.InvitationExpired || len(stored.History) != 3 {
		t.Errorf("stored %+v, %v; want EXPIRED with its event", stored, err)
	}
	if got := e.invitation(session, inv.ID); strings.Join(events(got), " ") != "created sent expired" {
		t.Errorf("history after the purge %v; want one expired event", events(got))
	}
	e.invite(session, contractor("Zoe", "zoe@example.com"))
}

// TestInvitationNeedsApproval: under a step-up the invitation is sent
// only once confirmed, for exactly the data confirmed; under approvers
// it waits IN_APPROVAL and the approval sends it; deleting one that
// waits revokes its request.
func TestInvitationNeedsApproval(t *testing.T) {
	e := newInvitationsEnv(t)
	_, tok, session := e.userWithToken("alice", RoleEmployee)
	_, _, approver := e.userWithToken("hank", RoleHelpdesk)

	e.setPolicy(ApprovalPolicy{Operation: api.OpInvitationCreate, Mode: api.ModeSelf})
	var templates api.InvitationTemplatesResponse
	e.ok(e.call("GET", "/invitation-templates", session, nil), http.StatusOK, &templates)
	if templates.Approval != api.ModeSelf {
		t.Errorf("approval %q; want self said up front", templates.Approval)
	}
	req := contractor("Zoe", "zoe@example.com")
	first := e.call("POST", "/invitations", session, req)
	if n := e.countRows("invitations"); n != 0 {
		t.Fatalf("%d invitations before the step-up; want none", n)
	}
	id := e.stepUp(first, session, tok)
	changed := req
	changed.Email = "eve@example.com"
	e.apiErr(e.callApproved("POST", "/invitations", session, id, changed), api.CodeApprovalInvalid)
	var out api.InvitationResponse
	e.ok(e.callApproved("POST", "/invitations", session, id, req), http.StatusCreated, &out)
	if out.Invitation.Status != api.InvitationSent {
		t.Errorf("after the step-up %+v; want SENT", out.Invitation)
	}
	e.inviteToken("zoe@example.com")

	e.setPolicy(ApprovalPolicy{Operation: api.OpInvitationCreate, Mode: api.ModeApprovers, Group: RoleHelpdesk})
	res := e.call("POST", "/invitations", session, contractor("Yan", "yan@example.com"))
	var pending api.ApprovalRequestResponse
	e.ok(res, http.StatusAccepted, &pending)
	var list api.InvitationsResponse
	e.ok(e.call("GET", "/invitations?status=IN_APPROVAL", session, nil), http.StatusOK, &list)
	if len(list.Invitations) != 1 || list.Invitations[0].RequestID != pending.Request.ID || list.Invitations[0].SentAt != nil {
		t.Fatalf("IN_APPROVAL ones: %+v; want Yan's with its request", list.Invitations)
	}
	yan := list.Invitations[0]
	if msgs := e.messagesTo("yan@example.com"); len(msgs) != 0 {
		t.Fatalf("%d emails to Yan before the approval; want none", len(msgs))
	}
	e.apiErr(e.call("POST", "/invitations/"+yan.ID+"/recall", session, nil), api.CodeInvalidState)
	e.ok(e.call("POST", "/inbox/"+pending.Request.ID+"/approve", approver, api.DecisionRequest{Comment: "Known partner"}), http.StatusOK, nil)
	got := e.invitation(session, yan.ID)
	if got.Status != api.InvitationSent || strings.Join(events(got), " ") != "created approved sent" || got.RequestID != "" {
		t.Errorf("after the approval %+v; want SENT", got)
	}
	e.inviteToken("yan@example.com")

	// Deleting one that waits revokes its request; a declined one is
	// DECLINED and cannot be deleted.
	e.ok(e.call("POST", "/invitations", session, contractor("Xia", "xia@example.com")), http.StatusAccepted, &pending)
	e.ok(e.call("GET", "/invitations?status=IN_APPROVAL", session, nil), http.StatusOK, &list)
	e.ok(e.call("DELETE", "/invitations/"+list.Invitations[0].ID, session, nil), http.StatusNoContent, nil)
	var req2 api.ApprovalRequestResponse
	e.ok(e.call("GET", "/requests/"+pending.Request.ID, session, nil), http.StatusOK, &req2)
	if req2.Request.Status != api.RequestRevoked {
		t.Errorf("request after the delete %+v; want REVOKED", req2.Request)
	}
	e.ok(e.call("POST", "/invitations", session, contractor("Wes", "wes@example.com")), http.StatusAccepted, &pending)
	e.ok(e.call("POST", "/inbox/"+pending.Request.ID+"/decline", approver, api.DecisionRequest{Comment: "Not a partner of ours"}), http.StatusOK, nil)
	e.ok(e.call("GET", "/invitations?status=DECLINED", session, nil), http.StatusOK, &list)
	if len(list.Invitations) != 1 || list.Invitations[0].Name != "Wes" || events(list.Invitations[0])[1] != api.InvitationEventDeclined {
		t.Fatalf("DECLINED ones: %+v; want Wes's", list.Invitations)
	}
	e.apiErr(e.call("DELETE", "/invitations/"+list.Invitations[0].ID, session, nil), api.CodeInvalidState)
	if msgs := e.messagesTo("wes@example.com"); len(msgs) != 0 {
		t.Errorf("%d emails to Wes; want none", len(msgs))
	}
	// A declined invitation leaves the address free.
	e.ok(e.call("POST", "/invitations", session, contractor("Wes", "wes@example.com")), http.StatusAccepted, nil)
}

// TestInvitationPrivileges: the helpdesk role has none of the invitation
// privileges, and each call is refused naming the one it needs; with
// invitations off, nothing is offered.
func TestInvitationPrivileges(t *testing.T) {
	e := newInvitationsEnv(t)
	_, _, desk := e.userWithToken("hank", RoleHelpdesk)
	for _, c := range []struct {
		method, path string
		want         api.Privilege
	}{
		{"GET", "/invitation-templates", api.PrivInvitationCreate},
		{"GET", "/invitations", api.PrivInvitationView},
		{"POST", "/invitations", api.PrivInvitationCreate},
		{"POST", "/invitations/x/recall", api.PrivInvitationRecall},
		{"DELETE", "/invitations/x", api.PrivInvitationDelete},
	} {
		if got := privilegeRefused(e.call(c.method, c.path, desk, contractor("Zoe", "zoe@example.com"))); got != c.want {
			t.Errorf("%s %s as helpdesk: refused for %q; want %s", c.method, c.path, got, c.want)
		}
	}

	off := newEnvWith(t, Config{EmailSender: notify.NewFileSender(t.TempDir()), Tenant: Tenant{ContactFields: DemoTenant().ContactFields}})
	_, _, session := off.userWithToken("alice", RoleEmployee)
	off.apiErr(off.call("GET", "/invitation-templates", session, nil), api.CodeNotSupported)
	off.apiErr(off.call("POST", "/invitations", session, contractor("Zoe", "zoe@example.com")), api.CodeNotSupported)
}

func TestProposeUsername(t *testing.T) {
	for _, c := range []struct{ name, want string }{
		{"Zoë van Dijk", "zoe.van.dijk"},
		{"  Jiří  Novák ", "jiri.novak"},
		{"O'Brien-Smith", "o.brien.smith"},
		{"李", ""},
	} {
		if got := proposeUsername(c.name); got != c.want {
			t.Errorf("proposeUsername(%q) = %q; want %q", c.name, got, c.want)
		}
	}
}

func TestInvitationsSectionChecked(t *testing.T) {
	base := DemoTenant()
	for _, c := range []struct {
		change func(t *Tenant)
		want   string
	}{
		{func(t *Tenant) { t.Invitations.Templates[0].LinkDays = 31 }, "invitations.templates[0].link_days"},
		{func(t *Tenant) { t.Invitations.Templates[0].Role = RoleHelpdesk }, "invitations.templates[0].role"},
		{func(t *Tenant) { t.Invitations.Templates[1].ID = "contractor" }, "invitations.templates[1].id"},
		{func(t *Tenant) { t.Invitations.Templates[0].Fields[0].ID = "shoe_size" }, "invitations.templates[0].fields[0].id"},
		{func(t *Tenant) { t.Invitations.Templates[0].EmailField = "mobile" }, "invitations.templates[0].email_field"},
		{func(t *Tenant) { t.Invitations.Templates = nil }, "invitations.templates"},
	} {
		tenant := DemoTenant()
		tenant.Invitations.Templates = append([]InvitationTemplate(nil), base.Invitations.Templates...)
		for i := range tenant.Invitations.Templates {
			tenant.Invitations.Templates[i].Fields = append([]InvitationTemplateField(nil), base.Invitations.Templates[i].Fields...)
		}
		c.change(&tenant)
		if err := tenant.check(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("check = %v; want %s named", err, c.want)
		}
	}
	if (Tenant{}).Invitations.Enabled {
		t.Error("invitations on by default")
	}
}
