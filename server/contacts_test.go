package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"selfservice/api"
	"selfservice/server/notify"
)

// newContactEnv is a server that sends codes, with the demo's contact
// fields (work_email: mandatory, verify, notify, locked; private_email:
// verify, notify; mobile: verify, notify, locked; desk_phone; postal_address:
// TEXT) and its SMS and email templates restricted to them.
func newContactEnv(t *testing.T) *env {
	files := notify.NewFileSender(t.TempDir())
	demo := DemoTenant()
	return newEnvWith(t, Config{EmailSender: files, SMSSender: files,
		Tenant: Tenant{ContactFields: demo.ContactFields, TemplateContacts: demo.TemplateContacts}})
}

func (e *env) contacts(session string) api.ContactsResponse {
	e.t.Helper()
	var out api.ContactsResponse
	e.ok(e.call("GET", "/account/contacts", session, nil), 200, &out)
	return out
}

// contact returns the caller's value of field, or the zero value.
func (e *env) contact(session, field string) api.ContactValue {
	e.t.Helper()
	for _, v := range e.contacts(session).Values {
		if v.Field == field {
			return v
		}
	}
	return api.ContactValue{}
}

// setVerified sets and confirms a value of a field with verify.
func (e *env) setVerified(session, field, value string) api.ContactValue {
	e.t.Helper()
	var sent api.ContactResponse
	e.ok(e.call("PUT", "/account/contacts/"+field, session, api.SetContactRequest{Value: value}), 200, &sent)
	if sent.Pending == nil {
		e.t.Fatalf("setting %s = %+v; want a code sent", field, sent)
	}
	var out api.ContactResponse
	e.ok(e.call("POST", "/account/contacts/"+field+"/confirm", session, api.OTPRequest{OTP: e.sentCode(value)}), 200, &out)
	e.clock.Advance(21 * time.Second) // past the resend wait
	return *out.Contact
}

func TestContactWithVerifyIsStoredOnlyWithTheCodeSentToTheNewValue(t *testing.T) {
	e := newContactEnv(t)
	_, _, session := e.userWithToken("alice", RoleEmployee)

	var res api.ContactResponse
	e.ok(e.call("PUT", "/account/contacts/mobile", session, api.SetContactRequest{Value: "+49 151 1234 5678"}), 200, &res)
	if res.Pending == nil || res.Pending.Value != "+4915112345678" || res.Pending.Delivery.SentTo != "+49 •••• ••78" {
		t.Fatalf("answer = %+v; want the normalised value waiting for the code sent to it", res)
	}
	if got := e.contact(session, "mobile"); got.Value != "" {
		t.Fatalf("mobile = %+v before the code was confirmed; want none", got)
	}
	if p := e.contacts(session).Change; len(p) != 1 || p[0].Field != "mobile" {
		t.Errorf("pending = %+v; want the mobile change", p)
	}
	code := e.sentCode("+4915112345678")
	e.apiErr(e.call("POST", "/account/contacts/mobile/confirm", session, api.OTPRequest{OTP: otherCode(code)}), api.CodeOTPInvalid)
	var done api.ContactResponse
	e.ok(e.call("POST", "/account/contacts/mobile/confirm", session, api.OTPRequest{OTP: code}), 200, &done)
	if c := done.Contact; c == nil || c.Value != "+4915112345678" || !c.Verified {
		t.Fatalf("confirmed = %+v; want the verified number", done)
	}
	e.apiErr(e.call("POST", "/account/contacts/mobile/confirm", session, api.OTPRequest{OTP: code}), api.CodeCodeExpired)
	if p := e.contacts(session).Change; len(p) != 0 {
		t.Errorf("pending = %+v after the confirmation; want none", p)
	}
}

func TestContactCodeIsTriedOutAndThrottled(t *testing.T) {
	e := newContactEnv(t)
	_, _, session := e.userWithToken("alice", RoleEmployee)
	e.ok(e.call("PUT", "/account/contacts/private_email", session, api.SetContactRequest{Value: "alice@home.example"}), 200, nil)
	// A new code within 20 s is refused, for this field and address.
	e.apiErr(e.call("PUT", "/account/contacts/private_email", session, api.SetContactRequest{Value: "alice@home.example"}), api.CodeResendTooSoon)
	code := e.sentCode("alice@home.example")
	for range e.cfg.withDefaults().MaxFailures {
		e.apiErr(e.call("POST", "/account/contacts/private_email/confirm", session, api.OTPRequest{OTP: otherCode(code)}), api.CodeOTPInvalid)
	}
	e.apiErr(e.call("POST", "/account/contacts/private_email/confirm", session, api.OTPRequest{OTP: code}), api.CodeCodeExpired)
	if got := e.contact(session, "private_email"); got.Value != "" {
		t.Errorf("private email = %+v after the code was tried out; want none", got)
	}
	// A code expires.
	e.clock.Advance(21 * time.Second)
	e.ok(e.call("PUT", "/account/contacts/private_email", session, api.SetContactRequest{Value: "alice@home.example"}), 200, nil)
	code = e.sentCode("alice@home.example")
	e.clock.Advance(e.cfg.withDefaults().CodeTTL)
	e.apiErr(e.call("POST", "/account/contacts/private_email/confirm", session, api.OTPRequest{OTP: code}), api.CodeCodeExpired)
}

func TestContactValuesAreCheckedForTheirType(t *testing.T) {
	e := newContactEnv(t)
	_, _, session := e.userWithToken("alice", RoleEmployee)
	for _, c := range []struct{ field, value, want string }{
		{"work_email", "not an address", "name@example.com"},
		{"mobile", "0151 123", "international form"},
		{"postal_address", "line one\nline two", "one line"},
		{"postal_address", strings.Repeat("x", api.MaxContactTextLen+1), "200"},
		{"postal_address", "   ", "Enter a value"},
	} {
		err := e.apiErr(e.call("PUT", "/account/contacts/"+c.field, session, api.SetContactRequest{Value: c.value}), api.CodeInvalidRequest)
		if msg := err.FieldErrors()["value"]; !strings.Contains(msg, c.want) {
			t.Errorf("%s = %q: value error %q; want it to say %q", c.field, c.value, msg, c.want)
		}
	}
	e.apiErr(e.call("PUT", "/account/contacts/no_such_field", session, api.SetContactRequest{Value: "x"}), api.CodeNotFound)
	if got := e.contacts(session); len(got.Values) != 0 || len(got.Change) != 0 || e.countRows("outbox") != 0 {
		t.Errorf("after refusals: %+v, %d messages; want nothing stored or sent", got, e.countRows("outbox"))
	}
	// A field without verify is stored at once, unverified, and tells nobody.
	var res api.ContactResponse
	e.ok(e.call("PUT", "/account/contacts/postal_address", session, api.SetContactRequest{Value: "  Building B, 3.01 "}), 200, &res)
	if res.Contact == nil || res.Contact.Value != "Building B, 3.01" || res.Contact.Verified {
		t.Errorf("postal address = %+v; want the trimmed value, unverified", res)
	}
	e.ok(e.call("PUT", "/account/contacts/desk_phone", session, api.SetContactRequest{Value: "+49 30 1234567"}), 200, nil)
	if n := e.countRows("outbox"); n != 0 {
		t.Errorf("%d messages for fields without verify or notify; want none", n)
	}
}

func TestContactChangeTellsOldAndNewAndMovesTheTokens(t *testing.T) {
	e := newContactEnv(t)
	u, _, session := e.userWithToken("alice", RoleEmployee)
	e.setVerified(session, "mobile", "+4915111111111")
	sms := e.addCodeToken(u.ID, smsTemplate, "+4915111111111", api.StatusActive)
	e.issueCode("alice", time.Hour, 3)
	if got := e.contact(session, "mobile").UsedBy; len(got) != 1 || got[0] != sms.Label {
		t.Errorf("used_by = %v; want the SMS token", got)
	}

	e.setVerified(session, "mobile", "+4915122222222")
	if got := e.token(u.ID, sms.ID).Address; got != "+4915122222222" {
		t.Errorf("SMS token address = %s; want it moved to the new number", got)
	}
	if reason := e.emergencyReason(u.ID); reason != ReasonAddressChanged {
		t.Errorf("emergency code: %q; want it deactivated by the address change", reason)
	}
	old := e.lastMessageTo("+4915111111111")
	if !strings.Contains(old.Body, "changed from this address") || !strings.Contains(old.Body, "+49 •••• ••22") {
		t.Errorf("message to the old number %q; want a notice of the change to the masked new one", old.Body)
	}
	if msgs := e.messagesTo("+4915122222222"); len(msgs) != 2 || !strings.Contains(msgs[1].Body, "is now your Mobile phone") {
		t.Errorf("messages to the new number: %+v; want the code, then the notice", msgs)
	}
}

func TestContactRemovalRules(t *testing.T) {
	e := newContactEnv(t)
	u, _, session := e.userWithToken("alice", RoleEmployee)
	e.setVerified(session, "work_email", "alice@example.com")
	e.setVerified(session, "mobile", "+4915111111111")
	e.ok(e.call("PUT", "/account/contacts/postal_address", session, api.SetContactRequest{Value: "A 1.01"}), 200, nil)

	// Mandatory: never removed.
	err := e.apiErr(e.call("DELETE", "/account/contacts/work_email", session, nil), api.CodeInvalidState)
	if !strings.Contains(err.Message, "requires your Work email") {
		t.Errorf("refusal %q; want it to say the field is required", err.Message)
	}
	// Used by a sign-in method: kept until it moves.
	sms := e.addCodeToken(u.ID, smsTemplate, "+4915111111111", api.StatusActive)
	err = e.apiErr(e.call("DELETE", "/account/contacts/mobile", session, nil), api.CodeInvalidState)
	if !strings.Contains(err.Message, sms.Label) {
		t.Errorf("refusal %q; want it to name the SMS token", err.Message)
	}
	if _, err := e.exec(`DELETE FROM tokens WHERE id = ?`, sms.ID); err != nil {
		t.Fatal(err)
	}
	// Locked: the code goes to the value being removed.
	var res api.ContactResponse
	e.ok(e.call("DELETE", "/account/contacts/mobile", session, nil), 200, &res)
	if res.Pending == nil || !res.Pending.Remove || res.Pending.Value != "" {
		t.Fatalf("answer = %+v; want a removal waiting for its code, without the value", res)
	}
	if got := e.contact(session, "mobile"); got.Value == "" {
		t.Fatal("the locked number went before its code was confirmed")
	}
	var done api.ContactResponse
	e.ok(e.call("POST", "/account/contacts/mobile/confirm", session, api.OTPRequest{OTP: e.sentCode("+4915111111111")}), 200, &done)
	if !done.Removed || e.contact(session, "mobile").Value != "" {
		t.Errorf("answer = %+v; want the number removed", done)
	}
	if m := e.lastMessageTo("+4915111111111"); !strings.Contains(m.Body, "was removed") {
		t.Errorf("last message to the number %q; want the removal notice", m.Body)
	}
	// Neither mandatory nor locked: removed at once.
	e.ok(e.call("DELETE", "/account/contacts/postal_address", session, nil), 200, &done)
	if !done.Removed || e.contact(session, "postal_address").Value != "" {
		t.Errorf("postal address after removal: %+v", e.contact(session, "postal_address"))
	}
	e.apiErr(e.call("DELETE", "/account/contacts/postal_address", session, nil), api.CodeNotFound)
}

func TestPreferredContact(t *testing.T) {
	e := newContactEnv(t)
	_, _, session := e.userWithToken("alice", RoleEmployee)
	e.setVerified(session, "work_email", "alice@example.com")
	e.setVerified(session, "mobile", "+4915111111111")
	e.ok(e.call("PUT", "/account/contacts/postal_address", session, api.SetContactRequest{Value: "A 1.01"}), 200, nil)

	e.apiErr(e.call("POST", "/account/contacts/postal_address/preferred", session, nil), api.CodeNotSupported)
	e.apiErr(e.call("POST", "/account/contacts/private_email/preferred", session, nil), api.CodeInvalidState)
	e.ok(e.call("POST", "/account/contacts/work_email/preferred", session, nil), 200, nil)
	e.ok(e.call("POST", "/account/contacts/mobile/preferred", session, nil), 200, nil)
	var preferred []string
	for _, v := range e.contacts(session).Values {
		if v.Preferred {
			preferred = append(preferred, v.Field)
		}
	}
	if len(preferred) != 1 || preferred[0] != "mobile" {
		t.Errorf("preferred = %v; want only the mobile", preferred)
	}
	// A new value keeps the star.
	e.setVerified(session, "mobile", "+4915122222222")
	if !e.contact(session, "mobile").Preferred {
		t.Error("the changed number lost the star")
	}
}

func TestContactChangeIsApprovable(t *testing.T) {
	e := newContactEnv(t)
	_, totp, session := e.userWithToken("alice", RoleEmployee)
	if err := SetApprovalPolicy(context.Background(), e.store, ApprovalPolicy{Operation: api.OpContactUpdate, Mode: api.ModeSelf}); err != nil {
		t.Fatal(err)
	}
	set := api.SetContactRequest{Value: "+4915199999999"}
	step, ok := api.ApprovalRequired(e.apiErr(e.call("PUT", "/account/contacts/mobile", session, set), api.CodeApprovalRequired))
	if !ok {
		t.Fatal("no approval details")
	}
	if got := e.messagesTo("+4915199999999"); len(got) != 0 {
		t.Fatalf("a code went to the new number before the step-up: %d messages", len(got))
	}
	e.clock.Advance(30 * time.Second)
	e.ok(e.call("POST", "/approvals/"+step.ApprovalID+"/verify", session, api.VerifyApprovalRequest{TokenID: totp.ID, OTP: e.totp(totp, 0)}), 200, nil)
	// The approval covers this value only, and works once.
	e.apiErr(e.callApproved("PUT", "/account/contacts/mobile", session, step.ApprovalID, api.SetContactRequest{Value: "+4915188888888"}), api.CodeApprovalInvalid)
	e.ok(e.callApproved("PUT", "/account/contacts/mobile", session, step.ApprovalID, set), 200, nil)
	// Sending the code again for the same value needs no new step-up;
	// another value does, and sends nothing.
	e.clock.Advance(21 * time.Second)
	e.ok(e.call("PUT", "/account/contacts/mobile", session, set), 200, nil)
	if got := e.messagesTo("+4915199999999"); len(got) != 2 {
		t.Fatalf("%d messages to the new number; want the code and the one sent again", len(got))
	}
	e.clock.Advance(21 * time.Second)
	e.apiErr(e.call("PUT", "/account/contacts/mobile", session, api.SetContactRequest{Value: "+4915188888888"}), api.CodeApprovalRequired)
	if got := e.messagesTo("+4915188888888"); len(got) != 0 {
		t.Fatalf("a code went to an unconfirmed number: %d messages", len(got))
	}
	e.ok(e.call("POST", "/account/contacts/mobile/confirm", session, api.OTPRequest{OTP: e.sentCode("+4915199999999")}), 200, nil)
	if got := e.contact(session, "mobile"); got.Value != "+4915199999999" {
		t.Errorf("mobile = %+v; want the approved number", got)
	}
	// Removal is approvable too.
	e.apiErr(e.call("DELETE", "/account/contacts/mobile", session, nil), api.CodeApprovalRequired)
}

func TestContactsNeedTheirPrivilegesAndStayTheUsers(t *testing.T) {
	e := newContactEnv(t)
	_, _, alice := e.userWithToken("alice", RoleEmployee)
	_, _, bob := e.userWithToken("bob", RoleEmployee)
	_, _, helpdesk := e.userWithToken("helen", RoleHelpdesk)
	e.ok(e.call("PUT", "/account/contacts/postal_address", alice, api.SetContactRequest{Value: "A 1.01"}), 200, nil)
	if got := e.contacts(bob).Values; len(got) != 0 {
		t.Errorf("bob sees %+v; want only his own (none)", got)
	}
	for _, c := range []struct{ method, path string }{
		{"GET", "/account/contacts"},
		{"PUT", "/account/contacts/postal_address"},
		{"DELETE", "/account/contacts/postal_address"},
		{"POST", "/account/contacts/mobile/confirm"},
		{"POST", "/account/contacts/work_email/preferred"},
	} {
		var body any
		switch c.method {
		case "PUT":
			body = api.SetContactRequest{Value: "x"}
		case "POST":
			body = api.OTPRequest{OTP: "123456"}
		}
		err := e.apiErr(e.call(c.method, c.path, helpdesk, body), api.CodePrivilegeMissing)
		if err.Details["privilege"] == nil {
			t.Errorf("%s %s: %+v; want the missing privilege named", c.method, c.path, err)
		}
	}
}

func TestCodeTemplatesTakeOnlyVerifiedContactValues(t *testing.T) {
	e := newContactEnv(t)
	u, _, session := e.userWithToken("alice", RoleEmployee)
	var templates api.TemplatesResponse
	e.ok(e.call("GET", "/token-templates", session, nil), 200, &templates)
	for _, tpl := range templates.Templates {
		if tpl.ID == smsTemplate && (len(tpl.ContactFields) != 1 || tpl.ContactFields[0] != "mobile") {
			t.Errorf("SMS template contact fields = %v; want [mobile]", tpl.ContactFields)
		}
	}
	enroll := api.CreateTokenRequest{TemplateID: smsTemplate, Address: "+4915111111111"}
	err := e.apiErr(e.call("POST", "/tokens", session, enroll), api.CodeInvalidRequest)
	if !strings.Contains(err.FieldErrors()["address"], "Contact details") {
		t.Errorf("refusal %+v; want the address field sent to Contact details", err)
	}
	// An unconfirmed value does not count.
	e.ok(e.call("PUT", "/account/contacts/mobile", session, api.SetContactRequest{Value: "+4915111111111"}), 200, nil)
	e.apiErr(e.call("POST", "/tokens", session, enroll), api.CodeInvalidRequest)
	e.ok(e.call("POST", "/account/contacts/mobile/confirm", session, api.OTPRequest{OTP: e.sentCode("+4915111111111")}), 200, nil)
	e.clock.Advance(21 * time.Second)
	var created api.CreateTokenResponse
	e.ok(e.call("POST", "/tokens", session, enroll), 201, &created)
	// Moving the token goes only to another confirmed value.
	sms := e.addCodeToken(u.ID, smsTemplate, "+4915111111111", api.StatusActive)
	e.apiErr(e.call("PUT", "/tokens/"+sms.ID+"/address", session, api.ChangeAddressRequest{Address: "+4915122222222"}), api.CodeInvalidRequest)
}
