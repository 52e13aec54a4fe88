package server

import (
	"context"
	"testing"
	"time"

	"selfservice/api"
)

// TestAddressChangeIsApprovable: under a self-approval policy, moving an
// SMS token needs a step-up with another method; the confirmed approval
// covers only the address it was asked for; sending its code again needs
// none.
func TestAddressChangeIsApprovable(t *testing.T) {
	e := newCodeEnv(t)
	u, totp, session := e.userWithToken("alice", RoleEmployee)
	sms := e.addCodeToken(u.ID, smsTemplate, "+4915112345678", api.StatusActive)
	if err := SetApprovalPolicy(context.Background(), e.store, ApprovalPolicy{Operation: api.OpTokenAddress, Mode: api.ModeSelf}); err != nil {
		t.Fatal(err)
	}
	path := "/tokens/" + sms.ID + "/address"
	move := api.ChangeAddressRequest{Address: "+4915199999999"}

	step, ok := api.ApprovalRequired(e.apiErr(e.call("PUT", path, session, move), api.CodeApprovalRequired))
	if !ok {
		t.Fatal("no approval details")
	}
	var a api.ApprovalResponse
	e.ok(e.call("GET", "/approvals/"+step.ApprovalID, session, nil), 200, &a)
	if a.Approval.Operation != api.OpTokenAddress || a.Approval.Target != sms.ID {
		t.Fatalf("approval = %+v; want token.address on the SMS token", a.Approval)
	}
	if got := e.messagesTo("+4915199999999"); len(got) != 0 {
		t.Fatalf("a code went to the new address before the step-up: %d messages", len(got))
	}
	e.clock.Advance(30 * time.Second)
	e.ok(e.call("POST", "/approvals/"+step.ApprovalID+"/verify", session, api.VerifyApprovalRequest{TokenID: totp.ID, OTP: e.totp(totp, 0)}), 200, nil)

	// The approval is for this address only.
	e.apiErr(e.callApproved("PUT", path, session, step.ApprovalID, api.ChangeAddressRequest{Address: "+4915188888888"}), api.CodeApprovalInvalid)
	var ch api.ChallengeResponse
	e.ok(e.callApproved("PUT", path, session, step.ApprovalID, move), 200, &ch)
	if ch.Delivery == nil || ch.Delivery.SentTo != "+49 •••• ••99" {
		t.Fatalf("challenge = %+v; want a code sent to the new number", ch)
	}
	// Sending the code again to the same address needs no new step-up;
	// another address does.
	e.clock.Advance(20 * time.Second)
	e.ok(e.call("PUT", path, session, move), 200, nil)
	e.apiErr(e.call("PUT", path, session, api.ChangeAddressRequest{Address: "+4915188888888"}), api.CodeApprovalRequired)
	if got := e.messagesTo("+4915188888888"); len(got) != 0 {
		t.Fatalf("a code went to an unconfirmed address: %d messages", len(got))
	}

	var out api.TokenResponse
	e.ok(e.call("POST", path+"/confirm", session, api.OTPRequest{OTP: e.sentCode("+4915199999999")}), 200, &out)
	if out.Token.Address != "+4915199999999" {
		t.Errorf("address = %q; want the new number", out.Token.Address)
	}
}
