package ui

import (
	"context"
	"slices"
	"testing"

	"fyne.io/fyne/v2"

	"selfservice/app"
	"selfservice/authenticator"
	"selfservice/hw"
	"selfservice/server"
)

func TestScreenshotsTakesEveryShot(t *testing.T) {
	f := newConfigFixture(t, server.Config{Tenant: server.DemoTenant()}) // as the screenshots command has it
	opts := f.demoOptions()
	// As the screenshots command has it: a key that is never touched.
	key, err := hw.NewSoftware(hw.SoftwareOptions{Presence: func(ctx context.Context) error {
		<-ctx.Done()
		return ctx.Err()
	}})
	if err != nil {
		t.Fatal(err)
	}
	opts.Keys = app.NewKeys(key)
	opts.DemoMessages = f.demoMessages
	session := app.NewSession(connect, app.NewMemorySecrets(), &mapPrefs{})
	session.SetDefaultServerURL(f.local.URL, false)

	var shots []string
	var stepUpShown bool
	// As the screenshots command has it: the authenticator app's logic as
	// the phone.
	phone := func(ctx context.Context, uri string) error {
		_, err := authenticator.Provision(ctx, uri, "Pixel 8")
		return err
	}
	err = Screenshots(fyne.CurrentApp(), session, opts, phone, func(name string, w fyne.Window) error {
		shots = append(shots, name)
		if name == "stepup" {
			stepUpShown = len(w.Canvas().Overlays().List()) >= 2 // the wizard and the step-up on top
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"signin", "signin-qr", "signin-reset", "signin-reset-password", "signin-register", "second-factor", "tokens-menu", "stepup", "enroll-qr", "tokens",
		"enroll-key", "security-keys", "security-keys-passkeys", "enroll-sms-address", "enroll-sms-code", "enroll-push-qr", "password", "contacts", "profile", "applications", "documents",
		"questions", "privacy", "sessions", "invitations", "invitation-new", "my-requests", "to-approve", "helpdesk-check",
		"helpdesk-emergency", "to-approve-stale", "idle-warning", "signout-wipe", "signin-push-waiting"}
	if !slices.Equal(shots, want) {
		t.Errorf("shots %v; want %v", shots, want)
	}
	if !stepUpShown {
		t.Error("the stepup shot does not show the step-up dialog over the wizard")
	}
}
