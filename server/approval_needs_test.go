package server

import (
	"context"
	"testing"

	"selfservice/api"
)

// The app learns from /me what each approvable operation needs before the
// user submits it: an operation's own policy, a template's override, and
// nothing for an operation without a policy.
func TestMeSaysWhatApprovableOperationsNeed(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.addUser("hank", RoleHelpdesk)
	for _, p := range []ApprovalPolicy{
		{Operation: api.OpTokenDelete, Mode: api.ModeApprovers, Approvers: []string{"hank"}},
		{Operation: api.OpTokenDelete, TemplateID: templateTOTP, Mode: api.ModeNone},
		{Operation: api.OpPasswordUpdate, Mode: api.ModeSelf},
		{Operation: api.OpContactUpdate, Mode: api.ModeNone},
	} {
		if err := SetApprovalPolicy(ctx, e.store, p); err != nil {
			t.Fatal(err)
		}
	}
	_, _, session := e.userWithToken("ann", RoleEmployee)
	var me api.MeResponse
	e.ok(e.call("GET", "/me", session, nil), 200, &me)

	tests := []struct {
		op       api.Operation
		template string
		mode     api.ApprovalMode
		required int
	}{
		{api.OpTokenDelete, "", api.ModeApprovers, 1},
		{api.OpTokenDelete, "hotp-app", api.ModeApprovers, 1},
		{api.OpTokenDelete, templateTOTP, api.ModeNone, 0},
		{api.OpPasswordUpdate, "", api.ModeSelf, 0},
		{api.OpContactUpdate, "", api.ModeNone, 0},
		{api.OpTokenEnroll, templateTOTP, api.ModeNone, 0},
	}
	for _, tt := range tests {
		got := api.NeedFor(me.Approvals, tt.op, tt.template)
		if got.Mode != tt.mode || got.Required != tt.required {
			t.Errorf("NeedFor(%s, %q) = %s, %d; want %s, %d", tt.op, tt.template, got.Mode, got.Required, tt.mode, tt.required)
		}
	}
	for _, n := range me.Approvals {
		if n.Operation == api.OpContactUpdate {
			t.Errorf("/me lists %+v: an operation's mode none is what no policy means", n)
		}
	}
}

// An approver reads which token a request concerns by the name its owner
// gave it and its serial, never by its id.
func TestTokenRequestNamesTheTokenByItsName(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.addUser("hank", RoleHelpdesk)
	if err := SetApprovalPolicy(ctx, e.store, ApprovalPolicy{Operation: api.OpTokenDisable, Mode: api.ModeApprovers, Approvers: []string{"hank"}}); err != nil {
		t.Fatal(err)
	}
	u, _, session := e.userWithToken("ann", RoleEmployee)
	tpl, err := e.store.Template(ctx, templateTOTP)
	if err != nil {
		t.Fatal(err)
	}
	phone := newToken(u.ID, tpl, "Work phone", api.StatusActive, e.clock.Now())
	if err := e.store.CreateToken(ctx, phone, 0); err != nil {
		t.Fatal(err)
	}
	var out api.ApprovalRequestResponse
	e.ok(e.call("POST", "/tokens/"+phone.ID+"/disable", session, nil), 202, &out)
	if want := "Work phone (" + phone.Label + ")"; out.Request.TargetLabel != want {
		t.Errorf("target label = %q, want %q", out.Request.TargetLabel, want)
	}
}
