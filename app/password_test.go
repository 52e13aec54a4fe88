package app_test

import (
	"context"
	"testing"

	"selfservice/api"
	"selfservice/app"
)

func TestChangePassword(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	b.signIn(t, s)
	if !s.Can(api.PrivPasswordUpdate) {
		t.Fatal("demo lacks password_update")
	}
	policy, err := s.PasswordPolicy(ctx)
	if err != nil || policy.MinLength == 0 {
		t.Fatalf("PasswordPolicy = %+v, %v", policy, err)
	}

	const next = "Granite-Orbit-7-Tulip"
	if _, err := s.ChangePassword(ctx, b.demo.Password, next, next+"x", true); fieldErrors(err)["confirm_password"] == "" {
		t.Errorf("two different new passwords: %v; want a field error of confirm_password", err)
	}
	if _, err := s.ChangePassword(ctx, "", next, next, true); fieldErrors(err)["current_password"] == "" {
		t.Errorf("no current password: %v; want a field error of current_password", err)
	}
	if _, err := s.ChangePassword(ctx, b.demo.Password, "demo-demo-demo", "demo-demo-demo", true); fieldErrors(err)["new_password"] == "" {
		t.Errorf("a new password with the username: %v; want a field error of new_password", err)
	}
	if _, err := s.ChangePassword(ctx, b.demo.Password, next, next, false); err != nil {
		t.Fatalf("ChangePassword: %v", err)
	}
	if _, err := s.ChangePassword(ctx, b.demo.Password, next, next, false); fieldErrors(err)["current_password"] == "" {
		t.Errorf("the old password as the current one: %v; want a field error of current_password", err)
	}
}
