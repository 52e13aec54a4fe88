package server

import (
	"slices"
	"strings"
	"testing"
	"time"

	"selfservice/api"
)

const strongPassword = "Granite-Orbit-7-Tulip"

func changePassword(current, next string, signOutOthers bool) api.ChangePasswordRequest {
	return api.ChangePasswordRequest{CurrentPassword: current, NewPassword: next, SignOutOthers: signOutOthers}
}

// problemRules are the rules a refused new password broke.
func problemRules(t *testing.T, e *api.Error) []string {
	t.Helper()
	if e.FieldErrors()["new_password"] == "" {
		t.Errorf("refusal %+v names no problem of new_password", e)
	}
	raw, _ := e.Details["problems"].([]any)
	var rules []string
	for _, p := range raw {
		if m, ok := p.(map[string]any); ok {
			rules = append(rules, m["rule"].(string))
		}
	}
	return rules
}

func TestPasswordPolicyIsExported(t *testing.T) {
	e := newEnvWith(t, Config{Tenant: Tenant{PasswordPolicy: api.PasswordPolicy{MinLength: 14}}})
	_, _, session := e.userWithToken("alice", RoleEmployee)
	var p api.PasswordPolicy
	e.ok(e.call("GET", "/account/password/policy", session, nil), 200, &p)
	if p != (api.PasswordPolicy{MinLength: 14, MinClasses: 2, History: 5}) {
		t.Errorf("policy = %+v; want the configured length and the defaults", p)
	}
}

func TestPasswordChangeRefusesWhatBreaksThePolicy(t *testing.T) {
	e := newEnv(t)
	_, tok, session := e.userWithToken("alice", RoleEmployee)
	for _, c := range []struct {
		name, password string
		want           []string
	}{
		{"too short and one kind", "granite", []string{api.RuleLength, api.RuleClasses}},
		{"the username", "Alice-Granite-Orbit-7", []string{api.RuleUsername}},
		{"a common password", "Password1234!", []string{api.RuleCommon}},
		{"the current one", testPassword, []string{api.RuleSame}},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := e.apiErr(e.call("PUT", "/account/password", session, changePassword(testPassword, c.password, false)), api.CodeInvalidRequest)
			if got := problemRules(t, err); !slices.Equal(got, c.want) {
				t.Errorf("broken rules = %v, want %v", got, c.want)
			}
		})
	}
	// Nothing changed: the old password still signs in.
	e.signIn("alice", tok)
}

func TestPasswordChangeRefusesARecentPassword(t *testing.T) {
	e := newEnv(t)
	_, _, session := e.userWithToken("alice", RoleEmployee)
	e.ok(e.call("PUT", "/account/password", session, changePassword(testPassword, strongPassword, false)), 200, nil)
	err := e.apiErr(e.call("PUT", "/account/password", session, changePassword(strongPassword, testPassword, false)), api.CodeInvalidRequest)
	if got := problemRules(t, err); !slices.Equal(got, []string{api.RuleHistory}) {
		t.Errorf("broken rules = %v, want history", got)
	}
	// The history keeps the last History passwords only.
	e2 := newEnvWith(t, Config{Tenant: Tenant{PasswordPolicy: api.PasswordPolicy{History: 1}}})
	_, _, s2 := e2.userWithToken("bob", RoleEmployee)
	e2.ok(e2.call("PUT", "/account/password", s2, changePassword(testPassword, strongPassword, false)), 200, nil)
	e2.ok(e2.call("PUT", "/account/password", s2, changePassword(strongPassword, "Maple-Comet-42-Harbor", false)), 200, nil)
	e2.ok(e2.call("PUT", "/account/password", s2, changePassword("Maple-Comet-42-Harbor", testPassword+" Xy9", false)), 200, nil)
}

func TestPasswordChangeChecksTheCurrentPassword(t *testing.T) {
	e := newEnv(t)
	_, tok, session := e.userWithToken("alice", RoleEmployee)
	for range 4 {
		err := e.apiErr(e.call("PUT", "/account/password", session, changePassword("not my password", strongPassword, false)), api.CodeInvalidRequest)
		if err.FieldErrors()["current_password"] == "" {
			t.Fatalf("refusal %+v does not name current_password", err)
		}
	}
	// The fifth wrong one locks the caller's source, as at sign-in.
	e.apiErr(e.call("PUT", "/account/password", session, changePassword("not my password", strongPassword, false)), api.CodeTooManyAttempts)
	e.apiErr(e.call("PUT", "/account/password", session, changePassword(testPassword, strongPassword, false)), api.CodeTooManyAttempts)
	e.clock.Advance(failureMemory + time.Minute) // past the lock and the memory of the failures
	e.signIn("alice", tok)                       // still the old password
}

func TestPasswordChangeSignsOutTheOtherSessionsWhenAsked(t *testing.T) {
	e := newEnv(t)
	_, tok, session := e.userWithToken("alice", RoleEmployee)
	other := e.signIn("alice", tok)
	third := e.signIn("alice", tok)

	var out api.ChangePasswordResponse
	e.ok(e.call("PUT", "/account/password", session, changePassword(testPassword, strongPassword, false)), 200, &out)
	if out.SignedOut != 0 {
		t.Errorf("signed out %d sessions, want none when not asked", out.SignedOut)
	}
	e.ok(e.call("GET", "/me", other, nil), 200, nil)

	e.ok(e.call("PUT", "/account/password", session, changePassword(strongPassword, "Maple-Comet-42-Harbor", true)), 200, &out)
	if out.SignedOut != 2 {
		t.Errorf("signed out %d sessions, want the 2 others", out.SignedOut)
	}
	e.ok(e.call("GET", "/me", session, nil), 200, nil)
	for _, s := range []string{other, third} {
		e.apiErr(e.call("GET", "/me", s, nil), api.CodeUnauthenticated)
	}

	// The new password signs in; the old ones no longer do.
	e.apiErr(e.call("POST", "/auth/login", "", api.LoginRequest{Username: "alice", Password: strongPassword}), api.CodeInvalidCredentials)
	e.ok(e.call("POST", "/auth/login", "", api.LoginRequest{Username: "alice", Password: "Maple-Comet-42-Harbor"}), 200, nil)
	if logs := e.logs.String(); strings.Contains(logs, strongPassword) || strings.Contains(logs, "Maple-Comet-42-Harbor") {
		t.Errorf("the log holds a password:\n%s", logs)
	}
}

func TestPasswordChangeNeedsItsPrivilege(t *testing.T) {
	e := newEnv(t)
	_, _, session := e.userWithToken("hana", RoleHelpdesk)
	e.apiErr(e.call("GET", "/account/password/policy", session, nil), api.CodePrivilegeMissing)
	e.apiErr(e.call("PUT", "/account/password", session, changePassword(testPassword, strongPassword, false)), api.CodePrivilegeMissing)
}
