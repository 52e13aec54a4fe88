package app_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"selfservice/api"
	"selfservice/app"
	"selfservice/server"
	"selfservice/server/notify"
)

func TestAddressOptions(t *testing.T) {
	contacts := api.ContactsResponse{
		Fields: []api.ContactField{
			{ID: "work_email", Label: "Work email", Type: api.ContactEmail},
			{ID: "private_email", Label: "Private email", Type: api.ContactEmail},
			{ID: "mobile", Label: "Mobile phone", Type: api.ContactPhone},
			{ID: "home_phone", Label: "Home phone", Type: api.ContactPhone},
			{ID: "postal_address", Label: "Postal address", Type: api.ContactText},
		},
		Values: []api.ContactValue{
			{Field: "work_email", Value: "dana@example.com", Verified: true},
			{Field: "private_email", Value: "dana@example.org", Verified: true, Preferred: true},
			{Field: "mobile", Value: "+4915112345678", Verified: true},
			{Field: "home_phone", Value: "+4930123456"}, // not confirmed
			{Field: "postal_address", Value: "Musterstraße 1", Verified: true},
		},
	}
	work := app.AddressOption{Field: "work_email", Label: "Work email", Value: "dana@example.com"}
	private := app.AddressOption{Field: "private_email", Label: "Private email", Value: "dana@example.org", Preferred: true}
	mobile := app.AddressOption{Field: "mobile", Label: "Mobile phone", Value: "+4915112345678"}
	tests := []struct {
		name string
		tpl  api.TokenTemplate
		want app.AddressChoice
	}{
		{"email, any address: every confirmed email, the preferred first",
			api.TokenTemplate{Type: api.TypeEmail},
			app.AddressChoice{Options: []app.AddressOption{private, work}}},
		{"SMS, any address: the confirmed phone only",
			api.TokenTemplate{Type: api.TypeSMS},
			app.AddressChoice{Options: []app.AddressOption{mobile}}},
		{"email limited to the work email",
			api.TokenTemplate{Type: api.TypeEmail, ContactFields: []string{"work_email"}},
			app.AddressChoice{Limited: true, Fields: []string{"Work email"}, Options: []app.AddressOption{work}}},
		{"SMS limited to a phone without a confirmed value",
			api.TokenTemplate{Type: api.TypeSMS, ContactFields: []string{"home_phone"}},
			app.AddressChoice{Limited: true, Fields: []string{"Home phone"}}},
		{"SMS limited to fields of another channel too: those are left out",
			api.TokenTemplate{Type: api.TypeSMS, ContactFields: []string{"work_email", "mobile"}},
			app.AddressChoice{Limited: true, Fields: []string{"Mobile phone"}, Options: []app.AddressOption{mobile}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := app.AddressOptions(tt.tpl, contacts); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("AddressOptions = %+v; want %+v", got, tt.want)
			}
		})
	}
	if got := app.AddressOptions(api.TokenTemplate{Type: api.TypeEmail}, contacts).Without("dana@example.org"); !reflect.DeepEqual(got.Options, []app.AddressOption{work}) {
		t.Errorf("Without the private email = %+v; want the work email only", got.Options)
	}
}

func TestAddressChoiceFromTheServer(t *testing.T) {
	demo := server.DemoTenant()
	files := notify.NewFileSender(t.TempDir()) // the server lists templates whose codes it can send
	b := newBackendConfig(t, server.Config{
		Tenant:      server.Tenant{ContactFields: demo.ContactFields, TemplateContacts: demo.TemplateContacts},
		EmailSender: files,
		SMSSender:   files,
	})
	ctx := context.Background()
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	b.signIn(t, s)
	templates, err := s.Templates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	template := func(id string) api.TokenTemplate {
		i := slices.IndexFunc(templates, func(t api.TokenTemplate) bool { return t.ID == id })
		if i < 0 {
			t.Fatalf("no template %s", id)
		}
		return templates[i]
	}

	sms, err := s.AddressChoice(ctx, template("sms-otp"))
	want := app.AddressChoice{Limited: true, Fields: []string{"Mobile phone"},
		Options: []app.AddressOption{{Field: "mobile", Label: "Mobile phone", Value: "+4915112345678"}}}
	if err != nil || !reflect.DeepEqual(sms, want) {
		t.Errorf("SMS choice = %+v, %v; want %+v", sms, err, want)
	}
	email, err := s.AddressChoice(ctx, template("email-otp"))
	want = app.AddressChoice{Limited: true, Fields: []string{"Work email", "Private email"},
		Options: []app.AddressOption{{Field: "work_email", Label: "Work email", Value: "demo@example.com", Preferred: true}}}
	if err != nil || !reflect.DeepEqual(email, want) {
		t.Errorf("email choice = %+v, %v; want %+v", email, err, want)
	}

	// Moving an email token from the only confirmed address leaves nothing
	// to choose, and still says which fields would do.
	moved, err := s.MoveChoice(ctx, api.Token{ID: "t1", TemplateID: "email-otp", Type: api.TypeEmail, Address: "demo@example.com"})
	if err != nil || !moved.Limited || len(moved.Options) != 0 || len(moved.Fields) != 2 {
		t.Errorf("move choice = %+v, %v; want the limit, its two fields and no option", moved, err)
	}

	// A session that may only enroll cannot read the contact details.
	newbie := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	if _, err := newbie.Login(ctx, b.url, "newbie", b.addUser(t, "newbie")); err != nil {
		t.Fatal(err)
	}
	before := b.requests.Load()
	got, err := newbie.AddressChoice(ctx, template("sms-otp"))
	if err != nil || !got.Unread || !got.Limited || len(got.Options) != 0 {
		t.Errorf("choice of an enrollment-only session = %+v, %v; want it unread and limited", got, err)
	}
	if n := b.requests.Load() - before; n != 0 {
		t.Errorf("%d requests; want none for what the session may not read", n)
	}
}
