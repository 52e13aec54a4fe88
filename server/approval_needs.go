package server

import (
	"context"

	"selfservice/api"
)

// approvalNeeds lists, for /me, what the approvable operations need
// before they run: every stored policy but an operation's mode none,
// which is what an operation without a policy needs anyway. A template's
// mode none stays: it overrides its operation's policy.
func approvalNeeds(ctx context.Context, store Store) ([]api.ApprovalNeed, error) {
	recs, err := store.ApprovalPolicies(ctx)
	if err != nil {
		return nil, err
	}
	out := []api.ApprovalNeed{}
	for _, rec := range recs {
		if rec.Mode == api.ModeNone && rec.TemplateID == "" {
			continue
		}
		n := api.ApprovalNeed{Operation: rec.Operation, TemplateID: rec.TemplateID, Mode: rec.Mode}
		if rec.Mode == api.ModeApprovers {
			n.Required = rec.Required
		}
		out = append(out, n)
	}
	return out, nil
}
