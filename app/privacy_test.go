package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"selfservice/api"
	"selfservice/app"
	"selfservice/server"
)

func TestConsentsAndTheCopyOfTheData(t *testing.T) {
	b := newBackendWith(t, server.DemoTenant())
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	b.signIn(t, s)
	ctx := context.Background()
	if !s.Can(api.PrivPrivacyView) || !s.Can(api.PrivPrivacyUpdate) || !s.Can(api.PrivAccountDelete) {
		t.Fatal("the demo employee lacks the privacy privileges")
	}
	list, err := s.Consents(ctx)
	if err != nil || len(list.Consents) != 3 {
		t.Fatalf("Consents = %+v, %v", list, err)
	}
	if c, err := s.SetConsent(ctx, list.Consents[1].ID, true); err != nil || !c.Granted() {
		t.Fatalf("SetConsent = %+v, %v", c, err)
	}

	path := filepath.Join(t.TempDir(), s.ExportFileName("2030-05-06"))
	var last int64
	if err := s.ExportAccount(ctx, path, func(done, _ int64) { last = done }); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil || last != int64(len(raw)) {
		t.Fatalf("read the saved copy: %v (progress %d of %d bytes)", err, last, len(raw))
	}
	var data api.AccountExport
	if err := json.Unmarshal(raw, &data); err != nil || data.User.Username != "demo" || len(data.Consents) != 1 {
		t.Errorf("the saved copy = %+v, %v", data, err)
	}
	if filepath.Base(path) != "selfservice-data-demo-2030-05-06.json" {
		t.Errorf("offered name %s", filepath.Base(path))
	}
	if err := s.ExportAccount(ctx, filepath.Join(t.TempDir(), "no such folder", "x.json"), nil); fieldErrors(err)["file"] == "" {
		t.Errorf("saving into a missing folder: %v; want a field error of file", err)
	}
}

func TestDeletingTheAccountSignsOut(t *testing.T) {
	b := newBackendWith(t, server.DemoTenant())
	secrets := app.NewMemorySecrets()
	prefs := newPrefs()
	s := app.NewSession(connect, secrets, prefs)
	b.signIn(t, s)
	ctx := context.Background()
	token := b.savedToken(t, secrets)

	// A wrong username is refused before anything is sent.
	before := b.requests.Load()
	if err := s.DeleteAccount(ctx, "dem0"); fieldErrors(err)["username"] == "" {
		t.Errorf("a wrong username: %v; want a field error of username", err)
	}
	if b.requests.Load() != before {
		t.Error("a wrong username was sent to the server")
	}
	summary, err := s.DeletionSummary(ctx)
	if err != nil || summary.Username != "demo" || summary.Tokens != 1 {
		t.Fatalf("DeletionSummary = %+v, %v", summary, err)
	}

	err = s.DeleteAccount(ctx, " demo ")
	step := stepUp(t, err)
	m := methodOf(t, step, api.TypeTOTP)
	if _, err := s.VerifyStepUp(ctx, step.ApprovalID, m.TokenID, b.code(t, b.demo.TOTPSecret)); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteAccount(api.WithApproval(ctx, step.ApprovalID), "demo"); err != nil {
		t.Fatalf("DeleteAccount: %v", err)
	}
	if s.SignedIn() || s.LastUsername() != "" || b.savedToken(t, secrets) != "" || b.tokenWorks(t, token) {
		t.Errorf("after the deletion: signed in %v, last username %q, saved token left %v", s.SignedIn(), s.LastUsername(), b.savedToken(t, secrets) != "")
	}
	if _, err := s.Login(ctx, b.url, "demo", b.demo.Password); !errors.Is(err, api.ErrInvalidCredentials) {
		t.Errorf("signing in again: %v; want invalid_credentials", err)
	}
}
