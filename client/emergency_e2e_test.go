package client_test

import (
	"context"
	"slices"
	"testing"

	"selfservice/api"
	"selfservice/server"
)

// Emergency access codes end to end: helpdesk issues one through the
// client, the user signs in with it and confirms a step-up with it.

func TestEmergencyCodeIssuedByHelpdeskSignsInAndConfirms(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	desk := b.signedIn(t, b.helpdesk)

	_, err := desk.c.IssueEmergencyCode(ctx, "helpdesk", api.IssueEmergencyCodeRequest{ValidForHours: 1, Uses: 1})
	wantCode(t, err, api.CodeEmergencyForSelf)
	issued, err := desk.c.IssueEmergencyCode(ctx, "demo", api.IssueEmergencyCodeRequest{ValidForHours: 4, Uses: 2})
	if err != nil {
		t.Fatalf("IssueEmergencyCode: %v", err)
	}
	if !api.ValidEmergencyCode(api.NormalizeEmergencyCode(issued.Code)) || issued.Uses != 2 {
		t.Fatalf("issued = %+v; want a code with 2 uses", issued)
	}

	c := b.client(t)
	login, err := c.Login(ctx, api.LoginRequest{Username: "demo", Password: b.demo.Password})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(login.Methods, api.LoginMethod{TokenID: api.EmergencyTokenID, Type: api.TypeEmergency, Label: "Emergency access code"}) {
		t.Fatalf("methods = %+v; want the emergency access code", login.Methods)
	}
	sess, err := c.VerifyLogin(ctx, login.LoginID, api.VerifyLoginRequest{TokenID: api.EmergencyTokenID, EmergencyCode: api.NormalizeEmergencyCode(issued.Code)})
	if err != nil || sess.SessionToken == "" {
		t.Fatalf("VerifyLogin with the code = %+v, %v; want a session", sess, err)
	}
	c.SetSessionToken(sess.SessionToken)

	// Enrolling and activating a token deactivates the code.
	second, _ := b.addTOTP(t, c)
	login, err = b.client(t).Login(ctx, api.LoginRequest{Username: "demo", Password: b.demo.Password})
	if err != nil || slices.ContainsFunc(login.Methods, func(m api.LoginMethod) bool { return m.TokenID == api.EmergencyTokenID }) {
		t.Fatalf("methods after enrolling = %+v, %v; want no emergency access code", login.Methods, err)
	}

	// A new code confirms a step-up.
	b.setPolicy(t, server.ApprovalPolicy{Operation: api.OpTokenDisable, Mode: api.ModeSelf})
	issued, err = desk.c.IssueEmergencyCode(ctx, "demo", api.IssueEmergencyCodeRequest{ValidForHours: 4, Uses: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.DisableToken(ctx, second)
	step, ok := api.ApprovalRequired(err)
	if !ok || !slices.ContainsFunc(step.Methods, func(m api.LoginMethod) bool { return m.TokenID == api.EmergencyTokenID }) {
		t.Fatalf("DisableToken: %v; want approval_required offering the emergency code", err)
	}
	a, err := c.VerifyApproval(ctx, step.ApprovalID, api.VerifyApprovalRequest{TokenID: api.EmergencyTokenID, EmergencyCode: api.NormalizeEmergencyCode(issued.Code)})
	if err != nil || a.Status != api.ApprovalVerified {
		t.Fatalf("VerifyApproval with the code = %+v, %v; want VERIFIED", a, err)
	}
	if _, err := c.DisableToken(api.WithApproval(ctx, step.ApprovalID), second); err != nil {
		t.Fatalf("DisableToken with the approval: %v", err)
	}
}
