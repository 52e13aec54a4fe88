package client_test

import (
	"context"
	"errors"
	"testing"

	"selfservice/api"
	"selfservice/client"
)

func TestSessionsAndActivity(t *testing.T) {
	ctx := context.Background()
	b := newBackend(t)
	laptop := newClient(t, b.url, client.Options{Device: "Selfservice 1.2 on Linux (build-07)"})
	b.signInOn(t, laptop, b.demo)
	desk := newClient(t, b.url, client.Options{Device: "Selfservice 1.2 on Windows (desk-12)"})
	b.signInOn(t, desk, b.demo)

	sessions, err := desk.Sessions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var laptopID string
	devices := map[string]bool{}
	for _, s := range sessions {
		devices[s.Device] = s.Current
		if s.Device == "Selfservice 1.2 on Linux (build-07)" {
			laptopID = s.ID
		}
	}
	if current, ok := devices["Selfservice 1.2 on Windows (desk-12)"]; !ok || !current || laptopID == "" {
		t.Fatalf("sessions %+v; want the laptop's and the desk's, the desk's current", sessions)
	}

	if err := desk.EndSession(ctx, laptopID); err != nil {
		t.Fatal(err)
	}
	if _, err := laptop.Me(ctx); !errors.Is(err, api.ErrUnauthenticated) {
		t.Errorf("the ended session: %v; want unauthenticated", err)
	}
	if err := desk.EndSession(ctx, laptopID); !errors.Is(err, api.ErrNotFound) {
		t.Errorf("ending it again: %v; want not_found", err)
	}

	b.signInOn(t, laptop, b.demo)
	if n, err := desk.SignOutSessions(ctx, api.SignOutOthers); err != nil || n < 1 {
		t.Fatalf("SignOutSessions(others) = %d, %v", n, err)
	}
	if _, err := laptop.Me(ctx); !errors.Is(err, api.ErrUnauthenticated) {
		t.Errorf("after signing out the others: %v; want unauthenticated", err)
	}

	activity, err := desk.Activity(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(activity) == 0 || !activity[0].Succeeded() || activity[0].Device != "Selfservice 1.2 on Linux (build-07)" {
		t.Fatalf("activity %+v; want the laptop's sign-in first", activity)
	}
	out, err := desk.ReportSignIn(ctx, activity[0].ID)
	if err != nil || out.SignedOut != 1 {
		t.Fatalf("ReportSignIn = %+v, %v; want this session ended", out, err)
	}
	if _, err := desk.Me(ctx); !errors.Is(err, api.ErrUnauthenticated) {
		t.Errorf("after the report: %v; want unauthenticated", err)
	}
}
