package client_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"selfservice/api"
	"selfservice/server"
)

// Approval by approvers end to end: the requester's My requests, the
// approvers' To approve, and the rules of deciding.

// approverFixture has demo (the requester, with a second ACTIVE token to
// disable), the demo helpdesk user and erin (an employee) as approvers of
// token.disable.
type approverFixture struct {
	b        *backend
	demo     person
	helpdesk person
	erin     person
	target   string // demo's second token
}

func newApproverFixture(t *testing.T, cfg server.Config, required int) approverFixture {
	t.Helper()
	b := newBackendWith(t, cfg)
	f := approverFixture{b: b, demo: b.signedIn(t, b.demo), helpdesk: b.signedIn(t, b.helpdesk), erin: b.newEmployee(t, "erin")}
	f.target, _ = b.addTOTP(t, f.demo.c)
	b.setPolicy(t, server.ApprovalPolicy{Operation: api.OpTokenDisable, Mode: api.ModeApprovers,
		Approvers: []string{"helpdesk", "erin"}, Required: required})
	return f
}

// request asks to disable the target and returns the request made.
func (f approverFixture) request(t *testing.T) api.ApprovalRequest {
	t.Helper()
	_, err := f.demo.c.DisableToken(context.Background(), f.target)
	return pendingRequest(t, err)
}

func TestApproverApprovalRunsTheActionOnce(t *testing.T) {
	f := newApproverFixture(t, server.Config{}, 1)
	ctx := context.Background()
	demo, helpdesk := f.demo, f.helpdesk

	_, err := demo.c.DisableToken(ctx, f.target)
	e := wantCode(t, err, api.CodeApprovalPending)
	if e.Status != 202 {
		t.Errorf("status %d; want 202", e.Status)
	}
	req := pendingRequest(t, err)
	approvers := []string{req.Approvers[0].Username, req.Approvers[1].Username}
	slices.Sort(approvers)
	if req.Status != api.RequestInApproval || req.Operation != api.OpTokenDisable || req.Target != f.target ||
		!strings.HasPrefix(req.TargetLabel, "TOTP-") || req.Requester.Username != "demo" || req.Required != 1 ||
		!slices.Equal(approvers, []string{"erin", "helpdesk"}) || len(req.Decisions) != 0 ||
		!slices.Equal(events(req), []api.RequestEvent{api.EventCreated}) || req.ExecutedAt != nil ||
		!req.ExpiresAt.Equal(f.b.clock.Now().Add(7*24*time.Hour)) {
		t.Fatalf("request = %+v; want demo's IN_APPROVAL token.disable of the token, for erin or helpdesk, expiring in 7 days", req)
	}
	if got := tokenStatus(t, demo, f.target); got != api.StatusActive {
		t.Fatalf("token while in approval is %s; want ACTIVE", got)
	}
	// Asking again finds the open request rather than making another.
	if again := f.request(t); again.ID != req.ID {
		t.Errorf("a second ask made request %s; want the open one %s", again.ID, req.ID)
	}

	mine, err := demo.c.Requests(ctx, api.FilterPending)
	if err != nil || len(mine) != 1 || mine[0].ID != req.ID {
		t.Fatalf("Requests(pending) = %+v, %v; want the request", mine, err)
	}
	inbox, err := helpdesk.c.Inbox(ctx, "")
	if err != nil || len(inbox) != 1 || inbox[0].ID != req.ID {
		t.Fatalf("Inbox() = %+v, %v; want the request", inbox, err)
	}

	// The comment is required.
	for _, blank := range []string{"", "  \n "} {
		_, err = helpdesk.c.ApproveRequest(ctx, req.ID, comment(blank))
		if fields := wantCode(t, err, api.CodeInvalidRequest).FieldErrors(); fields["comment"] == "" {
			t.Errorf("field errors = %v; want one for comment", fields)
		}
	}
	_, err = helpdesk.c.DeclineRequest(ctx, req.ID, comment(strings.Repeat("x", api.MaxCommentLen+1)))
	wantCode(t, err, api.CodeInvalidRequest)

	approved, err := helpdesk.c.ApproveRequest(ctx, req.ID, comment("  Fine by me.\n"))
	if err != nil {
		t.Fatalf("ApproveRequest: %v", err)
	}
	if approved.Status != api.RequestApproved || approved.ExecutedAt == nil || approved.AwaitsRequester() ||
		approved.Approvals() != 1 || approved.Decisions[0].Comment != "Fine by me." || approved.Decisions[0].Approver.Username != "helpdesk" ||
		!slices.Equal(events(approved), []api.RequestEvent{api.EventCreated, api.EventApproved, api.EventExecuted}) {
		t.Fatalf("approved request = %+v; want APPROVED and executed, with helpdesk's trimmed comment", approved)
	}
	if got := tokenStatus(t, demo, f.target); got != api.StatusDisabled {
		t.Errorf("token after approval is %s; want DISABLED", got)
	}

	// Decided: no longer pending, and no more decisions.
	_, err = f.erin.c.ApproveRequest(ctx, req.ID, comment("Me too."))
	wantCode(t, err, api.CodeInvalidState)
	_, err = helpdesk.c.DeclineRequest(ctx, req.ID, comment("Changed my mind."))
	wantCode(t, err, api.CodeInvalidState)
	_, err = demo.c.RevokeRequest(ctx, req.ID)
	wantCode(t, err, api.CodeInvalidState)
	if inbox, err := helpdesk.c.Inbox(ctx, api.FilterPending); err != nil || len(inbox) != 0 {
		t.Errorf("Inbox(pending) after the decision = %+v, %v; want none", inbox, err)
	}
	if all, err := helpdesk.c.Inbox(ctx, api.FilterAll); err != nil || len(all) != 1 || all[0].Status != api.RequestApproved {
		t.Errorf("Inbox(all) = %+v, %v; want the APPROVED request", all, err)
	}
	if mine, err := demo.c.Request(ctx, req.ID); err != nil || !slices.Equal(events(mine), events(approved)) {
		t.Errorf("Request = %+v, %v; want the history %v", mine, err, events(approved))
	}
}

func TestApprovalRules(t *testing.T) {
	ctx := context.Background()
	t.Run("N approvals complete it; nobody approves twice", func(t *testing.T) {
		f := newApproverFixture(t, server.Config{}, 2)
		req := f.request(t)
		if got, err := f.erin.c.ApproveRequest(ctx, req.ID, comment("One.")); err != nil || got.Status != api.RequestInApproval || got.Approvals() != 1 {
			t.Fatalf("first approval = %+v, %v; want still IN_APPROVAL with 1 approval", got, err)
		}
		_, err := f.erin.c.ApproveRequest(ctx, req.ID, comment("Again."))
		wantCode(t, err, api.CodeAlreadyDecided)
		if got := tokenStatus(t, f.demo, f.target); got != api.StatusActive {
			t.Fatalf("token after 1 of 2 approvals is %s; want ACTIVE", got)
		}
		got, err := f.helpdesk.c.ApproveRequest(ctx, req.ID, comment("Two."))
		if err != nil || got.Status != api.RequestApproved || got.Approvals() != 2 || got.ExecutedAt == nil {
			t.Fatalf("second approval = %+v, %v; want APPROVED and executed", got, err)
		}
		if got := tokenStatus(t, f.demo, f.target); got != api.StatusDisabled {
			t.Errorf("token after 2 of 2 approvals is %s; want DISABLED", got)
		}
	})
	t.Run("a later rejection is allowed and one rejection rejects", func(t *testing.T) {
		f := newApproverFixture(t, server.Config{}, 2)
		req := f.request(t)
		if _, err := f.erin.c.ApproveRequest(ctx, req.ID, comment("Yes.")); err != nil {
			t.Fatal(err)
		}
		got, err := f.erin.c.DeclineRequest(ctx, req.ID, comment("On second thought, no."))
		if err != nil || got.Status != api.RequestRejected || len(got.Decisions) != 1 || got.Decisions[0].Decision != api.DecisionDeclined {
			t.Fatalf("DeclineRequest = %+v, %v; want REJECTED with erin's decision now DECLINED", got, err)
		}
		_, err = f.helpdesk.c.ApproveRequest(ctx, req.ID, comment("Yes."))
		wantCode(t, err, api.CodeInvalidState)
		if got := tokenStatus(t, f.demo, f.target); got != api.StatusActive {
			t.Errorf("token after rejection is %s; want ACTIVE (unchanged)", got)
		}
		mine, err := f.demo.c.Requests(ctx, api.FilterPending)
		if err != nil || len(mine) != 0 {
			t.Errorf("Requests(pending) = %+v, %v; want none", mine, err)
		}
	})
	t.Run("revoked changes nothing", func(t *testing.T) {
		f := newApproverFixture(t, server.Config{}, 1)
		req := f.request(t)
		got, err := f.demo.c.RevokeRequest(ctx, req.ID)
		if err != nil || got.Status != api.RequestRevoked || events(got)[len(got.History)-1] != api.EventRevoked {
			t.Fatalf("RevokeRequest = %+v, %v; want REVOKED", got, err)
		}
		_, err = f.helpdesk.c.ApproveRequest(ctx, req.ID, comment("Too late."))
		wantCode(t, err, api.CodeInvalidState)
		_, err = f.demo.c.RevokeRequest(ctx, req.ID)
		wantCode(t, err, api.CodeInvalidState)
		if got := tokenStatus(t, f.demo, f.target); got != api.StatusActive {
			t.Errorf("token after revocation is %s; want ACTIVE", got)
		}
	})
	t.Run("expired changes nothing", func(t *testing.T) {
		f := newApproverFixture(t, server.Config{RequestTTL: 10 * time.Minute}, 1)
		req := f.request(t)
		f.b.clock.Advance(10 * time.Minute)
		_, err := f.helpdesk.c.ApproveRequest(ctx, req.ID, comment("Late."))
		wantCode(t, err, api.CodeInvalidState)
		got, err := f.demo.c.Request(ctx, req.ID)
		if err != nil || got.Status != api.RequestExpired || events(got)[len(got.History)-1] != api.EventExpired {
			t.Fatalf("Request = %+v, %v; want EXPIRED, ending its history", got, err)
		}
		if got := tokenStatus(t, f.demo, f.target); got != api.StatusActive {
			t.Errorf("token after expiry is %s; want ACTIVE", got)
		}
		if again := f.request(t); again.ID == req.ID || again.Status != api.RequestInApproval {
			t.Errorf("asking after expiry = %+v; want a new request", again)
		}
	})
	t.Run("an action that can no longer run saves nothing", func(t *testing.T) {
		f := newApproverFixture(t, server.Config{}, 1)
		req := f.request(t)
		if err := f.demo.c.DeleteToken(ctx, f.target); err != nil { // token.delete needs no approval here
			t.Fatal(err)
		}
		_, err := f.helpdesk.c.ApproveRequest(ctx, req.ID, comment("Yes."))
		if e := wantCode(t, err, api.CodeActionFailed); e.Details["reason"] != api.CodeNotFound {
			t.Errorf("details = %v; want reason not_found", e.Details)
		}
		got, err := f.helpdesk.c.InboxRequest(ctx, req.ID)
		if err != nil || got.Status != api.RequestInApproval || len(got.Decisions) != 0 {
			t.Fatalf("request after the failed approval = %+v, %v; want it IN_APPROVAL without decisions", got, err)
		}
		if got, err := f.helpdesk.c.DeclineRequest(ctx, req.ID, comment("The token is gone.")); err != nil || got.Status != api.RequestRejected {
			t.Errorf("DeclineRequest = %+v, %v; want REJECTED", got, err)
		}
	})
	t.Run("never your own request", func(t *testing.T) {
		f := newApproverFixture(t, server.Config{}, 1)
		erinTok, _ := f.b.addTOTP(t, f.erin.c)
		_, err := f.erin.c.DisableToken(ctx, erinTok)
		req := pendingRequest(t, err)
		if len(req.Approvers) != 1 || req.Approvers[0].Username != "helpdesk" {
			t.Errorf("approvers of erin's request = %+v; want helpdesk alone", req.Approvers)
		}
		_, err = f.erin.c.ApproveRequest(ctx, req.ID, comment("Mine, so yes."))
		wantCode(t, err, api.CodeSelfApproval)
		_, err = f.erin.c.DeclineRequest(ctx, req.ID, comment("Mine, so no."))
		wantCode(t, err, api.CodeSelfApproval)
	})
	t.Run("too few approvers besides the requester", func(t *testing.T) {
		f := newApproverFixture(t, server.Config{}, 1)
		f.b.setPolicy(t, server.ApprovalPolicy{Operation: api.OpTokenDisable, Mode: api.ModeApprovers, Group: server.RoleHelpdesk, Required: 2})
		_, err := f.demo.c.DisableToken(ctx, f.target)
		wantCode(t, err, api.CodeNoApprovers)
	})
	t.Run("only the requester and the approvers see it", func(t *testing.T) {
		f := newApproverFixture(t, server.Config{}, 1)
		f.b.setPolicy(t, server.ApprovalPolicy{Operation: api.OpTokenDisable, Mode: api.ModeApprovers, Approvers: []string{"helpdesk"}})
		req := f.request(t)
		_, err := f.erin.c.Request(ctx, req.ID)
		wantCode(t, err, api.CodeNotFound)
		_, err = f.erin.c.InboxRequest(ctx, req.ID)
		wantCode(t, err, api.CodeNotFound)
		_, err = f.erin.c.ApproveRequest(ctx, req.ID, comment("Not mine to decide."))
		wantCode(t, err, api.CodeNotFound)
		_, err = f.erin.c.RevokeRequest(ctx, req.ID)
		wantCode(t, err, api.CodeNotFound)
		_, err = f.demo.c.InboxRequest(ctx, req.ID)
		wantCode(t, err, api.CodeNotFound)
		if got, err := f.helpdesk.c.InboxRequest(ctx, req.ID); err != nil || got.ID != req.ID {
			t.Errorf("InboxRequest of the approver = %+v, %v", got, err)
		}
		if inbox, err := f.erin.c.Inbox(ctx, api.FilterAll); err != nil || len(inbox) != 0 {
			t.Errorf("erin's Inbox(all) = %+v, %v; want none", inbox, err)
		}
	})
	t.Run("privileges", func(t *testing.T) {
		f := newApproverFixture(t, server.Config{}, 1)
		_, err := f.helpdesk.c.Requests(ctx, api.FilterAll)
		if e := wantCode(t, err, api.CodePrivilegeMissing); e.Details["privilege"] != string(api.PrivMyRequestsList) {
			t.Errorf("details = %v; want privilege %s", e.Details, api.PrivMyRequestsList)
		}
		_, err = f.helpdesk.c.Request(ctx, "any")
		wantCode(t, err, api.CodePrivilegeMissing)
		_, err = f.demo.c.Inbox(ctx, "sometimes")
		wantCode(t, err, api.CodeInvalidRequest)
	})
}

// TestApprovedEnrollmentIsFinishedByTheRequester: with the demo policies,
// enrolling an HOTP token needs the helpdesk user's approval; once
// approved, the requester creates the token with the approved
// parameters, once.
func TestApprovedEnrollmentIsFinishedByTheRequester(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	if err := server.SeedDemoApprovals(ctx, b.store); err != nil {
		t.Fatal(err)
	}
	demo, helpdesk := b.signedIn(t, b.demo), b.signedIn(t, b.helpdesk)
	hotp := api.CreateTokenRequest{TemplateID: "hotp-app", Description: "Hardware token"}

	// Other templates need only a step-up.
	_, err := demo.c.CreateToken(ctx, api.CreateTokenRequest{TemplateID: "totp-app"})
	wantCode(t, err, api.CodeApprovalRequired)

	_, err = demo.c.CreateToken(ctx, hotp)
	req := pendingRequest(t, err)
	if req.Operation != api.OpTokenEnroll || req.Target != "hotp-app" || req.TargetLabel != "Authenticator app (HOTP)" ||
		req.Parameters["template_id"] != "hotp-app" || req.Parameters["description"] != "Hardware token" {
		t.Fatalf("request = %+v; want token.enroll of hotp-app with its parameters", req)
	}
	_, err = demo.c.CreateToken(api.WithApproval(ctx, req.ID), hotp)
	wantCode(t, err, api.CodeApprovalInvalid) // not approved yet

	approved, err := helpdesk.c.ApproveRequest(ctx, req.ID, comment("Go ahead."))
	if err != nil || approved.Status != api.RequestApproved || !approved.AwaitsRequester() ||
		!approved.ExpiresAt.Equal(b.clock.Now().Add(7*24*time.Hour)) {
		t.Fatalf("ApproveRequest = %+v, %v; want APPROVED, waiting for the requester for 7 days", approved, err)
	}
	if tokens, _ := demo.c.Tokens(ctx); len(tokens) != 1 {
		t.Fatalf("demo has %d tokens after the approval; want no new one until demo finishes", len(tokens))
	}
	if mine, err := demo.c.Requests(ctx, api.FilterPending); err != nil || len(mine) != 1 || !mine[0].AwaitsRequester() {
		t.Fatalf("Requests(pending) = %+v, %v; want the approved request waiting for demo", mine, err)
	}

	other := hotp
	other.Description = "Another token"
	_, err = demo.c.CreateToken(api.WithApproval(ctx, req.ID), other)
	wantCode(t, err, api.CodeApprovalInvalid)
	_, err = helpdesk.c.CreateToken(api.WithApproval(ctx, req.ID), hotp)
	wantCode(t, err, api.CodePrivilegeMissing)

	created, err := demo.c.CreateToken(api.WithApproval(ctx, req.ID), hotp)
	if err != nil || created.Token.Status != api.StatusPending || created.Token.Description != "Hardware token" || created.Provisioning == nil {
		t.Fatalf("CreateToken with the approved request = %+v, %v; want a PENDING token and its provisioning", created, err)
	}
	_, err = demo.c.CreateToken(api.WithApproval(ctx, req.ID), hotp)
	wantCode(t, err, api.CodeApprovalUsed)

	done, err := demo.c.Request(ctx, req.ID)
	if err != nil || done.AwaitsRequester() || done.ExecutedAt == nil ||
		!slices.Equal(events(done), []api.RequestEvent{api.EventCreated, api.EventApproved, api.EventExecuted}) {
		t.Errorf("Request after finishing = %+v, %v; want executed", done, err)
	}
	if mine, err := demo.c.Requests(ctx, api.FilterPending); err != nil || len(mine) != 0 {
		t.Errorf("Requests(pending) after finishing = %+v, %v; want none", mine, err)
	}
}
