package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"selfservice/api"
	"selfservice/app"
	"selfservice/server"
)

func TestRegisterAndActivateFromTheApp(t *testing.T) {
	m := newMessagingWith(t, server.DemoTenant())
	ctx := context.Background()
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())

	opts, err := s.RecoveryOptions(ctx, m.url)
	if err != nil || !opts.Registration || opts.PasswordPolicy == nil {
		t.Fatalf("RecoveryOptions = %+v, %v; want registration with the policy from the demo", opts, err)
	}
	policy := *opts.PasswordPolicy
	good := app.Registration{DisplayName: "Nora North", Username: "nora", Email: "nora@example.com",
		Password: "Copper kettle 19 sunrise", Repeat: "Copper kettle 19 sunrise"}

	// Checked before anything is sent.
	for field, change := range map[string]func(r *app.Registration){
		"display_name":     func(r *app.Registration) { r.DisplayName = " " },
		"username":         func(r *app.Registration) { r.Username = "no ra" },
		"email":            func(r *app.Registration) { r.Email = "nora" },
		"password":         func(r *app.Registration) { r.Password, r.Repeat = "short", "short" },
		"confirm_password": func(r *app.Registration) { r.Repeat = "Copper kettle 19 sunris" },
	} {
		r := good
		change(&r)
		if _, err := s.Register(ctx, m.url, policy, r); fieldErrors(err)[field] == "" {
			t.Errorf("a bad %s: %v; want a field error of it", field, err)
		}
	}
	taken := good
	taken.Username = "demo"
	if _, err := s.Register(ctx, m.url, policy, taken); !strings.Contains(fieldErrors(err)["username"], "taken") {
		t.Errorf("a taken username: %v; want the server's field error of username", err)
	}
	if len(m.delivered(t)) != 0 {
		t.Fatal("a refused registration sent a message")
	}

	sent, err := s.Register(ctx, m.url, policy, good)
	if err != nil || !strings.Contains(sent.Message, "nora@example.com") {
		t.Fatalf("Register = %+v, %v", sent, err)
	}
	if _, err := s.Login(ctx, m.url, "nora", good.Password); !errors.Is(err, api.ErrActivationRequired) {
		t.Errorf("signing in before the activation: %v; want activation_required", err)
	}
	if _, err := s.ResendActivation(ctx, m.url, "nora"); err != nil {
		t.Errorf("ResendActivation: %v", err)
	}
	if _, err := s.Activate(ctx, m.url, "https://example.com/nothing"); fieldErrors(err)["link"] == "" {
		t.Errorf("a link without a token: %v; want a field error of link", err)
	}
	done, err := s.Activate(ctx, m.url, "  "+m.link(t, "activate", "nora@example.com")+"\n")
	if err != nil || done.Username != "nora" {
		t.Fatalf("Activate = %+v, %v; want nora", done, err)
	}
	if _, err := s.Activate(ctx, m.url, m.link(t, "activate", "nora@example.com")); !errors.Is(err, api.ErrLinkInvalid) {
		t.Errorf("the link again: %v; want link_invalid", err)
	}
	// The first sign-in asks for a first sign-in method.
	if ch, err := s.Login(ctx, m.url, "nora", good.Password); err != nil || ch != nil || !s.EnrollmentRequired() {
		t.Errorf("Login = %+v, %v; want a session that may only enroll", ch, err)
	}
}
