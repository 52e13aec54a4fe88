package server

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"selfservice/api"
)

func ptr(s string) *string { return &s }

// profileEnv is a server with the demo's profile configuration.
func profileEnv(t *testing.T) *env {
	return newEnvWith(t, Config{Tenant: DemoTenant()})
}

func (e *env) profile(session string) api.Profile {
	e.t.Helper()
	var p api.Profile
	e.ok(e.call("GET", "/account/profile", session, nil), 200, &p)
	return p
}

func (e *env) storedProfile(userID string) ProfileRecord {
	e.t.Helper()
	p, err := e.store.Profile(context.Background(), userID)
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

func TestProfileShowsTheOrganisationsFields(t *testing.T) {
	e := profileEnv(t)
	u, _, session := e.userWithToken("alice", RoleEmployee)
	if err := SetProfileField(context.Background(), e.store, e.cfg.Tenant, "alice", "job_title", "Accountant"); err != nil {
		t.Fatal(err)
	}
	p := e.profile(session)
	var ids []string
	for _, f := range p.Fields {
		ids = append(ids, f.ID)
	}
	if strings.Join(ids, ",") != "job_title,department,office" {
		t.Errorf("fields %v; want the configuration's, in its order", ids)
	}
	if f, _ := p.Field("job_title"); f.Value != "Accountant" || f.Editable || f.Label != "Job title" || f.MaxLength != 100 {
		t.Errorf("job title %+v; want the value the organisation set, read-only", f)
	}
	if f, _ := p.Field("office"); !f.Editable || f.Value != "" || f.MaxLength != 60 {
		t.Errorf("office %+v; want an empty editable field of 60 characters", f)
	}
	if p.DisplayName != u.DisplayName || !p.DisplayNameEditable || p.Preferences != (api.Preferences{}) {
		t.Errorf("profile %+v; want the display name, editable, and no preferences yet", p)
	}
	if !slices.Equal(p.Languages, []string{"en", "de", "fr", "cs"}) || len(p.DateFormats) != len(api.DateFormats) {
		t.Errorf("languages %v, date formats %v; want the configuration's", p.Languages, p.DateFormats)
	}
	e.apiErr(e.call("GET", "/account/profile", "", nil), api.CodeUnauthenticated)
}

func TestProfileUpdateSavesWhatItSetsOnly(t *testing.T) {
	e := profileEnv(t)
	u, _, session := e.userWithToken("alice", RoleEmployee)
	var p api.Profile
	e.ok(e.call("PATCH", "/account/profile", session, api.UpdateProfileRequest{
		DisplayName: ptr("  Alice Liddell "),
		Fields:      map[string]string{"office": "Prague, floor 3"},
		Language:    ptr("de"),
		TimeZone:    ptr("Europe/Prague"),
		DateFormat:  ptr(api.DateDotted),
	}), 200, &p)
	want := api.Preferences{Language: "de", TimeZone: "Europe/Prague", DateFormat: api.DateDotted}
	if office, _ := p.Field("office"); p.DisplayName != "Alice Liddell" || office.Value != "Prague, floor 3" || p.Preferences != want {
		t.Fatalf("PATCH answered %+v; want the changes", p)
	}
	if again := e.profile(session); again.DisplayName != "Alice Liddell" || again.Preferences != want {
		t.Errorf("GET after PATCH: %+v", again)
	}
	// Signing in gives the app the preferences and the new name at once.
	var me api.MeResponse
	e.ok(e.call("GET", "/me", session, nil), 200, &me)
	if me.Preferences != want || me.User.DisplayName != "Alice Liddell" {
		t.Errorf("/me = %+v; want the new name and preferences", me)
	}

	// A partial update leaves the rest; "" goes back to the computer's.
	e.ok(e.call("PATCH", "/account/profile", session, api.UpdateProfileRequest{TimeZone: ptr("")}), 200, &p)
	if office, _ := p.Field("office"); p.Preferences != (api.Preferences{Language: "de", DateFormat: api.DateDotted}) || office.Value == "" || p.DisplayName != "Alice Liddell" {
		t.Errorf("after resetting the time zone: %+v", p)
	}
	e.ok(e.call("PATCH", "/account/profile", session, api.UpdateProfileRequest{Fields: map[string]string{"office": " "}}), 200, &p)
	if got := e.storedProfile(u.ID).Fields; len(got) != 0 {
		t.Errorf("an emptied field is still stored: %v", got)
	}
	if strings.Contains(e.logs.String(), "Alice Liddell") || strings.Contains(e.logs.String(), "Prague, floor") {
		t.Error("the log shows profile values")
	}
}

func TestProfileRefusalsNameTheFieldAndStoreNothing(t *testing.T) {
	e := profileEnv(t)
	u, _, session := e.userWithToken("alice", RoleEmployee)
	if err := SetProfileField(context.Background(), e.store, e.cfg.Tenant, "alice", "department", "Finance"); err != nil {
		t.Fatal(err)
	}
	before := e.storedProfile(u.ID)
	// Each case also changes what is allowed (the office, unless the
	// case is about it): that must not be stored either.
	with := func(r api.UpdateProfileRequest) api.UpdateProfileRequest {
		if r.Fields == nil {
			r.Fields = map[string]string{}
		}
		if _, ok := r.Fields["office"]; !ok {
			r.Fields["office"] = "Brno"
		}
		return r
	}
	for _, c := range []struct {
		name, field, want string
		req               api.UpdateProfileRequest
	}{
		{"read-only field", "fields.department", "Department is set by your organisation", api.UpdateProfileRequest{Fields: map[string]string{"department": "Sales"}}},
		{"unknown field", "fields.shoe_size", "no field", api.UpdateProfileRequest{Fields: map[string]string{"shoe_size": "44"}}},
		{"malformed field id", "fields.Bad Id", "not a field", api.UpdateProfileRequest{Fields: map[string]string{"Bad Id": "x"}}},
		{"too long", "fields.office", "at most 60", api.UpdateProfileRequest{Fields: map[string]string{"office": strings.Repeat("é", 61)}}},
		{"over the absolute limit", "fields.office", "at most 500", api.UpdateProfileRequest{Fields: map[string]string{"office": strings.Repeat("x", api.MaxProfileFieldLen+1)}}},
		{"control characters", "fields.office", "not allowed", api.UpdateProfileRequest{Fields: map[string]string{"office": "a\x00b"}}},
		{"empty display name", "display_name", "Enter a display name", api.UpdateProfileRequest{DisplayName: ptr("  ")}},
		{"long display name", "display_name", "at most 100", api.UpdateProfileRequest{DisplayName: ptr(strings.Repeat("n", 101))}},
		{"language not a tag", "language", "from the list", api.UpdateProfileRequest{Language: ptr("en_US!")}},
		{"language not offered", "language", "en, de, fr, cs", api.UpdateProfileRequest{Language: ptr("es")}},
		{"unknown time zone", "time_zone", "time zone", api.UpdateProfileRequest{TimeZone: ptr("Mars/Olympus_Mons")}},
		{"the computer's zone by name", "time_zone", "time zone", api.UpdateProfileRequest{TimeZone: ptr("Local")}},
		{"a path as time zone", "time_zone", "time zone", api.UpdateProfileRequest{TimeZone: ptr("../../etc/passwd")}},
		{"unknown date format", "date_format", "date format", api.UpdateProfileRequest{DateFormat: ptr("2006-01-02")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := e.apiErr(e.call("PATCH", "/account/profile", session, with(c.req)), api.CodeInvalidRequest)
			fields := err.FieldErrors()
			if !strings.Contains(fields[c.field], c.want) {
				t.Errorf("field errors %v; want %s to say %q", fields, c.field, c.want)
			}
			if after := e.storedProfile(u.ID); after.DisplayName != before.DisplayName || after.Preferences != before.Preferences ||
				!maps.Equal(after.Fields, before.Fields) {
				t.Errorf("stored %+v after a refusal; want %+v", after, before)
			}
		})
	}
	// Several refusals at once are each named.
	err := e.apiErr(e.call("PATCH", "/account/profile", session, api.UpdateProfileRequest{
		Fields: map[string]string{"job_title": "Boss"}, Language: ptr("es"), DateFormat: ptr("nope"),
	}), api.CodeInvalidRequest)
	if f := err.FieldErrors(); f["fields.job_title"] == "" || f["language"] == "" || f["date_format"] == "" {
		t.Errorf("field errors %v; want each of the three named", f)
	}
	// No other body: another user's id is not a thing to send.
	e.apiErr(e.call("PATCH", "/account/profile", session, `{"user_id": "x", "display_name": "Eve"}`), api.CodeMalformedJSON)
}

func TestProfileDisplayNameSetByTheOrganisation(t *testing.T) {
	tenant := DemoTenant()
	tenant.Profile.DisplayNameEditable = false
	e := newEnvWith(t, Config{Tenant: tenant})
	_, _, session := e.userWithToken("alice", RoleEmployee)
	if e.profile(session).DisplayNameEditable {
		t.Fatal("the display name is editable")
	}
	err := e.apiErr(e.call("PATCH", "/account/profile", session, api.UpdateProfileRequest{DisplayName: ptr("Al")}), api.CodeInvalidRequest)
	if !strings.Contains(err.FieldErrors()["display_name"], "set by your organisation") {
		t.Errorf("field errors %v", err.FieldErrors())
	}
}

func TestProfileIsTheCallersOwn(t *testing.T) {
	e := profileEnv(t)
	_, _, alice := e.userWithToken("alice", RoleEmployee)
	bob, _, bobSession := e.userWithToken("bob", RoleHelpdesk)
	e.ok(e.call("PATCH", "/account/profile", alice, api.UpdateProfileRequest{
		DisplayName: ptr("Alice"), Fields: map[string]string{"office": "A-1"}, Language: ptr("fr"),
	}), 200, nil)
	// The helpdesk keeps its own profile and preferences too.
	e.ok(e.call("PATCH", "/account/profile", bobSession, api.UpdateProfileRequest{Language: ptr("cs")}), 200, nil)
	p := e.profile(bobSession)
	if office, _ := p.Field("office"); p.DisplayName != bob.DisplayName || office.Value != "" || p.Preferences.Language != "cs" {
		t.Errorf("bob's profile %+v shows alice's changes", p)
	}
	if e.profile(alice).Preferences.Language != "fr" {
		t.Error("bob's change reached alice")
	}
}

func TestProfileNeedsItsPrivileges(t *testing.T) {
	e := profileEnv(t)
	rolePrivileges["auditor"] = []api.Privilege{api.PrivProfileView}
	t.Cleanup(func() { delete(rolePrivileges, "auditor") })
	_, _, viewer := e.userWithToken("vera", "auditor")
	e.profile(viewer)
	got := e.apiErr(e.call("PATCH", "/account/profile", viewer, api.UpdateProfileRequest{Language: ptr("de")}), api.CodePrivilegeMissing)
	if got.Details["privilege"] != string(api.PrivProfileUpdate) {
		t.Errorf("details %v; want profile_update named", got.Details)
	}
	rolePrivileges["auditor"] = nil
	_, _, none := e.userWithToken("nina", "auditor")
	e.apiErr(e.call("GET", "/account/profile", none, nil), api.CodePrivilegeMissing)
	// Until a first token is active, the session only enrolls.
	e.addUser("paul", RoleEmployee)
	partial := e.enrollingSession("paul")
	e.apiErr(e.call("GET", "/account/profile", partial, nil), api.CodeEnrollmentRequired)
}

func TestSetProfileFieldIsTheOrganisations(t *testing.T) {
	e := profileEnv(t)
	u := e.addUser("alice", RoleEmployee)
	ctx := context.Background()
	tenant := e.cfg.Tenant
	for _, c := range []struct{ field, value, want string }{
		{"shoe_size", "44", `no profile field "shoe_size" (it has job_title, department, office)`},
		{"job_title", strings.Repeat("x", 101), "Job title is at most 100 characters"},
		{"job_title", "a\tb", "not allowed"},
	} {
		if err := SetProfileField(ctx, e.store, tenant, "alice", c.field, c.value); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("SetProfileField(%s) = %v; want %q", c.field, err, c.want)
		}
	}
	if err := SetProfileField(ctx, e.store, tenant, "nobody", "job_title", "x"); err == nil || !strings.Contains(err.Error(), `no user "nobody"`) {
		t.Errorf("an unknown user: %v", err)
	}
	if err := SetProfileField(ctx, e.store, Tenant{}, "alice", "job_title", "x"); err == nil || !strings.Contains(err.Error(), "--config") {
		t.Errorf("without a configuration: %v", err)
	}
	if err := SetProfileField(ctx, e.store, tenant, "alice", "job_title", " Controller "); err != nil {
		t.Fatal(err)
	}
	if got := e.storedProfile(u.ID).Fields["job_title"]; got != "Controller" {
		t.Errorf("job title %q", got)
	}
}

func TestDemoSeedsTheOrganisationsFields(t *testing.T) {
	e := profileEnv(t)
	ctx := context.Background()
	if _, err := SeedDemo(ctx, e.store); err != nil {
		t.Fatal(err)
	}
	u, err := e.store.UserByUsername(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	if err := SetProfileField(ctx, e.store, e.cfg.Tenant, "demo", "job_title", "Manager"); err != nil {
		t.Fatal(err)
	}
	if _, err := SeedDemo(ctx, e.store); err != nil { // seeding again keeps what was changed
		t.Fatal(err)
	}
	if f := e.storedProfile(u.ID).Fields; f["job_title"] != "Manager" || f["department"] == "" {
		t.Errorf("the demo user's fields %v", f)
	}
}
