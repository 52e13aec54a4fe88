package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"

	"selfservice/api"
	"selfservice/server"
)

func TestPrivacyAndData(t *testing.T) {
	ctx := context.Background()
	b := newBackendWith(t, server.Config{Tenant: server.DemoTenant()})
	demo := b.signedIn(t, b.demo)

	list, err := demo.c.Consents(ctx)
	if err != nil || len(list.Consents) != 3 || list.Consents[0].State != api.ConsentNotAsked {
		t.Fatalf("Consents = %+v, %v; want the demo's three, not asked", list, err)
	}
	got, err := demo.c.SetConsent(ctx, list.Consents[0].ID, true)
	if err != nil || !got.Granted() || got.AnsweredAt == nil {
		t.Fatalf("SetConsent = %+v, %v", got, err)
	}
	if _, err := demo.c.SetConsent(ctx, "no-such-consent", true); !errors.Is(err, api.ErrNotFound) {
		t.Errorf("an unknown consent: %v; want not_found", err)
	}

	var buf bytes.Buffer
	var seen int64
	n, err := demo.c.ExportAccount(ctx, &buf, func(received, _ int64) { seen = received })
	if err != nil || n != int64(buf.Len()) || seen != n {
		t.Fatalf("ExportAccount = %d, %v (progress %d)", n, err, seen)
	}
	var data api.AccountExport
	if err := json.Unmarshal(buf.Bytes(), &data); err != nil {
		t.Fatal(err)
	}
	if data.User.Username != "demo" || len(data.Consents) != 1 || len(data.Tokens) != 1 {
		t.Errorf("export = %+v", data)
	}

	summary, err := demo.c.DeletionSummary(ctx)
	if err != nil || summary.Username != "demo" || summary.Tokens != 1 || summary.Consents != 1 {
		t.Fatalf("DeletionSummary = %+v, %v", summary, err)
	}
	err = demo.c.DeleteAccount(ctx, api.DeleteAccountRequest{Username: "someone"})
	if fieldErrors(err)["username"] == "" {
		t.Errorf("a wrong username: %v; want a field error of username", err)
	}
	err = demo.c.DeleteAccount(ctx, api.DeleteAccountRequest{Username: "demo"})
	id := b.stepUp(t, demo, err)
	if err := demo.c.DeleteAccount(api.WithApproval(ctx, id), api.DeleteAccountRequest{Username: "demo"}); err != nil {
		t.Fatalf("DeleteAccount: %v", err)
	}
	_, err = demo.c.Consents(ctx)
	wantCode(t, err, api.CodeUnauthenticated)

	desk := b.signIn(t, b.helpdesk)
	err = desk.DeleteAccount(ctx, api.DeleteAccountRequest{Username: "helpdesk"})
	wantCode(t, err, api.CodePrivilegeMissing)
	_, err = desk.DeletionSummary(ctx)
	wantCode(t, err, api.CodePrivilegeMissing)
	if _, err := desk.Consents(ctx); err != nil {
		t.Errorf("the helpdesk's consents: %v", err)
	}
}
