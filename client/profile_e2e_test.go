package client_test

import (
	"context"
	"errors"
	"testing"

	"selfservice/api"
	"selfservice/server"
)

func TestProfile(t *testing.T) {
	ctx := context.Background()
	b := newBackendWith(t, server.Config{Tenant: server.DemoTenant()})
	c := b.signIn(t, b.demo)

	p, err := c.Profile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if job, _ := p.Field("job_title"); job.Value == "" || job.Editable {
		t.Errorf("job title %+v; want the demo's, set by the organisation", job)
	}
	name, lang := "Demo E. Ployee", "de"
	p, err = c.UpdateProfile(ctx, api.UpdateProfileRequest{DisplayName: &name, Language: &lang, Fields: map[string]string{"office": "Berlin"}})
	if office, _ := p.Field("office"); err != nil || p.DisplayName != name || p.Preferences.Language != "de" || office.Value != "Berlin" {
		t.Fatalf("UpdateProfile = %+v, %v", p, err)
	}
	me, err := c.Me(ctx)
	if err != nil || me.Preferences.Language != "de" || me.User.DisplayName != name {
		t.Errorf("Me = %+v, %v; want the new name and language", me, err)
	}

	zone := "Atlantis/Capital"
	_, err = c.UpdateProfile(ctx, api.UpdateProfileRequest{TimeZone: &zone, Fields: map[string]string{"department": "Board"}})
	if f := fieldErrors(err); !errors.Is(err, api.ErrInvalidRequest) || f["time_zone"] == "" || f["fields.department"] == "" {
		t.Fatalf("a wrong time zone and a read-only field: %v (%v); want both named", err, f)
	}

	// The helpdesk user sees their own profile, not the demo user's.
	desk, err := b.signIn(t, b.helpdesk).Profile(ctx)
	if err != nil || desk.DisplayName == name || desk.Preferences.Language != "" {
		t.Errorf("the helpdesk user's profile = %+v, %v", desk, err)
	}
}
