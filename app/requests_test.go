package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"selfservice/api"
	"selfservice/app"
	"selfservice/server"
)

// hotpTemplate is the demo template whose enrollment the helpdesk user
// must approve (server.SeedDemoApprovals).
const hotpTemplate = "hotp-app"

// approvalsBackend is a backend with the demo approval policies, and the
// demo user and the helpdesk user signed in.
type approvalsBackend struct {
	*backend
	requester, approver *app.Session
}

func newApprovalsBackend(t *testing.T) *approvalsBackend {
	t.Helper()
	b := newBackend(t)
	ctx := context.Background()
	if err := server.SeedDemoApprovals(ctx, b.store); err != nil {
		t.Fatal(err)
	}
	accounts, err := server.SeedDemo(ctx, b.store) // the existing accounts, with their secrets
	if err != nil {
		t.Fatal(err)
	}
	out := &approvalsBackend{backend: b}
	for _, u := range accounts.Users {
		s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
		b.signInAs(t, s, u)
		switch u.Username {
		case "demo":
			out.requester = s
		case "helpdesk":
			out.approver = s
		}
	}
	if out.requester == nil || out.approver == nil {
		t.Fatal("the demo accounts lack the demo or the helpdesk user")
	}
	return out
}

// signInAs signs a demo user in through both steps.
func (b *backend) signInAs(t *testing.T, s *app.Session, u server.DemoUser) {
	t.Helper()
	ctx := context.Background()
	ch, err := s.Login(ctx, b.url, u.Username, u.Password)
	if err != nil || ch == nil {
		t.Fatalf("Login %s = %v, %v; want a challenge", u.Username, ch, err)
	}
	if err := s.Verify(ctx, ch, ch.Methods[0].TokenID, b.code(t, u.TOTPSecret)); err != nil {
		t.Fatalf("Verify %s: %v", u.Username, err)
	}
}

// requestEnrollment has the demo user ask to enroll an HOTP token, which
// becomes a request for the helpdesk user.
func (b *approvalsBackend) requestEnrollment(t *testing.T, description string) api.ApprovalRequest {
	t.Helper()
	_, err := b.requester.EnrollToken(context.Background(), hotpTemplate, description)
	req, ok := api.ApprovalPending(err)
	if !ok {
		t.Fatalf("EnrollToken(%s) error = %v; want approval_pending", hotpTemplate, err)
	}
	return *req
}

func TestApproveRequestRunsWhenRequesterFinishes(t *testing.T) {
	b := newApprovalsBackend(t)
	ctx := context.Background()
	req := b.requestEnrollment(t, "Desk token")

	mine, err := b.requester.Requests(ctx, api.FilterPending)
	if err != nil || len(mine) != 1 || mine[0].ID != req.ID {
		t.Fatalf("requester's pending requests = %+v, %v; want the new request", mine, err)
	}
	inbox, err := b.approver.Inbox(ctx, "")
	if err != nil || len(inbox) != 1 || inbox[0].ID != req.ID || inbox[0].Status != api.RequestInApproval {
		t.Fatalf("approver's inbox = %+v, %v; want the request IN_APPROVAL", inbox, err)
	}
	if got := inbox[0].Parameters["template_id"]; got != hotpTemplate {
		t.Errorf("inbox request template_id = %q; want %q", got, hotpTemplate)
	}
	if n, err := b.approver.AwaitingDecision(ctx); err != nil || n != 1 {
		t.Errorf("AwaitingDecision = %d, %v; want 1", n, err)
	}

	approved, err := b.approver.ApproveRequest(ctx, req.ID, "  Checked with the user.  ")
	if err != nil {
		t.Fatalf("ApproveRequest: %v", err)
	}
	if approved.Status != api.RequestApproved || !approved.AwaitsRequester() {
		t.Errorf("approved request status %s, awaits requester %v; want APPROVED awaiting the requester", approved.Status, approved.AwaitsRequester())
	}
	if got := app.DecisionOf(approved, b.approver.User().ID); got != api.DecisionApproved {
		t.Errorf("DecisionOf(approver) = %q; want APPROVED", got)
	}
	if len(approved.Decisions) != 1 || approved.Decisions[0].Comment != "Checked with the user." {
		t.Errorf("decisions = %+v; want one with the trimmed comment", approved.Decisions)
	}
	if n, err := b.approver.AwaitingDecision(ctx); err != nil || n != 0 {
		t.Errorf("AwaitingDecision after approving = %d, %v; want 0", n, err)
	}

	seen, err := b.requester.Request(ctx, req.ID)
	if err != nil {
		t.Fatalf("Request: %v", err)
	}
	if got := events(seen); got != "created approved" {
		t.Errorf("history = %q; want %q", got, "created approved")
	}

	finishCtx := api.WithApproval(ctx, req.ID)
	created, err := b.requester.EnrollToken(finishCtx, seen.Parameters["template_id"], seen.Parameters["description"])
	if err != nil {
		t.Fatalf("finishing the enrollment: %v", err)
	}
	if created.Token.Description != "Desk token" || created.Token.Type != api.TypeHOTP {
		t.Errorf("created token = %+v; want the HOTP token Desk token", created.Token)
	}
	done, err := b.requester.Request(ctx, req.ID)
	if err != nil || done.AwaitsRequester() || done.ExecutedAt == nil {
		t.Errorf("request after finishing = %+v, %v; want it executed", done, err)
	}
	if pending, err := b.requester.Requests(ctx, ""); err != nil || len(pending) != 0 {
		t.Errorf("requester's pending requests after finishing = %d, %v; want none", len(pending), err)
	}
}

func TestDeclineRejectsRequest(t *testing.T) {
	b := newApprovalsBackend(t)
	ctx := context.Background()
	req := b.requestEnrollment(t, "")

	declined, err := b.approver.DeclineRequest(ctx, req.ID, "Use the app on your phone.")
	if err != nil {
		t.Fatalf("DeclineRequest: %v", err)
	}
	if declined.Status != api.RequestRejected {
		t.Errorf("status %s; want REJECTED", declined.Status)
	}
	if pending, err := b.approver.Inbox(ctx, api.FilterPending); err != nil || len(pending) != 0 {
		t.Errorf("pending inbox = %d, %v; want none", len(pending), err)
	}
	all, err := b.requester.Requests(ctx, api.FilterAll)
	if err != nil || len(all) != 1 || all[0].Status != api.RequestRejected {
		t.Fatalf("requester's requests = %+v, %v; want the REJECTED one", all, err)
	}
	if got := events(all[0]); got != "created declined" {
		t.Errorf("history = %q; want %q", got, "created declined")
	}
	if _, err := b.approver.ApproveRequest(ctx, req.ID, "Changed my mind."); err == nil {
		t.Error("approving a rejected request succeeded")
	}
	_, err = b.requester.EnrollToken(api.WithApproval(ctx, req.ID), hotpTemplate, "")
	if err == nil {
		t.Error("finishing a rejected enrollment succeeded")
	}
}

func TestRevokeRequest(t *testing.T) {
	b := newApprovalsBackend(t)
	ctx := context.Background()
	req := b.requestEnrollment(t, "")

	revoked, err := b.requester.RevokeRequest(ctx, req.ID)
	if err != nil {
		t.Fatalf("RevokeRequest: %v", err)
	}
	if revoked.Status != api.RequestRevoked || events(revoked) != "created revoked" {
		t.Errorf("revoked request: status %s, history %q; want REVOKED after created revoked", revoked.Status, events(revoked))
	}
	if n, err := b.approver.AwaitingDecision(ctx); err != nil || n != 0 {
		t.Errorf("AwaitingDecision after the revoke = %d, %v; want 0", n, err)
	}
	if _, err := b.approver.ApproveRequest(ctx, req.ID, "Fine."); err == nil {
		t.Error("approving a revoked request succeeded")
	}
	if _, err := b.requester.RevokeRequest(ctx, req.ID); err == nil {
		t.Error("revoking twice succeeded")
	}
}

func TestApproverCannotSeeOthersRequestsAsRequester(t *testing.T) {
	b := newApprovalsBackend(t)
	ctx := context.Background()
	req := b.requestEnrollment(t, "")

	if _, err := b.requester.InboxRequest(ctx, req.ID); !errors.Is(err, api.ErrNotFound) {
		t.Errorf("requester's InboxRequest of their own request: %v; want not_found", err)
	}
	if _, err := b.approver.Requests(ctx, ""); !errors.Is(err, api.ErrPrivilegeMissing) {
		t.Errorf("helpdesk Requests: %v; want privilege_missing", err)
	}
	got, err := b.approver.InboxRequest(ctx, req.ID)
	if err != nil || got.Requester.Username != "demo" {
		t.Errorf("InboxRequest = %+v, %v; want the demo user's request", got, err)
	}
}

func TestRequestCallsCheckInputFirst(t *testing.T) {
	b := newApprovalsBackend(t)
	ctx := context.Background()
	s := b.approver
	tooLong := strings.Repeat("x", api.MaxCommentLen+1)

	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"inbox with an unknown filter", func() error { _, err := s.Inbox(ctx, "open"); return err }, "status"},
		{"requests with an unknown filter", func() error { _, err := s.Requests(ctx, "ALL"); return err }, "status"},
		{"request without id", func() error { _, err := s.Request(ctx, ""); return err }, "id"},
		{"inbox request without id", func() error { _, err := s.InboxRequest(ctx, ""); return err }, "id"},
		{"revoke without id", func() error { _, err := s.RevokeRequest(ctx, ""); return err }, "id"},
		{"approve without comment", func() error { _, err := s.ApproveRequest(ctx, "r1", ""); return err }, "comment"},
		{"approve with a blank comment", func() error { _, err := s.ApproveRequest(ctx, "r1", " \n\t "); return err }, "comment"},
		{"decline without comment", func() error { _, err := s.DeclineRequest(ctx, "r1", ""); return err }, "comment"},
		{"decline with a too long comment", func() error { _, err := s.DeclineRequest(ctx, "r1", tooLong); return err }, "comment"},
		{"approve without id", func() error { _, err := s.ApproveRequest(ctx, "", "Fine."); return err }, "id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := b.requests.Load()
			err := tt.call()
			if fieldErrors(err)[tt.field] == "" {
				t.Errorf("error %v; want a field error on %s", err, tt.field)
			}
			if got := b.requests.Load() - before; got != 0 {
				t.Errorf("%d requests reached the server; want none", got)
			}
		})
	}
}

func TestRequestCallsWhileSignedOut(t *testing.T) {
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	if _, err := s.Inbox(context.Background(), ""); !errors.Is(err, api.ErrUnauthenticated) {
		t.Errorf("Inbox signed out: %v; want unauthenticated", err)
	}
	if _, err := s.AwaitingDecision(context.Background()); !errors.Is(err, api.ErrUnauthenticated) {
		t.Errorf("AwaitingDecision signed out: %v; want unauthenticated", err)
	}
}

// events lists a request's history events, separated by spaces.
func events(r api.ApprovalRequest) string {
	var out []string
	for _, h := range r.History {
		out = append(out, string(h.Event))
	}
	return strings.Join(out, " ")
}
