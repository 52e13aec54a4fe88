package server

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"selfservice/api"
)

// routePrivileges is the privilege matrix: the privilege each route
// needs, "" for the routes every session may call (its own sign-out, who
// it is, the step-up of its own approvals). A new route must be added
// here, with the privilege its handler checks.
var routePrivileges = map[string]api.Privilege{
	"POST /auth/logout": "",
	"GET /me":           "",

	"GET /account/password/policy": api.PrivPasswordUpdate,
	"PUT /account/password":        api.PrivPasswordUpdate,
	"GET /account/applications":    "", // vault_link only adds the vault
	"GET /account/profile":         api.PrivProfileView,
	"PATCH /account/profile":       api.PrivProfileUpdate,

	"GET /account/sessions":              api.PrivSessionsView,
	"DELETE /account/sessions/{id}":      api.PrivSessionsManage,
	"POST /account/sessions/sign-out":    api.PrivSessionsManage,
	"PUT /account/default-method":        api.PrivTokenModify,
	"GET /account/activity":              api.PrivSessionsView,
	"POST /account/activity/{id}/report": api.PrivSessionsManage,

	"GET /token-templates":                     api.PrivTokenTemplateView,
	"GET /tokens":                              api.PrivTokenView,
	"POST /tokens":                             api.PrivTokenEnroll,
	"POST /tokens/claim":                       api.PrivTokenEnroll,
	"GET /tokens/{id}":                         api.PrivTokenView,
	"PATCH /tokens/{id}":                       api.PrivTokenModify,
	"DELETE /tokens/{id}":                      api.PrivTokenDelete,
	"POST /tokens/{id}/activate":               api.PrivTokenEnroll,
	"POST /tokens/{id}/challenge":              api.PrivTokenTest, // an ACTIVE token; a PENDING one needs token_enroll
	"POST /tokens/{id}/test":                   api.PrivTokenTest,
	"POST /tokens/{id}/resync":                 api.PrivTokenSync,
	"POST /tokens/{id}/enable":                 api.PrivTokenEnable,
	"POST /tokens/{id}/disable":                api.PrivTokenDisable,
	"POST /tokens/{id}/provisioning":           api.PrivTokenEnroll,
	"PUT /tokens/{id}/address":                 api.PrivTokenModify,
	"POST /tokens/{id}/address/confirm":        api.PrivTokenModify,
	"GET /account/contacts":                    api.PrivInfoView,
	"PUT /account/contacts/{field}":            api.PrivInfoUpdate,
	"DELETE /account/contacts/{field}":         api.PrivInfoUpdate,
	"POST /account/contacts/{field}/confirm":   api.PrivInfoUpdate,
	"POST /account/contacts/{field}/preferred": api.PrivInfoUpdate,
	"GET /account/documents":                   api.PrivDocumentsView,
	"POST /account/documents":                  api.PrivDocumentsUpdate,
	"GET /account/documents/{id}/content":      api.PrivDocumentsView,
	"DELETE /account/documents/{id}":           api.PrivDocumentsUpdate,
	"GET /account/questions":                   api.PrivQuestionView,
	"PUT /account/questions/{id}":              api.PrivQuestionUpdate,
	"DELETE /account/questions/{id}":           api.PrivQuestionUpdate,
	"POST /account/questions/{id}/reveal":      api.PrivQuestionView,
	"GET /account/consents":                    api.PrivPrivacyView,
	"PUT /account/consents/{id}":               api.PrivPrivacyUpdate,
	"GET /account/export":                      api.PrivPrivacyView,
	"GET /account/deletion":                    api.PrivAccountDelete,
	"DELETE /account":                          api.PrivAccountDelete,

	"GET /invitation-templates":     api.PrivInvitationCreate,
	"GET /invitations":              api.PrivInvitationView,
	"POST /invitations":             api.PrivInvitationCreate,
	"GET /invitations/{id}":         api.PrivInvitationView,
	"DELETE /invitations/{id}":      api.PrivInvitationDelete,
	"POST /invitations/{id}/resend": api.PrivInvitationCreate,
	"POST /invitations/{id}/recall": api.PrivInvitationRecall,

	"GET /approvals/{id}":            "",
	"POST /approvals/{id}/challenge": "",
	"POST /approvals/{id}/verify":    "",
	"GET /requests":                  api.PrivMyRequestsList,
	"GET /requests/{id}":             api.PrivMyRequestsView,
	"POST /requests/{id}/revoke":     api.PrivMyRequestsView,
	"GET /inbox":                     api.PrivMyApprovalsList,
	"GET /inbox/{id}":                api.PrivMyApprovalsView,
	"POST /inbox/{id}/approve":       api.PrivMyApprovalsApprove,
	"POST /inbox/{id}/decline":       api.PrivMyApprovalsDecline,

	"GET /users/{username}/emergency-code":                     api.PrivEmergencyIssue,
	"POST /users/{username}/emergency-code":                    api.PrivEmergencyIssue,
	"GET /users/{username}/hardware-tokens":                    api.PrivHardwareUnassign,
	"POST /users/{username}/hardware-tokens/{serial}/unassign": api.PrivHardwareUnassign,
	"GET /users/{username}/questions":                          api.PrivQuestionCheck,
	"POST /users/{username}/questions/{id}/check":              api.PrivQuestionCheck,
}

// TestPrivilegeMatrix calls every route of a session once for each
// privilege, with a role that has all privileges but that one, and checks
// that exactly the route's privilege is refused as missing, naming it.
// With every privilege, no route refuses one.
func TestPrivilegeMatrix(t *testing.T) {
	e := newEnvWith(t, Config{Tenant: DemoTenant()})
	rolePrivileges["matrix"] = slices.Clone(api.AllPrivileges)
	t.Cleanup(func() { delete(rolePrivileges, "matrix") })
	u, tok, session := e.userWithToken("mona", "matrix")
	// A challenge prepares a security key's test; the key is disabled so
	// that the TOTP token stays the last ACTIVE one, which no call of the
	// matrix can disable or delete.
	key := e.addToken(u.ID, templateKey, api.StatusDisabled)
	e.userWithToken("otto", RoleEmployee)
	routes := New(e.store, e.cfg).routes
	params := strings.NewReplacer("{id}", tok.ID, "{field}", "work_email", "{username}", "otto", "{serial}", "HW-1")

	for _, rt := range routes {
		if rt.Access == public || rt.Path == "/auth/logout" { // signing out ends the session: see below
			continue
		}
		name := rt.Method + " " + rt.Path
		want, listed := routePrivileges[name]
		if !listed {
			t.Errorf("%s is not in the privilege matrix: add it with the privilege it needs", name)
			continue
		}
		path := params.Replace(rt.Path)
		if rt.Path == "/tokens/{id}/challenge" {
			path = "/tokens/" + key.ID + "/challenge"
		}
		// Without its own privilege first, before a call that has it
		// changes anything.
		order := slices.Insert(slices.DeleteFunc(slices.Clone(api.AllPrivileges), func(q api.Privilege) bool { return q == want }), 0, want)
		if want == "" {
			order = api.AllPrivileges
		}
		var refused []api.Privilege
		for _, p := range order {
			rolePrivileges["matrix"] = slices.DeleteFunc(slices.Clone(api.AllPrivileges), func(q api.Privilege) bool { return q == p })
			if missing := privilegeRefused(e.call(rt.Method, path, session, nil)); missing != "" {
				if missing != p {
					t.Errorf("%s without %s: refused for %s", name, p, missing)
				}
				refused = append(refused, p)
			}
		}
		rolePrivileges["matrix"] = slices.Clone(api.AllPrivileges)
		if missing := privilegeRefused(e.call(rt.Method, path, session, nil)); missing != "" {
			t.Errorf("%s with every privilege: refused for %s", name, missing)
		}
		if want == "" && len(refused) > 0 {
			t.Errorf("%s refused without %v; the matrix says it needs none", name, refused)
		}
		if want != "" && !slices.Equal(refused, []api.Privilege{want}) {
			t.Errorf("%s refused without %v; want only without %s", name, refused, want)
		}
	}
	// A role without any privilege still signs itself out.
	rolePrivileges["matrix"] = nil
	if res := e.call(http.MethodPost, "/auth/logout", session, nil); res.Status >= 300 {
		t.Errorf("sign-out without privileges: %d %s", res.Status, res.Body)
	}
	e.apiErr(e.call(http.MethodGet, "/me", session, nil), api.CodeUnauthenticated)
	for key := range routePrivileges {
		method, path, _ := strings.Cut(key, " ")
		if !slices.ContainsFunc(routes, func(rt route) bool { return rt.Method == method && rt.Path == path }) {
			t.Errorf("the matrix lists %s, which is no route", key)
		}
	}
}

// privilegeRefused returns the privilege a 403 privilege_missing names, or
// "" for any other answer.
func privilegeRefused(res response) api.Privilege {
	if res.Status != http.StatusForbidden {
		return ""
	}
	var env api.ErrorEnvelope
	if json.Unmarshal(res.Body, &env) != nil || env.Error == nil || env.Error.Code != api.CodePrivilegeMissing {
		return ""
	}
	p, _ := env.Error.Details["privilege"].(string)
	return api.Privilege(p)
}
