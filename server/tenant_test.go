package server

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"selfservice/api"
)

func TestTenantConfigurationIsChecked(t *testing.T) {
	for _, c := range []struct{ name, json, want string }{
		{"unknown field", `{"aplications": []}`, `unknown field "aplications"`},
		{"plain http", `{"applications": [{"name": "Mail", "url": "http://mail.example.com"}]}`, "applications[0].url"},
		{"script link", `{"vault_url": "javascript:alert(1)"}`, "vault_url"},
		{"no name", `{"applications": [{"url": "https://mail.example.com"}]}`, "applications[0].name"},
		{"unknown role", `{"applications": [{"name": "Mail", "url": "https://mail.example.com", "roles": ["boss"]}]}`, `"boss" is not a role`},
		{"policy out of range", `{"password_policy": {"min_classes": 5}}`, "password_policy"},
		{"not JSON", `{`, "not valid JSON"},
		{"colon in the organisation", `{"organisation": "Example: Corp"}`, "organisation:"},
		{"long organisation", `{"organisation": "` + strings.Repeat("x", 61) + `"}`, "organisation:"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := ReadTenant(strings.NewReader(c.json)); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("ReadTenant(%s) = %v; want an error naming %s", c.json, err, c.want)
			}
		})
	}
	path := filepath.Join(t.TempDir(), "tenant.json")
	if err := os.WriteFile(path, []byte(`{"password_policy": {"min_length": 16}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if tenant, err := LoadTenant(path); err != nil || tenant.PasswordPolicy.MinLength != 16 {
		t.Errorf("LoadTenant = %+v, %v", tenant, err)
	}
	if demo := DemoTenant(); len(demo.Applications) == 0 || demo.VaultURL == "" {
		t.Errorf("the demo's configuration has no applications or vault: %+v", demo)
	}
}

func TestApplicationsFollowTheRoleAndTheVaultPrivilege(t *testing.T) {
	e := newEnvWith(t, Config{Tenant: DemoTenant()})
	_, _, employee := e.userWithToken("alice", RoleEmployee)
	_, _, desk := e.userWithToken("hana", RoleHelpdesk)
	names := func(apps []api.Application) []string {
		var out []string
		for _, a := range apps {
			out = append(out, a.Name)
		}
		return out
	}
	var out api.ApplicationsResponse
	e.ok(e.call("GET", "/account/applications", employee, nil), 200, &out)
	if got := strings.Join(names(out.Applications), ", "); got != "Mail and calendar, Intranet, Travel and expenses" || out.VaultURL != "https://vault.example.com" {
		t.Errorf("the employee's applications: %s, vault %q", got, out.VaultURL)
	}
	out = api.ApplicationsResponse{}
	e.ok(e.call("GET", "/account/applications", desk, nil), 200, &out)
	if got := strings.Join(names(out.Applications), ", "); got != "Mail and calendar, Intranet, Helpdesk tickets" || out.VaultURL != "" {
		t.Errorf("the helpdesk user's applications: %s, vault %q (no vault_link: want none)", got, out.VaultURL)
	}
	e.apiErr(e.call("GET", "/account/applications", "", nil), api.CodeUnauthenticated)
}

func TestTenantProfileIsChecked(t *testing.T) {
	field := func(json string) string { return `{"profile": {"fields": [` + json + `]}}` }
	for _, c := range []struct{ name, json, want string }{
		{"bad id", field(`{"id": "Job Title", "label": "Job title"}`), `profile.fields[0].id: "Job Title" is not an id`},
		{"twice", field(`{"id": "office", "label": "Office"}, {"id": "office", "label": "Room"}`), `profile.fields[1].id: "office" is the id of an earlier field`},
		{"no label", field(`{"id": "office"}`), "profile.fields[0].label"},
		{"too long", field(`{"id": "office", "label": "Office", "max_length": 501}`), "profile.fields[0].max_length"},
		{"not a language", `{"profile": {"languages": ["en", "english!"]}}`, `profile.languages[1]: "english!" is not a BCP 47 language tag`},
		{"not canonical", `{"profile": {"languages": ["DE"]}}`, `write "DE" as "de"`},
		{"underscore", `{"profile": {"languages": ["pt_BR"]}}`, `profile.languages[0]`},
		{"language twice", `{"profile": {"languages": ["en", "en"]}}`, `"en" is listed twice`},
		{"date format", `{"profile": {"date_formats": ["dd.mm.yyyy"]}}`, `profile.date_formats[0]: "dd.mm.yyyy" is not a date format (iso, dmy_dot`},
		{"date format twice", `{"profile": {"date_formats": ["iso", "iso"]}}`, `profile.date_formats[1]: "iso" is listed twice`},
		{"unknown field", `{"profile": {"languagues": []}}`, `unknown field "languagues"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := ReadTenant(strings.NewReader(c.json)); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("ReadTenant(%s) = %v; want an error naming %s", c.json, err, c.want)
			}
		})
	}
	tenant, err := ReadTenant(strings.NewReader(`{"profile": {"fields": [{"id": "office", "label": "Office"}], "languages": ["pt-BR", "cs"]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if f, _ := tenant.Profile.field("office"); f.MaxLength != defaultFieldLength || tenant.isZero() {
		t.Errorf("office %+v; want the default length", f)
	}
	if got := (TenantProfile{}).languages(); !slices.Equal(got, DefaultLanguages) {
		t.Errorf("languages without configuration: %v", got)
	}
}
