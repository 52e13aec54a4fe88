package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"selfservice/api"
	"selfservice/app"
)

func TestSignInByQRCode(t *testing.T) {
	m := newMessaging(t)
	ctx := context.Background()
	_, phone := m.addPhone(t, m.signedInDemo(t))

	prefs := newPrefs()
	secrets := app.NewMemorySecrets()
	s := app.NewSession(connect, secrets, prefs)
	q, err := s.BeginQRLogin(ctx, m.url)
	if err != nil {
		t.Fatalf("BeginQRLogin: %v", err)
	}
	if !strings.HasPrefix(q.URI, "selfservice-push://login?") || !q.ExpiresAt.After(m.clock.Now()) {
		t.Fatalf("QR login until %s; want a selfservice-push login link that has not expired", q.ExpiresAt)
	}
	if err := s.FinishQRLogin(ctx, q); !errors.Is(err, api.ErrPushPending) {
		t.Fatalf("FinishQRLogin before the phone answered = %v; want %v", err, api.ErrPushPending)
	}

	if err := phone.ScanLogin(ctx, q.URI, api.PushApprove); err != nil {
		t.Fatalf("the phone scans and approves: %v", err)
	}
	if err := s.FinishQRLogin(ctx, q); err != nil {
		t.Fatalf("FinishQRLogin after the phone approved: %v", err)
	}
	if !s.SignedIn() || s.User().Username != "demo" {
		t.Fatalf("signed in %v as %q; want the phone's user, demo", s.SignedIn(), s.User().Username)
	}
	// As after any sign-in: the username is remembered, the session kept.
	if got := prefs.String(app.PrefLastUsername); got != "demo" {
		t.Errorf("last username %q; want demo", got)
	}
	if m.savedToken(t, secrets) == "" {
		t.Error("the session was not saved in the keyring")
	}
	if err := s.FinishQRLogin(ctx, q); err == nil {
		t.Error("the QR sign-in signed in a second time")
	}
}

func TestSignInByQRCodeRefusedOrExpired(t *testing.T) {
	m := newMessaging(t)
	ctx := context.Background()
	_, phone := m.addPhone(t, m.signedInDemo(t))
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())

	q, err := s.BeginQRLogin(ctx, m.url)
	if err != nil {
		t.Fatal(err)
	}
	if err := phone.ScanLogin(ctx, q.URI, api.PushDeny); err != nil {
		t.Fatalf("the phone scans and refuses: %v", err)
	}
	if err := s.FinishQRLogin(ctx, q); !errors.Is(err, api.ErrPushDenied) {
		t.Errorf("FinishQRLogin after the phone refused = %v; want %v", err, api.ErrPushDenied)
	}

	q, err = s.BeginQRLogin(ctx, m.url)
	if err != nil {
		t.Fatal(err)
	}
	m.clock.Advance(q.ExpiresAt.Sub(m.clock.Now()) + time.Second)
	if err := s.FinishQRLogin(ctx, q); !errors.Is(err, api.ErrPushExpired) {
		t.Errorf("FinishQRLogin after the code expired = %v; want %v", err, api.ErrPushExpired)
	}
	if s.SignedIn() {
		t.Error("signed in without the phone's approval")
	}
}
