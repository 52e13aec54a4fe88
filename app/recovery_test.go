package app_test

import (
	"context"
	"errors"
	"regexp"
	"testing"

	"selfservice/api"
	"selfservice/app"
	"selfservice/server"
)

// resetLink delivers the outbox and returns the newest reset link sent
// to address.
func (m *messaging) resetLink(t *testing.T, address string) string {
	t.Helper()
	return m.link(t, "reset", address)
}

// link delivers the outbox and returns the newest link to the page
// (reset, activate) sent to address.
func (m *messaging) link(t *testing.T, page, address string) string {
	t.Helper()
	messages := m.delivered(t)
	link := regexp.MustCompile(`http://\S+/` + page + `/\S+`)
	for i := len(messages) - 1; i >= 0; i-- {
		if l := link.FindString(messages[i].Body); messages[i].To == address && l != "" {
			return l
		}
	}
	t.Fatalf("no %s link was sent to %s", page, address)
	return ""
}

func TestPasswordResetWithAPastedLink(t *testing.T) {
	m := newMessagingWith(t, server.DemoTenant())
	ctx := context.Background()
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())

	opts, err := s.RecoveryOptions(ctx, m.url)
	if err != nil || !opts.PasswordReset || !opts.UsernameReminder {
		t.Fatalf("RecoveryOptions = %+v, %v; want both offered by the demo", opts, err)
	}
	if _, err := s.RequestPasswordReset(ctx, m.url, "  "); fieldErrors(err)["login"] == "" {
		t.Errorf("an empty login: %v; want a field error of login", err)
	}
	if _, err := s.RequestPasswordReset(ctx, m.url, "demo"); err != nil {
		t.Fatalf("RequestPasswordReset: %v", err)
	}
	pasted := "  " + m.resetLink(t, "demo@example.com") + "\n"

	if _, err := s.OpenResetLink(ctx, m.url, "https://example.com/nothing"); fieldErrors(err)["link"] == "" {
		t.Errorf("a link without a token: %v; want a field error of link", err)
	}
	link, err := s.OpenResetLink(ctx, m.url, pasted)
	if err != nil || link.Username != "demo" {
		t.Fatalf("OpenResetLink = %+v, %v; want demo's link", link, err)
	}
	// Checked before anything is sent.
	if _, err := s.ResetPassword(ctx, m.url, link, "short", "short"); fieldErrors(err)["new_password"] == "" {
		t.Errorf("a short password: %v; want a field error of new_password", err)
	}
	if _, err := s.ResetPassword(ctx, m.url, link, "Copper kettle 19 sunrise", "Copper kettle 19 sunris"); fieldErrors(err)["confirm_password"] == "" {
		t.Errorf("a repeat that differs: %v; want a field error of confirm_password", err)
	}
	if _, err := s.ResetPassword(ctx, m.url, link, "Copper kettle 19 sunrise", "Copper kettle 19 sunrise"); err != nil {
		t.Fatalf("ResetPassword: %v", err)
	}
	if _, err := s.ResetPassword(ctx, m.url, link, "Copper kettle 20 sunrise", "Copper kettle 20 sunrise"); !errors.Is(err, api.ErrLinkInvalid) {
		t.Errorf("the link again: %v; want link_invalid", err)
	}
	if _, err := s.Login(ctx, m.url, "demo", "Copper kettle 19 sunrise"); err != nil {
		t.Errorf("signing in with the new password: %v", err)
	}
}

func TestUsernameReminderFromTheApp(t *testing.T) {
	m := newMessagingWith(t, server.DemoTenant())
	ctx := context.Background()
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	if _, err := s.RemindUsername(ctx, m.url, "not an address"); fieldErrors(err)["email"] == "" {
		t.Errorf("a bad address: %v; want a field error of email", err)
	}
	sent, err := s.RemindUsername(ctx, m.url, "demo@example.com")
	if err != nil || sent.Message == "" {
		t.Fatalf("RemindUsername = %+v, %v", sent, err)
	}
	if messages := m.delivered(t); len(messages) != 1 || !regexp.MustCompile(`\n    demo\n`).MatchString(messages[0].Body) {
		t.Errorf("messages %+v; want the reminder naming demo", messages)
	}
}
