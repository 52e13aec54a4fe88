package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"selfservice/api"
	"selfservice/server"
)

const approvalSetSynopsis = "selfservice-server approval set --db FILE --operation OP --mode self|approvers|none [--approvers USER[,USER] | --group ROLE] [--required N] [--template ID]"

// runApproval runs "approval set" and "approval list".
func runApproval(ctx context.Context, args []string, stderr io.Writer) error {
	if len(args) > 0 {
		switch {
		case args[0] == "set":
			return runApprovalSet(ctx, args[1:], stderr)
		case args[0] == "list":
			return runApprovalList(ctx, args[1:], stderr)
		case isHelp(args[0]):
			io.WriteString(stderr, usage)
			return nil
		}
	}
	return errors.New(`name an approval command: "approval set" or "approval list"; run "selfservice-server --help" for details`)
}

func runApprovalSet(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlagSet("approval set", approvalSetSynopsis, stderr)
	dbPath := dbFlag(fs)
	operation := fs.String("operation", "", "the approvable `operation`: "+joinOps()+" (required)")
	mode := fs.String("mode", "", "`mode`: self (the user confirms with a token), approvers, or none (required)")
	approvers := fs.String("approvers", "", "comma-separated `usernames` of the approvers (mode approvers)")
	group := fs.String("group", "", "a `role` whose users approve, instead of --approvers (mode approvers)")
	required := fs.Int("required", 0, "`number` of approvals a request needs (mode approvers; default 1)")
	template := fs.String("template", "", "token template `ID`: the policy applies only to tokens of that template and wins over the operation's policy")
	if err := parseFlags(fs, args); err != nil {
		if errors.Is(err, errHelp) {
			return nil
		}
		return err
	}
	switch {
	case *operation == "":
		return fmt.Errorf("approval set: give the operation with --operation OP (%s)", joinOps())
	case *mode == "":
		return errors.New("approval set: give the mode with --mode self, approvers or none")
	}

	store, err := openExisting(ctx, "approval set", *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	p := server.ApprovalPolicy{
		Operation:  api.Operation(*operation),
		TemplateID: strings.TrimSpace(*template),
		Mode:       api.ApprovalMode(*mode),
		Approvers:  splitList(*approvers),
		Group:      strings.TrimSpace(*group),
		Required:   *required,
	}
	if err := server.SetApprovalPolicy(ctx, store, p); err != nil {
		return fmt.Errorf("approval set: %w", err)
	}
	fmt.Fprintf(stderr, "Set the approval policy of %s: %s.\n", scope(p), describe(p))
	return nil
}

func runApprovalList(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlagSet("approval list", "selfservice-server approval list --db FILE", stderr)
	dbPath := dbFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		if errors.Is(err, errHelp) {
			return nil
		}
		return err
	}
	store, err := openExisting(ctx, "approval list", *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	policies, err := server.ApprovalPolicies(ctx, store)
	if err != nil {
		return fmt.Errorf("approval list: %w", err)
	}
	if len(policies) == 0 {
		fmt.Fprintln(stderr, "No approval policies: every operation runs without approval.")
		return nil
	}
	tw := tabwriter.NewWriter(stderr, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "operation\ttemplate\tmode\tapprovers\trequired")
	for _, p := range policies {
		template, who, required := p.TemplateID, "-", "-"
		if template == "" {
			template = "(all)"
		}
		if p.Mode == api.ModeApprovers {
			who = approversOf(p)
			required = fmt.Sprint(p.Required)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.Operation, template, p.Mode, who, required)
	}
	return tw.Flush()
}

func joinOps() string {
	names := make([]string, len(api.Operations))
	for i, op := range api.Operations {
		names[i] = string(op)
	}
	return strings.Join(names, ", ")
}

// scope names what a policy applies to, e.g. "token.enroll (template hotp-app)".
func scope(p server.ApprovalPolicy) string {
	if p.TemplateID == "" {
		return string(p.Operation)
	}
	return fmt.Sprintf("%s (template %s)", p.Operation, p.TemplateID)
}

// describe says what a policy asks for.
func describe(p server.ApprovalPolicy) string {
	switch p.Mode {
	case api.ModeSelf:
		return "the user confirms with one of their tokens"
	case api.ModeApprovers:
		required := max(p.Required, 1)
		return fmt.Sprintf("%d approval(s) from %s", required, approversOf(p))
	}
	return "no approval"
}

func approversOf(p server.ApprovalPolicy) string {
	if p.Group != "" {
		return "group " + p.Group
	}
	return strings.Join(p.Approvers, ",")
}
