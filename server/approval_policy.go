package server

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"selfservice/api"
)

// ApprovalPolicy says how an operation is approved, as an administrator
// writes it: approvers by username. Approver groups are roles: Group
// "helpdesk" means every user with the role helpdesk.
type ApprovalPolicy struct {
	Operation api.Operation
	// TemplateID narrows a token operation's policy to the tokens (for
	// token.enroll: the enrollments) of one template; it wins over the
	// operation's policy without a template. "" for every template.
	TemplateID string
	Mode       api.ApprovalMode
	// Mode approvers only: the approving users, or instead a role whose
	// users approve, and how many approvals a request needs (default 1).
	// The requester never approves their own request, so a request needs
	// Required approvers besides its requester.
	Approvers []string
	Group     string
	Required  int
}

// SetApprovalPolicy checks p and stores it, replacing the policy of the
// same operation and template. Invalid input fails with an
// invalid_request *api.Error whose message says what to fix; its fields
// are named operation, template, mode, approvers, group and required.
func SetApprovalPolicy(ctx context.Context, store Store, p ApprovalPolicy) error {
	rec, fields, err := checkPolicy(ctx, store, p)
	if err != nil {
		return err
	}
	if len(fields) > 0 {
		return fieldsError(fields, "operation", "template", "mode", "approvers", "group", "required")
	}
	if err := store.SetApprovalPolicy(ctx, rec); err != nil {
		return fmt.Errorf("set approval policy: %w", err)
	}
	return nil
}

// checkPolicy turns p into the record to store, or says what is wrong
// with it, field by field.
func checkPolicy(ctx context.Context, store Store, p ApprovalPolicy) (ApprovalPolicyRecord, map[string]string, error) {
	fields := map[string]string{}
	rec := ApprovalPolicyRecord{Operation: p.Operation, TemplateID: p.TemplateID, Mode: p.Mode, Group: p.Group, Required: p.Required}
	if !slices.Contains(api.Operations, p.Operation) {
		fields["operation"] = fmt.Sprintf("The operation must be one of: %s.", joinNames(api.Operations))
	}
	if p.TemplateID != "" {
		if !strings.HasPrefix(string(p.Operation), "token.") {
			fields["template"] = "Only the token operations have a policy per template."
		} else if _, err := store.Template(ctx, p.TemplateID); errors.Is(err, ErrNotFound) {
			fields["template"] = fmt.Sprintf("There is no token template %q.", p.TemplateID)
		} else if err != nil {
			return rec, nil, err
		}
	}
	switch p.Mode {
	case api.ModeApprovers:
		if rec.Required == 0 {
			rec.Required = 1
		}
		if err := checkApprovers(ctx, store, p, &rec, fields); err != nil {
			return rec, nil, err
		}
	case api.ModeNone, api.ModeSelf:
		if len(p.Approvers) > 0 || p.Group != "" || p.Required != 0 {
			fields["mode"] = "Approvers, a group and a number of approvals go only with the mode approvers."
		}
	default:
		fields["mode"] = fmt.Sprintf("The mode must be one of: %s.", joinNames(api.ApprovalModes))
	}
	return rec, fields, nil
}

// checkApprovers checks the approvers of a policy in mode approvers and
// puts their ids into rec.
func checkApprovers(ctx context.Context, store Store, p ApprovalPolicy, rec *ApprovalPolicyRecord, fields map[string]string) error {
	switch {
	case len(p.Approvers) == 0 && p.Group == "":
		fields["approvers"] = "Name the approvers, or a group whose users approve."
		return nil
	case len(p.Approvers) > 0 && p.Group != "":
		fields["approvers"] = "Name either approvers or a group, not both."
		return nil
	case rec.Required < 1:
		fields["required"] = "A request needs at least 1 approval."
		return nil
	}
	if p.Group != "" {
		privs, ok := RolePrivileges(p.Group)
		switch {
		case !ok:
			fields["group"] = fmt.Sprintf("Groups are roles; the group must be one of: %s.", strings.Join(Roles(), ", "))
		case !api.Has(privs, api.PrivMyApprovalsApprove):
			fields["group"] = fmt.Sprintf("Users with the role %s may not approve requests; choose another group.", p.Group)
		}
		return nil
	}
	for _, name := range p.Approvers {
		u, err := store.UserByUsername(ctx, strings.TrimSpace(name))
		if errors.Is(err, ErrNotFound) {
			fields["approvers"] = fmt.Sprintf("There is no user %q.", name)
			return nil
		}
		if err != nil {
			return err
		}
		if privs, _ := RolePrivileges(u.Role); !api.Has(privs, api.PrivMyApprovalsApprove) {
			fields["approvers"] = fmt.Sprintf("%s has the role %s, which may not approve requests.", u.Username, u.Role)
			return nil
		}
		if !slices.Contains(rec.ApproverIDs, u.ID) {
			rec.ApproverIDs = append(rec.ApproverIDs, u.ID)
		}
	}
	if rec.Required > len(rec.ApproverIDs) {
		fields["required"] = fmt.Sprintf("A request cannot get %d approvals from the %d approvers named; name more approvers or ask for fewer approvals.", rec.Required, len(rec.ApproverIDs))
	}
	return nil
}

func joinNames[T ~string](names []T) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = string(n)
	}
	return strings.Join(out, ", ")
}

// ApprovalPolicies lists the stored policies, by operation and template,
// with their approvers by username.
func ApprovalPolicies(ctx context.Context, store Store) ([]ApprovalPolicy, error) {
	recs, err := store.ApprovalPolicies(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ApprovalPolicy, 0, len(recs))
	for _, rec := range recs {
		p := ApprovalPolicy{Operation: rec.Operation, TemplateID: rec.TemplateID, Mode: rec.Mode, Group: rec.Group, Required: rec.Required}
		for _, id := range rec.ApproverIDs {
			u, err := store.UserByID(ctx, id)
			if err != nil {
				return nil, err
			}
			p.Approvers = append(p.Approvers, u.Username)
		}
		slices.Sort(p.Approvers)
		out = append(out, p)
	}
	return out, nil
}

// policyFor returns the policy of an operation on a template's tokens:
// the template's own, else the operation's, else mode none.
func policyFor(ctx context.Context, store Store, op api.Operation, templateID string) (ApprovalPolicyRecord, error) {
	keys := []string{""}
	if templateID != "" {
		keys = []string{templateID, ""}
	}
	for _, key := range keys {
		p, err := store.ApprovalPolicy(ctx, op, key)
		if err == nil {
			return p, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return ApprovalPolicyRecord{}, err
		}
	}
	return ApprovalPolicyRecord{Operation: op, Mode: api.ModeNone}, nil
}

// approverIDs lists who approves under a policy in mode approvers,
// without the requester: nobody approves their own request.
func approverIDs(ctx context.Context, store Store, p ApprovalPolicyRecord, requesterID string) ([]string, error) {
	ids := slices.Clone(p.ApproverIDs)
	if p.Group != "" {
		users, err := store.UsersWithRole(ctx, p.Group)
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			ids = append(ids, u.ID)
		}
	}
	return slices.DeleteFunc(ids, func(id string) bool { return id == requesterID }), nil
}
