package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"selfservice/api"
)

const otherStrongPassword = "Maple-Comet-42-Harbor"

// setPolicy sets an approval policy or fails the test.
func (e *env) setPolicy(p ApprovalPolicy) {
	e.t.Helper()
	if err := SetApprovalPolicy(context.Background(), e.store, p); err != nil {
		e.t.Fatal(err)
	}
}

// passwordSignsIn reports whether password is username's password now.
func (e *env) passwordSignsIn(username, password string) bool {
	e.t.Helper()
	res := e.call("POST", "/auth/login", "", api.LoginRequest{Username: username, Password: password})
	return res.Status == 200
}

// TestPasswordChangeNeedsAStepUpUnderSelf: the server refuses what it
// would refuse anyway before it asks for a step-up; the confirmed
// step-up changes to the one new password it was asked for, once, and
// a refusal on the way leaves it usable.
func TestPasswordChangeNeedsAStepUpUnderSelf(t *testing.T) {
	e := newEnv(t)
	alice, tok, session := e.userWithToken("alice", RoleEmployee)
	other := e.signIn("alice", tok)
	e.setPolicy(ApprovalPolicy{Operation: api.OpPasswordUpdate, Mode: api.ModeSelf})
	put := func(approvalID string, req api.ChangePasswordRequest) response {
		return e.callApproved("PUT", "/account/password", session, approvalID, req)
	}

	// Wrong current password, and a new one the policy refuses: no
	// step-up is asked for.
	wrong := e.apiErr(put("", changePassword("not my password", strongPassword, false)), api.CodeInvalidRequest)
	if wrong.FieldErrors()["current_password"] == "" {
		t.Errorf("wrong current password: %+v; want a field error of current_password", wrong)
	}
	e.apiErr(put("", changePassword(testPassword, "Password1234!", false)), api.CodeInvalidRequest)
	if n := e.countRows("approvals"); n != 0 {
		t.Fatalf("%d approvals made for changes the server refuses; want none", n)
	}

	change := changePassword(testPassword, strongPassword, true)
	first := put("", change)
	step, ok := api.ApprovalRequired(e.apiErr(first, api.CodeApprovalRequired))
	if !ok {
		t.Fatal("no approval details")
	}
	var a api.ApprovalResponse
	e.ok(e.call("GET", "/approvals/"+step.ApprovalID, session, nil), 200, &a)
	if a.Approval.Operation != api.OpPasswordUpdate || a.Approval.Target != alice.ID {
		t.Fatalf("approval = %+v; want password.update of alice", a.Approval)
	}
	e.apiErr(put(step.ApprovalID, change), api.CodeApprovalInvalid) // not confirmed yet
	id := e.stepUp(first, session, tok)

	// The step-up is for this new password only; refusals use nothing up.
	e.apiErr(put(id, changePassword(testPassword, otherStrongPassword, true)), api.CodeApprovalInvalid)
	if err := e.apiErr(put(id, changePassword("not my password", strongPassword, true)), api.CodeInvalidRequest); err.FieldErrors()["current_password"] == "" {
		t.Errorf("wrong current password with the step-up: %+v; want a field error of current_password", err)
	}
	e.apiErr(put(id, changePassword(testPassword, "Password1234!", true)), api.CodeInvalidRequest)
	if !e.passwordSignsIn("alice", testPassword) {
		t.Fatal("a refused change changed the password")
	}
	var out api.ChangePasswordResponse
	e.ok(put(id, change), 200, &out)
	if out.SignedOut != 1 {
		t.Errorf("signed out %d sessions; want the other one", out.SignedOut)
	}
	e.apiErr(e.call("GET", "/me", other, nil), api.CodeUnauthenticated)
	if !e.passwordSignsIn("alice", strongPassword) || e.passwordSignsIn("alice", testPassword) {
		t.Error("the new password does not sign in, or the old one still does")
	}
	// Used once.
	e.apiErr(put(id, changePassword(strongPassword, otherStrongPassword, false)), api.CodeApprovalUsed)
	e.apiErr(put("", changePassword(strongPassword, otherStrongPassword, false)), api.CodeApprovalRequired)
}

// TestPasswordStepUpIsForThisUserAndOperation: a confirmed step-up of a
// password change changes no one else's password and runs no other
// operation, and another operation's step-up changes no password.
func TestPasswordStepUpIsForThisUserAndOperation(t *testing.T) {
	e := newEnv(t)
	alice, tok, session := e.userWithToken("alice", RoleEmployee)
	second := e.addToken(alice.ID, templateTOTP, api.StatusActive)
	_, _, bob := e.userWithToken("bob", RoleEmployee)
	e.setPolicy(ApprovalPolicy{Operation: api.OpPasswordUpdate, Mode: api.ModeSelf})
	e.setPolicy(ApprovalPolicy{Operation: api.OpTokenDelete, Mode: api.ModeSelf})
	change := changePassword(testPassword, strongPassword, false)

	id := e.stepUp(e.call("PUT", "/account/password", session, change), session, tok)
	e.apiErr(e.callApproved("PUT", "/account/password", bob, id, change), api.CodeApprovalInvalid)
	e.apiErr(e.callApproved("DELETE", "/tokens/"+second.ID, session, id, nil), api.CodeApprovalInvalid)
	if !e.passwordSignsIn("bob", testPassword) {
		t.Error("alice's step-up changed bob's password")
	}
	e.token(alice.ID, second.ID) // still there

	e.clock.Advance(30 * time.Second)
	deletion := e.stepUp(e.call("DELETE", "/tokens/"+second.ID, session, nil), session, tok)
	e.apiErr(e.callApproved("PUT", "/account/password", session, deletion, change), api.CodeApprovalInvalid)
	if !e.passwordSignsIn("alice", testPassword) {
		t.Error("a token deletion's step-up changed the password")
	}
	e.ok(e.callApproved("PUT", "/account/password", session, id, change), 200, nil) // still usable
}

// TestPasswordChangeUnderApprovers: the change becomes a request without
// the passwords; once approved, the requester finishes it by sending the
// same new password again, once; a declined one changes nothing.
func TestPasswordChangeUnderApprovers(t *testing.T) {
	e := newEnv(t)
	_, tok, session := e.userWithToken("alice", RoleEmployee)
	other := e.signIn("alice", tok)
	_, _, hank := e.userWithToken("hank", RoleHelpdesk)
	e.setPolicy(ApprovalPolicy{Operation: api.OpPasswordUpdate, Mode: api.ModeApprovers, Approvers: []string{"hank"}})
	change := changePassword(testPassword, strongPassword, true)

	e.apiErr(e.call("PUT", "/account/password", session, changePassword("not my password", strongPassword, true)), api.CodeInvalidRequest)
	if n := e.countRows("approval_requests"); n != 0 {
		t.Fatalf("%d requests made for a wrong current password; want none", n)
	}
	var sent api.ApprovalRequestResponse
	e.ok(e.call("PUT", "/account/password", session, change), 202, &sent)
	req := sent.Request
	if req.Operation != api.OpPasswordUpdate || req.TargetLabel != "alice" || len(req.Parameters) != 0 || req.Status != api.RequestInApproval {
		t.Fatalf("request = %+v; want alice's password.update without parameters, in approval", req)
	}
	var again api.ApprovalRequestResponse
	e.ok(e.call("PUT", "/account/password", session, change), 202, &again)
	if again.Request.ID != req.ID {
		t.Errorf("asking again made request %s; want the open one %s", again.Request.ID, req.ID)
	}
	// The request is for changing the password, whichever new one.
	e.ok(e.call("PUT", "/account/password", session, changePassword(testPassword, otherStrongPassword, true)), 202, &again)
	if again.Request.ID != req.ID {
		t.Errorf("asking with another new password made request %s; want the open one %s", again.Request.ID, req.ID)
	}
	if !e.passwordSignsIn("alice", testPassword) {
		t.Fatal("the password changed before the approval")
	}
	e.apiErr(e.callApproved("PUT", "/account/password", session, req.ID, change), api.CodeApprovalInvalid) // not approved yet

	var approved api.ApprovalRequestResponse
	e.ok(e.call("POST", "/inbox/"+req.ID+"/approve", hank, api.DecisionRequest{Comment: "Fine."}), 200, &approved)
	if !approved.Request.AwaitsRequester() || !e.passwordSignsIn("alice", testPassword) {
		t.Fatalf("approved request = %+v; want it waiting for alice, the password unchanged", approved.Request)
	}
	// Finishing checks everything again; a refusal keeps the approval.
	// The approvers approved changing the password, never seeing it: the
	// requester chooses it when finishing, not necessarily the one typed
	// when asking.
	e.apiErr(e.callApproved("PUT", "/account/password", session, req.ID, changePassword(testPassword, "short", true)), api.CodeInvalidRequest)
	e.apiErr(e.callApproved("PUT", "/account/password", session, req.ID, changePassword("not my password", strongPassword, true)), api.CodeInvalidRequest)
	e.apiErr(e.callApproved("PUT", "/account/password", hank, req.ID, change), api.CodePrivilegeMissing)
	var out api.ChangePasswordResponse
	e.ok(e.callApproved("PUT", "/account/password", session, req.ID, change), 200, &out)
	if out.SignedOut != 1 || !e.passwordSignsIn("alice", strongPassword) {
		t.Fatalf("finishing = %+v; want the new password and the other session signed out", out)
	}
	e.apiErr(e.call("GET", "/me", other, nil), api.CodeUnauthenticated)
	e.apiErr(e.callApproved("PUT", "/account/password", session, req.ID, changePassword(strongPassword, otherStrongPassword, false)), api.CodeApprovalUsed)

	// Neither the requester nor the approver ever reads a password, or
	// what binds the approval to it; nor does the log.
	bound := e.cfg.Secrets.CodeMAC("password.update\x00" + approved.Request.Requester.ID + "\x00" + strongPassword)
	secrets := []string{testPassword, strongPassword, otherStrongPassword, strings.SplitN(bound, ":", 2)[1]}
	for _, res := range []response{e.call("GET", "/requests/"+req.ID, session, nil), e.call("GET", "/inbox/"+req.ID, hank, nil),
		e.call("GET", "/requests?status=all", session, nil), e.call("GET", "/inbox?status=all", hank, nil)} {
		for _, s := range secrets {
			if strings.Contains(string(res.Body), s) {
				t.Errorf("a request as shown holds %q: %s", s, res.Body)
			}
		}
	}
	logs := e.logs.String()
	for _, s := range secrets {
		if strings.Contains(logs, s) {
			t.Errorf("the log holds %q:\n%s", s, logs)
		}
	}

	// A declined request changes nothing, and cannot be finished.
	next := changePassword(strongPassword, otherStrongPassword, false)
	e.ok(e.call("PUT", "/account/password", session, next), 202, &sent)
	e.ok(e.call("POST", "/inbox/"+sent.Request.ID+"/decline", hank, api.DecisionRequest{Comment: "Call me first."}), 200, nil)
	e.apiErr(e.callApproved("PUT", "/account/password", session, sent.Request.ID, next), api.CodeApprovalInvalid)
	if !e.passwordSignsIn("alice", strongPassword) {
		t.Error("a declined request changed the password")
	}
}
