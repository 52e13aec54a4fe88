package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"selfservice/server"
	"selfservice/server/notify"
	"selfservice/server/storetest"
)

// enqueue writes messages into the outbox of the database at path, as
// the server does when an action sends something.
func enqueue(t *testing.T, path string, messages ...notify.Message) {
	t.Helper()
	ctx := context.Background()
	store, err := server.Open(ctx, path, server.WithSecretBox(testSecrets))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	now := time.Now().UTC()
	for _, m := range messages {
		err := store.Enqueue(ctx, server.OutboxRecord{Message: m, Status: server.OutboxPending, NextAttemptAt: now, CreatedAt: now})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestOutboxList(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "selfservice.db")
	enqueue(t, db,
		notify.Message{ID: "sms-1", Channel: notify.ChannelSMS, To: "+4915112345678", Body: "Your code is 135790"},
		notify.Message{ID: "email-1", Channel: notify.ChannelEmail, To: "dana@example.com", Subject: "Code", Body: "Your code is 246801"},
	)
	// Deliver with an SMS sender only: the SMS is sent, the email given up.
	store, err := server.Open(ctx, db, server.WithSecretBox(testSecrets))
	if err != nil {
		t.Fatal(err)
	}
	sent, err := server.New(store, server.Config{Secrets: testSecrets, SMSSender: notify.NewFileSender(t.TempDir())}).DeliverDue(ctx)
	store.Close()
	if err != nil || sent != 1 {
		t.Fatalf("DeliverDue = %d, %v; want 1 sent", sent, err)
	}

	var stdout bytes.Buffer
	if err := run(ctx, []string{"outbox", "list", "--db", db}, strings.NewReader(""), &stdout, io.Discard); err != nil {
		t.Fatalf("outbox list: %v", err)
	}
	out := stdout.String()
	for _, want := range []string{"ID", "LAST ERROR", "sms-1", "+49 •••• ••78", "SENT", "email-1", "d•••@example.com", "FAILED", "no sender configured for email"} {
		if !strings.Contains(out, want) {
			t.Errorf("outbox list lacks %q:\n%s", want, out)
		}
	}
	for _, secret := range []string{"135790", "246801", "+4915112345678", "dana@"} {
		if strings.Contains(out, secret) {
			t.Errorf("outbox list shows %q:\n%s", secret, out)
		}
	}

	stdout.Reset()
	if err := run(ctx, []string{"outbox", "list", "--db", db, "--status", "failed"}, strings.NewReader(""), &stdout, io.Discard); err != nil {
		t.Fatalf("outbox list --status failed: %v", err)
	}
	if out := stdout.String(); !strings.Contains(out, "email-1") || strings.Contains(out, "sms-1") {
		t.Errorf("outbox list --status failed:\n%s", out)
	}
	stdout.Reset()
	if err := run(ctx, []string{"outbox", "list", "--db", db, "--status", "PENDING"}, strings.NewReader(""), &stdout, io.Discard); err != nil {
		t.Fatalf("outbox list --status PENDING: %v", err)
	}
	if out := stdout.String(); out != "No PENDING messages.\n" {
		t.Errorf("outbox list --status PENDING = %q", out)
	}
}

func TestBadOutboxCommandLines(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.db")
	db := storetest.DSN(t, filepath.Join(dir, "selfservice.db"))
	enqueue(t, db)
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"no subcommand", []string{"outbox"}, "outbox list"},
		{"retry", []string{"outbox", "retry", "abc"}, "cannot be sent again"},
		{"no db", []string{"outbox", "list"}, "--db FILE"},
		{"missing db", []string{"outbox", "list", "--db", missing}, "there is no database"},
		{"bad status", []string{"outbox", "list", "--db", db, "--status", "LOST"}, "PENDING, SENT or FAILED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(context.Background(), tt.args, strings.NewReader(""), io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("run(%q) = %v, want an error containing %q", tt.args, err, tt.wantErr)
			}
		})
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("outbox list created %s", missing)
	}
}

func TestServeSenderOptions(t *testing.T) {
	db := filepath.Join(t.TempDir(), "selfservice.db")
	const longSecret = "0123456789abcdef0123"
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
	}{
		{"smtp without from", []string{"--smtp-host", "mail.example.com"}, nil, "--smtp-from"},
		{"smtp user without password", []string{"--smtp-host", "mail.example.com", "--smtp-from", "a@example.com", "--smtp-user", "ss"}, nil, envSMTPPassword},
		{"smtp password without user", []string{"--smtp-host", "mail.example.com", "--smtp-from", "a@example.com"}, map[string]string{envSMTPPassword: "pw-secret-1"}, "--smtp-user"},
		{"smtp options without host", []string{"--smtp-from", "a@example.com"}, nil, "--smtp-host"},
		{"smtp bad tls mode", []string{"--smtp-host", "mail.example.com", "--smtp-from", "a@example.com", "--smtp-tls", "ssl"}, nil, "starttls, tls or none"},
		{"smtp plain text off this machine", []string{"--smtp-host", "mail.example.com", "--smtp-from", "a@example.com", "--smtp-tls", "none"}, nil, "localhost"},
		{"webhook without secret", []string{"--sms-webhook", "https://sms.example.com/send"}, nil, envSMSWebhookSecret},
		{"webhook with a short secret", []string{"--sms-webhook", "https://sms.example.com/send"}, map[string]string{envSMSWebhookSecret: "short"}, "at least 16"},
		{"webhook over http", []string{"--sms-webhook", "http://sms.example.com/send?key=url-key"}, map[string]string{envSMSWebhookSecret: longSecret}, "use https://"},
		{"webhook not a URL", []string{"--sms-webhook", "sms.example.com"}, map[string]string{envSMSWebhookSecret: longSecret}, "https://host/path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(envSMTPPassword, "")
			t.Setenv(envSMSWebhookSecret, "")
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			args := append([]string{"serve", "--db", db, "--listen", "127.0.0.1:0"}, tt.args...)
			err := run(context.Background(), args, strings.NewReader(""), io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("serve %q = %v, want an error containing %q", tt.args, err, tt.wantErr)
			}
			for _, secret := range []string{"pw-secret-1", longSecret, "url-key"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q shows %q", err, secret)
				}
			}
		})
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("serve with wrong sender options created the database")
	}
}

func TestDeliveryFlagsSenders(t *testing.T) {
	env := map[string]string{envSMTPPassword: "mail password", envSMSWebhookSecret: "0123456789abcdef0123"}
	f := deliveryFlags{smtpHost: "mail.example.com", smtpFrom: "Selfservice <no-reply@example.com>", smtpUser: "ss",
		smtpTLS: notify.SMTPStartTLS, smsWebhook: "https://sms.example.com/send?key=url-key", messagesDir: t.TempDir()}
	got, err := f.senders(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got.email.(*notify.SMTPSender); !ok {
		t.Errorf("email sender = %T, want SMTP", got.email)
	}
	if _, ok := got.sms.(*notify.WebhookSender); !ok {
		t.Errorf("SMS sender = %T, want the webhook", got.sms)
	}
	if got.smsVia != "webhook https://sms.example.com" || got.emailVia != "smtp mail.example.com (starttls)" {
		t.Errorf("via = %q, %q", got.emailVia, got.smsVia)
	}

	// --messages-dir takes the channels that have no other sender.
	f = deliveryFlags{smtpTLS: notify.SMTPStartTLS, smsWebhook: "http://127.0.0.1:9999/sms", messagesDir: t.TempDir()}
	got, err = f.senders(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got.email.(*notify.FileSender); !ok {
		t.Errorf("email sender = %T, want files", got.email)
	}
	if _, ok := got.sms.(*notify.WebhookSender); !ok {
		t.Errorf("SMS sender = %T, want the webhook (http on loopback)", got.sms)
	}

	got, err = deliveryFlags{smtpTLS: notify.SMTPStartTLS}.senders(func(string) string { return "" })
	if err != nil || got.email != nil || got.sms != nil || got.emailVia != "off" || got.smsVia != "off" {
		t.Errorf("no options = %+v, %v; want both channels off", got, err)
	}
}

func TestServeDeliversToMessagesDir(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	db := storetest.DSN(t, filepath.Join(dir, "selfservice.db"))
	messages := filepath.Join(dir, "messages")
	stderr := &urlWatcher{url: make(chan string, 1)}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--db", db, "--listen", "127.0.0.1:0", "--messages-dir", messages},
			strings.NewReader(""), io.Discard, stderr)
	}()
	select {
	case <-stderr.url:
	case err := <-done:
		t.Fatalf("serve ended early: %v\n%s", err, stderr)
	}

	// Another process (here: another connection) writes a message; the
	// running server's worker finds it within its recheck interval.
	enqueue(t, db, notify.Message{ID: "m-1", Channel: notify.ChannelSMS, To: "+4915112345678", Body: "Your code is 135790"})
	var got []notify.Received
	deadline := time.Now().Add(10 * time.Second)
	for poll := time.NewTicker(20 * time.Millisecond); len(got) == 0; <-poll.C {
		var err error
		if got, err = notify.ReadMessages(messages); err != nil {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("no message was delivered within 10s\n%s", stderr)
		}
	}
	if len(got) != 1 || got[0].ID != "m-1" || got[0].Body != "Your code is 135790" {
		t.Errorf("delivered %+v", got)
	}

	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve after cancel = %v, want a clean shutdown", err)
	}
	out := stderr.String()
	if !strings.Contains(out, `email="files in `+messages) || !strings.Contains(out, "outbox: message sent") {
		t.Errorf("the log does not say where messages go, or that one was sent:\n%s", out)
	}
	if strings.Contains(out, "135790") {
		t.Errorf("the log shows the message's text:\n%s", out)
	}
}
