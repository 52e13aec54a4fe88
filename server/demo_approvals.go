package server

import (
	"context"
	"errors"
	"fmt"

	"selfservice/api"
)

// templateHOTP is the id of the default HOTP template (see migrations).
const templateHOTP = "hotp-app"

// demoApprovalPolicies are the policies SeedDemoApprovals sets: enrolling,
// disabling, deleting and moving a token, changing a contact value and
// changing the password need a step-up, and enrolling a token of
// the HOTP template needs the approval of the demo helpdesk user instead.
var demoApprovalPolicies = []ApprovalPolicy{
	{Operation: api.OpTokenEnroll, Mode: api.ModeSelf},
	{Operation: api.OpTokenDisable, Mode: api.ModeSelf},
	{Operation: api.OpTokenDelete, Mode: api.ModeSelf},
	{Operation: api.OpTokenAddress, Mode: api.ModeSelf},
	// A new email address or phone number moves the sign-in methods on
	// the old one: as strict as token.address.
	{Operation: api.OpContactUpdate, Mode: api.ModeSelf},
	// A new password keeps out whoever knew the old one: a stolen
	// session with the password must not do it alone.
	{Operation: api.OpPasswordUpdate, Mode: api.ModeSelf},
	{Operation: api.OpTokenEnroll, TemplateID: templateHOTP, Mode: api.ModeApprovers, Approvers: []string{"helpdesk"}, Required: 1},
}

// SeedDemoApprovals sets the demo's approval policies where the operation
// (and template) has no policy yet, so that an administrator's changes
// stay: a step-up for enrolling, disabling, deleting and moving a token,
// changing a contact value and changing the password, and the approval of the demo helpdesk user for enrolling a token of the HOTP
// template. Call it after SeedDemo, which makes the helpdesk user.
func SeedDemoApprovals(ctx context.Context, store Store) error {
	for _, p := range demoApprovalPolicies {
		_, err := store.ApprovalPolicy(ctx, p.Operation, p.TemplateID)
		if err == nil {
			continue
		}
		if !errors.Is(err, ErrNotFound) {
			return err
		}
		if err := SetApprovalPolicy(ctx, store, p); err != nil {
			return fmt.Errorf("seed demo approval policy for %s: %w", p.Operation, err)
		}
	}
	return nil
}
