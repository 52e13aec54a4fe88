package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"selfservice/api"
	"selfservice/app"
)

func TestSessionsSignOutOthersAndThisOne(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	other := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	b.signIn(t, other)
	secrets := app.NewMemorySecrets()
	s := app.NewSession(connect, secrets, newPrefs())
	b.signIn(t, s)
	if !s.Can(api.PrivSessionsView) || !s.Can(api.PrivSessionsManage) {
		t.Fatal("demo lacks the sessions privileges")
	}

	list, err := s.Sessions(ctx)
	if err != nil || len(list) < 2 || !list[0].Current {
		t.Fatalf("Sessions = %+v, %v; want this one first and current, and the other", list, err)
	}
	if n, err := s.SignOutOthers(ctx); err != nil || n < 1 {
		t.Fatalf("SignOutOthers = %d, %v", n, err)
	}
	if _, err := other.Sessions(ctx); !errors.Is(err, api.ErrUnauthenticated) || other.SignedIn() {
		t.Errorf("the other app after SignOutOthers: %v, signed in %v; want it signed out", err, other.SignedIn())
	}
	if !s.SignedIn() {
		t.Fatal("SignOutOthers signed this app out")
	}

	token := b.savedToken(t, secrets)
	signedOut, err := s.EndSession(ctx, list[0])
	if err != nil || !signedOut || s.SignedIn() {
		t.Fatalf("EndSession(this one) = %v, %v, signed in %v; want signed out", signedOut, err, s.SignedIn())
	}
	if b.tokenWorks(t, token) || b.savedToken(t, secrets) != "" {
		t.Error("the ended session's token still works or is still saved")
	}
}

func TestSignOutEverywhereAndReport(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	secrets := app.NewMemorySecrets()
	s := app.NewSession(connect, secrets, newPrefs())
	b.signIn(t, s)
	if n, err := s.SignOutEverywhere(ctx); err != nil || n < 1 || s.SignedIn() || b.savedToken(t, secrets) != "" {
		t.Fatalf("SignOutEverywhere = %d, %v; signed in %v; want this app signed out too", n, err, s.SignedIn())
	}

	b.signIn(t, s)
	token := b.savedToken(t, secrets)
	activity, err := s.Activity(ctx)
	if err != nil || len(activity) < 2 || !activity[0].Succeeded() {
		t.Fatalf("Activity = %+v, %v; want both sign-ins, newest first", activity, err)
	}
	out, err := s.ReportSignIn(ctx, activity[1].ID)
	if err != nil || out.SignedOut < 1 || s.SignedIn() || b.tokenWorks(t, token) {
		t.Fatalf("ReportSignIn = %+v, %v; signed in %v; want every session ended", out, err, s.SignedIn())
	}
	if _, err := s.Activity(ctx); err == nil {
		t.Error("Activity after the report worked; want signed out")
	}
}

func TestDeviceName(t *testing.T) {
	name := app.DeviceName("1.2")
	if !strings.HasPrefix(name, "Selfservice 1.2 on ") || api.CheckDeviceName(name) != nil {
		t.Errorf("DeviceName = %q", name)
	}
	if got := app.DeviceName(strings.Repeat("9", 200)); api.CheckDeviceName(got) != nil {
		t.Errorf("a long version: %q is not a valid device name", got)
	}
}
