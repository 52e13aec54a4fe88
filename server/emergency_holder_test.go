package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"selfservice/api"
)

// Before issuing a code, helpdesk staff look the person up: their name,
// and the code they hold now without the code itself.
func TestHelpdeskLooksUpTheHolderOfAnEmergencyCode(t *testing.T) {
	e := newEnv(t)
	_, _, desk := e.userWithToken("hank", RoleHelpdesk)
	_, _, ann := e.userWithToken("ann", RoleEmployee)
	if _, err := AddUser(context.Background(), e.store, "cid", "Cid Campeador", RoleEmployee, testPassword); err != nil {
		t.Fatal(err)
	}

	var out api.EmergencyHolderResponse
	e.ok(e.call("GET", "/users/%20CID/emergency-code", desk, nil), 200, &out)
	if out.Username != "cid" || out.DisplayName != "Cid Campeador" || out.Current != nil {
		t.Errorf("holder = %+v, want cid, Cid Campeador, no current code", out)
	}

	e.issueCode("cid", 8*time.Hour, 3)
	res := e.call("GET", "/users/cid/emergency-code", desk, nil)
	e.ok(res, 200, &out)
	if out.Current == nil || out.Current.UsesLeft != 3 || !out.Current.ExpiresAt.Equal(e.clock.Now().Add(8*time.Hour)) {
		t.Errorf("current = %+v, want 3 uses until in 8 hours", out.Current)
	}
	if body := string(res.Body); strings.Contains(body, `"code"`) {
		t.Errorf("the look-up shows a code: %s", body)
	}

	e.apiErr(e.call("GET", "/users/cid/emergency-code", ann, nil), api.CodePrivilegeMissing)
	e.apiErr(e.call("GET", "/users/hank/emergency-code", desk, nil), api.CodeEmergencyForSelf)
	e.apiErr(e.call("GET", "/users/nobody/emergency-code", desk, nil), api.CodeNotFound)
}

// The other helpdesk look-ups name the person too.
func TestHelpdeskLookUpsNameThePerson(t *testing.T) {
	e := newEnv(t)
	_, _, desk := e.userWithToken("hank", RoleHelpdesk)
	if _, err := AddUser(context.Background(), e.store, "cid", "Cid Campeador", RoleEmployee, testPassword); err != nil {
		t.Fatal(err)
	}
	var hw api.HardwareDevicesResponse
	e.ok(e.call("GET", "/users/cid/hardware-tokens", desk, nil), 200, &hw)
	var qs api.UserQuestionsResponse
	e.ok(e.call("GET", "/users/cid/questions", desk, nil), 200, &qs)
	if hw.DisplayName != "Cid Campeador" || qs.DisplayName != "Cid Campeador" {
		t.Errorf("display names = %q, %q, want Cid Campeador", hw.DisplayName, qs.DisplayName)
	}
}
