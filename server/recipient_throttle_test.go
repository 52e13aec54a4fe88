package server

import (
	"context"
	"testing"
	"time"

	"selfservice/api"
)

// TestMessagesToOneAddressAreThrottledAcrossTokensAndUsers: making and
// deleting SMS tokens, or another user naming the same number, must not
// flood a phone: one message per address per CodeResend.
func TestMessagesToOneAddressAreThrottledAcrossTokensAndUsers(t *testing.T) {
	e := newCodeEnv(t)
	e.addUser("sam", RoleEmployee)
	e.addUser("ria", RoleEmployee)
	sam, ria := e.enrollingSession("sam"), e.enrollingSession("ria")
	const victim = "+4915112345678"
	enroll := api.CreateTokenRequest{TemplateID: smsTemplate, Address: victim}

	var created api.CreateTokenResponse
	e.ok(e.call("POST", "/tokens", sam, enroll), 201, &created)
	e.ok(e.call("DELETE", "/tokens/"+created.Token.ID, sam, nil), 204, nil)
	res := e.call("POST", "/tokens", sam, enroll)
	e.apiErr(res, api.CodeResendTooSoon)
	if got := res.Header.Get("Retry-After"); got != "20" {
		t.Errorf("Retry-After = %q, want 20", got)
	}
	e.apiErr(e.call("POST", "/tokens", ria, enroll), api.CodeResendTooSoon)
	if got := len(e.messagesTo(victim)); got != 1 {
		t.Fatalf("%d messages to %s, want 1", got, victim)
	}

	e.clock.Advance(20 * time.Second)
	e.ok(e.call("POST", "/tokens", ria, enroll), 201, nil)
	if got := len(e.messagesTo(victim)); got != 2 {
		t.Errorf("%d messages to %s after the wait, want 2", got, victim)
	}
}

// TestPurgeForgetsOldMessages: sent messages stay listed for
// outboxRetention, then the purge deletes them; waiting ones stay.
func TestPurgeForgetsOldMessages(t *testing.T) {
	e := newCodeEnv(t)
	e.addUser("sam", RoleEmployee)
	e.ok(e.call("POST", "/tokens", e.enrollingSession("sam"), api.CreateTokenRequest{TemplateID: smsTemplate, Address: "+4915112345678"}), 201, nil)
	if _, err := e.exec(`UPDATE outbox SET status = ?, body = '' WHERE channel = 'sms'`, OutboxSent); err != nil {
		t.Fatal(err)
	}
	e.ok(e.call("POST", "/tokens", e.enrollingSession("sam"), api.CreateTokenRequest{TemplateID: emailTemplate, Address: "sam@example.com"}), 201, nil)
	purge := func() {
		t.Helper()
		if err := e.store.PurgeExpired(context.Background(), e.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	e.clock.Advance(outboxRetention - time.Second)
	purge()
	if n := e.countRows("outbox"); n != 2 {
		t.Fatalf("%d messages before the retention ends, want 2", n)
	}
	e.clock.Advance(time.Second)
	purge()
	var status string
	if err := e.queryRow(`SELECT status FROM outbox`).Scan(&status); err != nil || e.countRows("outbox") != 1 || status != OutboxPending {
		t.Errorf("after the retention: %d messages, the one left %q (%v); want only the waiting one", e.countRows("outbox"), status, err)
	}
}
