package client_test

import (
	"context"
	"errors"
	"testing"

	"selfservice/api"
	"selfservice/server"
)

func TestChangePassword(t *testing.T) {
	ctx := context.Background()
	b := newBackend(t)
	c := b.signIn(t, b.demo)
	other := b.signIn(t, b.demo)

	policy, err := c.PasswordPolicy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The rules the app checks as the user types are the server's own.
	weak := "short"
	if problems := policy.Check(weak, "demo"); len(problems) == 0 {
		t.Fatalf("policy %+v passes %q", policy, weak)
	}
	_, err = c.ChangePassword(ctx, api.ChangePasswordRequest{CurrentPassword: b.demo.Password, NewPassword: weak})
	if !errors.Is(err, api.ErrInvalidRequest) || fieldErrors(err)["new_password"] == "" {
		t.Fatalf("a weak password: %v; want a field error of new_password", err)
	}
	_, err = c.ChangePassword(ctx, api.ChangePasswordRequest{CurrentPassword: "wrong password", NewPassword: "Granite-Orbit-7-Tulip"})
	if fieldErrors(err)["current_password"] == "" {
		t.Fatalf("a wrong current password: %v; want a field error of current_password", err)
	}

	out, err := c.ChangePassword(ctx, api.ChangePasswordRequest{CurrentPassword: b.demo.Password, NewPassword: "Granite-Orbit-7-Tulip", SignOutOthers: true})
	if err != nil || out.SignedOut != 1 {
		t.Fatalf("ChangePassword = %+v, %v; want the other session signed out", out, err)
	}
	if _, err := c.Me(ctx); err != nil {
		t.Errorf("the session that changed the password: %v", err)
	}
	if _, err := other.Me(ctx); !errors.Is(err, api.ErrUnauthenticated) {
		t.Errorf("the other session after the change: %v; want unauthenticated", err)
	}
	changed := b.demo
	changed.Password = "Granite-Orbit-7-Tulip"
	b.signIn(t, changed)
}

func TestApplications(t *testing.T) {
	b := newBackendWith(t, server.Config{Tenant: server.DemoTenant()})
	out, err := b.signIn(t, b.demo).Applications(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Applications) < 2 || out.Applications[0].Name != "Mail and calendar" || out.VaultURL == "" {
		t.Errorf("Applications = %+v; want the demo's, in order, with the vault", out)
	}
}

func TestContacts(t *testing.T) {
	ctx := context.Background()
	b := newBackendWith(t, server.Config{Tenant: server.DemoTenant()})
	c := b.signIn(t, b.demo)
	got, err := c.Contacts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Fields) != len(server.DemoTenant().ContactFields) || len(got.Values) != 3 {
		t.Fatalf("Contacts = %+v; want the demo's fields and the demo user's three values", got)
	}
	if _, err := c.PreferContact(ctx, "postal_address"); !errors.Is(err, api.ErrNotSupported) {
		t.Errorf("PreferContact(postal_address) = %v; want not_supported for a TEXT field", err)
	}
	star, err := c.PreferContact(ctx, "mobile")
	if err != nil || star.Contact == nil || !star.Contact.Preferred {
		t.Errorf("PreferContact(mobile) = %+v, %v", star, err)
	}
	if _, err := c.SetContact(ctx, "desk_phone", api.SetContactRequest{Value: "12"}); fieldErrors(err)["value"] == "" {
		t.Errorf("SetContact with a wrong number = %v; want a field error on value", err)
	}
	set, err := c.SetContact(ctx, "desk_phone", api.SetContactRequest{Value: "+49 30 1234567"})
	if err != nil || set.Contact == nil || set.Contact.Value != "+49301234567" {
		t.Errorf("SetContact(desk_phone) = %+v, %v; want it stored at once (no verify)", set, err)
	}
	if out, err := c.DeleteContact(ctx, "postal_address"); err != nil || !out.Removed {
		t.Errorf("DeleteContact(postal_address) = %+v, %v; want it removed", out, err)
	}
	if _, err := b.signIn(t, b.helpdesk).Contacts(ctx); !errors.Is(err, api.ErrPrivilegeMissing) {
		t.Errorf("Contacts as helpdesk = %v; want privilege_missing", err)
	}
}

// TestChangePasswordIsApprovable: with the demo's policy a change needs
// a step-up, asked for only once both passwords pass; with approvers it
// is a request the requester finishes once approved.
func TestChangePasswordIsApprovable(t *testing.T) {
	ctx := context.Background()
	b := newBackend(t)
	if err := server.SeedDemoApprovals(ctx, b.store); err != nil {
		t.Fatal(err)
	}
	demo, helpdesk := b.signedIn(t, b.demo), b.signedIn(t, b.helpdesk)
	const next = "Granite-Orbit-7-Tulip"
	change := api.ChangePasswordRequest{CurrentPassword: b.demo.Password, NewPassword: next}

	_, err := demo.c.ChangePassword(ctx, api.ChangePasswordRequest{CurrentPassword: "wrong password", NewPassword: next})
	if fieldErrors(err)["current_password"] == "" {
		t.Fatalf("a wrong current password: %v; want a field error, not a step-up", err)
	}
	_, err = demo.c.ChangePassword(ctx, change)
	id := b.stepUp(t, demo, err)
	if _, err := demo.c.ChangePassword(api.WithApproval(ctx, id), change); err != nil {
		t.Fatalf("ChangePassword with the step-up: %v", err)
	}
	_, err = demo.c.ChangePassword(api.WithApproval(ctx, id), api.ChangePasswordRequest{CurrentPassword: next, NewPassword: "Maple-Comet-42-Harbor"})
	wantCode(t, err, api.CodeApprovalUsed)

	b.setPolicy(t, server.ApprovalPolicy{Operation: api.OpPasswordUpdate, Mode: api.ModeApprovers, Approvers: []string{"helpdesk"}})
	again := api.ChangePasswordRequest{CurrentPassword: next, NewPassword: "Maple-Comet-42-Harbor", SignOutOthers: true}
	_, err = demo.c.ChangePassword(ctx, again)
	req := pendingRequest(t, err)
	if req.Operation != api.OpPasswordUpdate || req.TargetLabel != "Demo Employee" || len(req.Parameters) != 0 {
		t.Fatalf("request = %+v; want Demo Employee's password.update without parameters", req)
	}
	if _, err := helpdesk.c.ApproveRequest(ctx, req.ID, comment("Go ahead.")); err != nil {
		t.Fatal(err)
	}
	other := b.signIn(t, server.DemoUser{Username: "demo", Password: next, TOTPSecret: b.demo.TOTPSecret})
	out, err := demo.c.ChangePassword(api.WithApproval(ctx, req.ID), again)
	if err != nil || out.SignedOut != 1 {
		t.Fatalf("finishing the approved change = %+v, %v; want it changed and the other session signed out", out, err)
	}
	if _, err := other.Me(ctx); !errors.Is(err, api.ErrUnauthenticated) {
		t.Errorf("the other session after the change: %v; want unauthenticated", err)
	}
	if done, err := demo.c.Request(ctx, req.ID); err != nil || done.ExecutedAt == nil {
		t.Errorf("Request after finishing = %+v, %v; want it carried out", done, err)
	}
}
