package api

// ApprovalNeed says what an approvable operation needs before it runs
// for the signed-in user, so that the app can say so before they submit:
// the server's policy for the operation, narrowed to the tokens of one
// template when TemplateID is set. /me lists the policies that change
// something (a template's ModeNone can override its operation's); an
// operation it does not list runs at once.
type ApprovalNeed struct {
	Operation  Operation    `json:"operation"`
	TemplateID string       `json:"template_id,omitempty"`
	Mode       ApprovalMode `json:"mode"`
	Required   int          `json:"required,omitempty"` // ModeApprovers: the approvals a request needs
}

// NeedFor returns what op on a token of templateID ("" for an operation
// without a template) needs among needs: the template's own need, else
// the operation's, else ModeNone, as the server chooses the policy.
func NeedFor(needs []ApprovalNeed, op Operation, templateID string) ApprovalNeed {
	var general *ApprovalNeed
	for i, n := range needs {
		switch {
		case n.Operation != op:
		case templateID != "" && n.TemplateID == templateID:
			return n
		case n.TemplateID == "":
			general = &needs[i]
		}
	}
	if general != nil {
		return *general
	}
	return ApprovalNeed{Operation: op, TemplateID: templateID, Mode: ModeNone}
}
