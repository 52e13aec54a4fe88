package server

import (
	"os"
	"path/filepath"
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
