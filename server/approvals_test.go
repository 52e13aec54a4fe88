package server

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"selfservice/api"
)

func TestSetApprovalPolicyRefusesWhatCannotWork(t *testing.T) {
	e := newEnv(t)
	e.addUser("hank", RoleHelpdesk)
	e.addUser("emma", RoleEmployee)
	approvers := func(p ApprovalPolicy) ApprovalPolicy {
		p.Operation, p.Mode = api.OpTokenDelete, api.ModeApprovers
		return p
	}
	tests := []struct {
		name   string
		policy ApprovalPolicy
		field  string // "" means valid
		msg    string
	}{
		{"self", ApprovalPolicy{Operation: api.OpTokenDelete, Mode: api.ModeSelf}, "", ""},
		{"none", ApprovalPolicy{Operation: api.OpTokenDisable, Mode: api.ModeNone}, "", ""},
		{"approvers by name", approvers(ApprovalPolicy{Approvers: []string{"hank", "emma"}, Required: 2}), "", ""},
		{"a group", approvers(ApprovalPolicy{Group: RoleHelpdesk}), "", ""},
		{"per template", ApprovalPolicy{Operation: api.OpTokenEnroll, TemplateID: "hotp-app", Mode: api.ModeSelf}, "", ""},
		{"unknown operation", ApprovalPolicy{Operation: "password.change", Mode: api.ModeSelf}, "operation", "token.enroll, token.disable, token.delete"},
		{"unknown mode", ApprovalPolicy{Operation: api.OpTokenDelete, Mode: "manager"}, "mode", "none, self, approvers"},
		{"unknown template", ApprovalPolicy{Operation: api.OpTokenEnroll, TemplateID: "sms", Mode: api.ModeSelf}, "template", `"sms"`},
		{"approvers with mode self", ApprovalPolicy{Operation: api.OpTokenDelete, Mode: api.ModeSelf, Approvers: []string{"hank"}}, "mode", "only with the mode approvers"},
		{"no approvers", approvers(ApprovalPolicy{}), "approvers", "Name the approvers"},
		{"approvers and a group", approvers(ApprovalPolicy{Approvers: []string{"hank"}, Group: RoleHelpdesk}), "approvers", "not both"},
		{"unknown approver", approvers(ApprovalPolicy{Approvers: []string{"nobody"}}), "approvers", `"nobody"`},
		{"more approvals than approvers", approvers(ApprovalPolicy{Approvers: []string{"hank", "hank"}, Required: 2}), "required", "cannot get 2 approvals from the 1 approvers named"},
		{"negative approvals", approvers(ApprovalPolicy{Approvers: []string{"hank"}, Required: -1}), "required", "at least 1"},
		{"a group that is no role", approvers(ApprovalPolicy{Group: "managers"}), "group", "employee, helpdesk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := SetApprovalPolicy(context.Background(), e.store, tt.policy)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("SetApprovalPolicy = %v, want nil", err)
				}
				return
			}
			var apiErr *api.Error
			if !errors.As(err, &apiErr) || apiErr.FieldErrors()[tt.field] == "" {
				t.Fatalf("SetApprovalPolicy = %v, want an error for the field %s", err, tt.field)
			}
			if !strings.Contains(apiErr.Message, tt.msg) {
				t.Errorf("message %q, want it to contain %q", apiErr.Message, tt.msg)
			}
		})
	}
}

func TestApprovalPoliciesAreListedAndReplaced(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.addUser("hank", RoleHelpdesk)
	e.addUser("emma", RoleEmployee)
	set := func(p ApprovalPolicy) {
		t.Helper()
		if err := SetApprovalPolicy(ctx, e.store, p); err != nil {
			t.Fatal(err)
		}
	}
	set(ApprovalPolicy{Operation: api.OpTokenEnroll, Mode: api.ModeSelf})
	set(ApprovalPolicy{Operation: api.OpTokenEnroll, TemplateID: "hotp-app", Mode: api.ModeApprovers, Approvers: []string{"hank"}})
	set(ApprovalPolicy{Operation: api.OpTokenEnroll, TemplateID: "hotp-app", Mode: api.ModeApprovers, Approvers: []string{"emma", "hank"}, Required: 2})

	got, err := ApprovalPolicies(ctx, e.store)
	if err != nil {
		t.Fatal(err)
	}
	want := []ApprovalPolicy{
		{Operation: api.OpTokenEnroll, Mode: api.ModeSelf},
		{Operation: api.OpTokenEnroll, TemplateID: "hotp-app", Mode: api.ModeApprovers, Approvers: []string{"emma", "hank"}, Required: 2},
	}
	if !slices.EqualFunc(got, want, samePolicy) {
		t.Errorf("ApprovalPolicies = %+v, want %+v", got, want)
	}

	tests := []struct {
		template string
		want     api.ApprovalMode
	}{
		{"hotp-app", api.ModeApprovers}, // its own policy
		{"totp-app", api.ModeSelf},      // the operation's
	}
	for _, tt := range tests {
		p, err := policyFor(ctx, e.store, api.OpTokenEnroll, tt.template)
		if err != nil || p.Mode != tt.want {
			t.Errorf("policyFor(enroll, %s) = %+v, %v; want mode %s", tt.template, p, err, tt.want)
		}
	}
	if p, err := policyFor(ctx, e.store, api.OpTokenDelete, "hotp-app"); err != nil || p.Mode != api.ModeNone {
		t.Errorf("policyFor(delete) without a policy = %+v, %v; want mode none", p, err)
	}
}

func samePolicy(a, b ApprovalPolicy) bool {
	return a.Operation == b.Operation && a.TemplateID == b.TemplateID && a.Mode == b.Mode &&
		slices.Equal(a.Approvers, b.Approvers) && a.Group == b.Group && a.Required == b.Required
}

func TestSeedDemoApprovalsKeepsAnAdministratorsChanges(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if err := SeedDemoApprovals(ctx, e.store); err == nil || !strings.Contains(err.Error(), `"helpdesk"`) {
		t.Errorf("SeedDemoApprovals before SeedDemo = %v, want an error naming the missing helpdesk user", err)
	}
	if _, err := SeedDemo(ctx, e.store); err != nil {
		t.Fatal(err)
	}
	if err := SetApprovalPolicy(ctx, e.store, ApprovalPolicy{Operation: api.OpTokenDelete, Mode: api.ModeNone}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := SeedDemoApprovals(ctx, e.store); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ApprovalPolicies(ctx, e.store)
	if err != nil {
		t.Fatal(err)
	}
	want := []ApprovalPolicy{
		{Operation: api.OpContactUpdate, Mode: api.ModeSelf},
		{Operation: api.OpPasswordUpdate, Mode: api.ModeSelf},
		{Operation: api.OpTokenAddress, Mode: api.ModeSelf},
		{Operation: api.OpTokenDelete, Mode: api.ModeNone},
		{Operation: api.OpTokenDisable, Mode: api.ModeSelf},
		{Operation: api.OpTokenEnroll, Mode: api.ModeSelf},
		{Operation: api.OpTokenEnroll, TemplateID: "hotp-app", Mode: api.ModeApprovers, Approvers: []string{"helpdesk"}, Required: 1},
	}
	if !slices.EqualFunc(got, want, samePolicy) {
		t.Errorf("policies = %+v, want %+v", got, want)
	}
}

// TestAtomicallyRollsBackEverything: an approval used up and a token
// made in one transaction are both undone when a later step fails.
func TestAtomicallyRollsBackEverything(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	u := e.addUser("alice", RoleEmployee)
	approval := ApprovalRecord{IDHash: "h", UserID: u.ID, Operation: api.OpTokenEnroll, Target: "totp-app",
		ParamsHash: paramsHash(nil), Status: api.ApprovalVerified, CreatedAt: e.clock.Now(), ExpiresAt: e.clock.Now().Add(time.Minute)}
	if err := e.store.CreateApproval(ctx, approval); err != nil {
		t.Fatal(err)
	}
	tpl, err := e.store.Template(ctx, templateTOTP)
	if err != nil {
		t.Fatal(err)
	}
	failure := errors.New("a later step failed")
	err = e.store.Atomically(ctx, func(tx Store) error {
		if _, err := tx.UpdateApproval(ctx, "h", func(a *ApprovalRecord) error { a.Status = api.ApprovalUsed; return nil }); err != nil {
			return err
		}
		if err := tx.CreateToken(ctx, newToken(u.ID, tpl, "", api.StatusPending, e.clock.Now()), 0); err != nil {
			return err
		}
		return failure
	})
	if !errors.Is(err, failure) {
		t.Fatalf("Atomically = %v, want the step's error", err)
	}
	if a, err := e.store.Approval(ctx, "h"); err != nil || a.Status != api.ApprovalVerified {
		t.Errorf("approval after the rollback = %+v, %v; want it still VERIFIED", a, err)
	}
	if tokens, err := e.store.Tokens(ctx, u.ID); err != nil || len(tokens) != 0 {
		t.Errorf("tokens after the rollback = %d, %v; want none", len(tokens), err)
	}
}

func TestUpdateRequestOnlyAppendsHistory(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	u := e.addUser("alice", RoleEmployee)
	h := e.addUser("hank", RoleHelpdesk)
	now := e.clock.Now()
	req := RequestRecord{ID: "r1", RequesterID: u.ID, Operation: api.OpTokenDelete, Target: "t", TargetLabel: "TOTP-1",
		Parameters: map[string]string{}, ParamsHash: paramsHash(nil), Status: api.RequestInApproval, ApproverIDs: []string{h.ID},
		Required: 1, History: []HistoryRecord{{At: now, Event: api.EventCreated, ActorID: u.ID}}, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := e.store.CreateRequest(ctx, req); err != nil {
		t.Fatal(err)
	}
	_, err := e.store.UpdateRequest(ctx, "r1", func(r *RequestRecord) error {
		r.History[0].Comment = "rewritten"
		return nil
	})
	if err == nil {
		t.Error("rewriting the history was saved; want it refused")
	}
	got, err := e.store.UpdateRequest(ctx, "r1", func(r *RequestRecord) error {
		r.Status = api.RequestRejected
		r.History = append(r.History, HistoryRecord{At: now, Event: api.EventDeclined, ActorID: h.ID, Comment: "No."})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	again, err := e.store.Request(ctx, "r1")
	if err != nil || again.Status != api.RequestRejected || len(again.History) != 2 || again.History[1].Comment != "No." ||
		again.History[0].Comment != "" || !slices.Equal(again.ApproverIDs, got.ApproverIDs) {
		t.Errorf("request = %+v, %v; want REJECTED with the original entry and the decline", again, err)
	}
}

func TestExpiredApprovalsAreKeptForADay(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	u := e.addUser("alice", RoleEmployee)
	now := e.clock.Now()
	if err := e.store.CreateApproval(ctx, ApprovalRecord{IDHash: "h", UserID: u.ID, Operation: api.OpTokenDelete,
		Status: api.ApprovalOpen, CreatedAt: now, ExpiresAt: now.Add(5 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		at   time.Duration
		kept bool
	}{{time.Hour, true}, {24*time.Hour + 5*time.Minute, false}} {
		if err := e.store.PurgeExpired(ctx, now.Add(tt.at)); err != nil {
			t.Fatal(err)
		}
		_, err := e.store.Approval(ctx, "h")
		if kept := err == nil; kept != tt.kept {
			t.Errorf("after a purge %s later: kept %v (%v), want %v", tt.at, kept, err, tt.kept)
		}
	}
}

func TestParamsHashIsCanonical(t *testing.T) {
	a := paramsHash(map[string]string{"template_id": "totp-app", "description": "Phone"})
	b := paramsHash(map[string]string{"description": "Phone", "template_id": "totp-app"})
	c := paramsHash(map[string]string{"description": "Phone ", "template_id": "totp-app"})
	if a != b || a == c || len(a) != 64 {
		t.Errorf("hashes %s, %s, %s; want the first two equal (same parameters), the third different", a, b, c)
	}
	if paramsHash(nil) != paramsHash(map[string]string{}) {
		t.Error("no parameters hash differently from empty parameters")
	}
}

// TestApprovalsNeverLogSecrets: approval ids, codes and comments stay out
// of the log.
func TestApprovalsNeverLogSecrets(t *testing.T) {
	e := newEnv(t)
	u, tok, session := e.userWithToken("alice", RoleEmployee)
	second := e.addToken(u.ID, templateTOTP, api.StatusActive)
	e.addUser("hank", RoleHelpdesk)
	if err := SetApprovalPolicy(context.Background(), e.store, ApprovalPolicy{Operation: api.OpTokenDelete, Mode: api.ModeSelf}); err != nil {
		t.Fatal(err)
	}
	res := e.call("DELETE", "/tokens/"+second.ID, session, nil)
	step, ok := api.ApprovalRequired(e.apiErr(res, api.CodeApprovalRequired))
	if !ok {
		t.Fatal("no approval details")
	}
	e.clock.Advance(30 * time.Second)
	code := e.totp(tok, 0)
	e.ok(e.call("POST", "/approvals/"+step.ApprovalID+"/verify", session, api.VerifyApprovalRequest{TokenID: tok.ID, OTP: code}), 200, nil)
	e.ok(e.callApproved("DELETE", "/tokens/"+second.ID, session, step.ApprovalID, nil), 204, nil)
	logs := e.logs.String()
	for _, secret := range []string{step.ApprovalID, hashToken(step.ApprovalID), code, session} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log holds a secret %q:\n%s", secret, logs)
		}
	}
}
