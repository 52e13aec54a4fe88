package app_test

import (
	"context"
	"testing"

	"selfservice/api"
	"selfservice/app"
	"selfservice/server"
)

func TestContacts(t *testing.T) {
	// The demo's contact fields, without limiting the SMS and email
	// templates to them.
	b := newBackendWith(t, server.Tenant{ContactFields: server.DemoTenant().ContactFields})
	ctx := context.Background()
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	b.signIn(t, s)
	if !s.Can(api.PrivInfoView) || !s.Can(api.PrivInfoUpdate) {
		t.Fatal("demo lacks the contact details privileges")
	}
	address := api.ContactField{ID: "postal_address", Type: api.ContactText}
	// Checked before anything is sent: the field error comes from the app.
	if _, err := s.SetContact(ctx, address, "two\nlines"); fieldErrors(err)["value"] == "" {
		t.Errorf("a value of two lines: %v; want a field error of value", err)
	}
	if _, err := s.ConfirmContact(ctx, "mobile", "12"); fieldErrors(err)["otp"] == "" {
		t.Errorf("a code of two digits: %v; want a field error of otp", err)
	}
	got, err := s.Contacts(ctx)
	if err != nil {
		t.Fatalf("Contacts: %v", err)
	}
	if len(got.Fields) == 0 || len(got.Values) == 0 {
		t.Fatalf("Contacts = %+v; want the organisation's fields and the demo's values", got)
	}
	set, err := s.SetContact(ctx, address, "  Building C ")
	if err != nil || set.Contact == nil || set.Contact.Value != "Building C" {
		t.Fatalf("SetContact = %+v, %v; want the trimmed value stored", set, err)
	}
}
