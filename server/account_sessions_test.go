package server

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"selfservice/api"
)

// sessions lists the caller's sessions.
func (e *env) sessions(session string) []api.Session {
	e.t.Helper()
	var out api.SessionsResponse
	e.ok(e.call("GET", "/account/sessions", session, nil), 200, &out)
	return out.Sessions
}

// works reports whether a session token still signs its calls.
func (e *env) works(session string) bool {
	e.t.Helper()
	res := e.call("GET", "/me", session, nil)
	if res.Status != 200 {
		e.apiErr(res, api.CodeUnauthenticated)
		return false
	}
	return true
}

func TestSessionsListTheUsersOwnWithDeviceAndSource(t *testing.T) {
	e := newEnv(t)
	e.headers.Set(api.DeviceHeader, "Selfservice 1.2 on Linux (build-07)")
	_, tok, laptop := e.userWithToken("alice", RoleEmployee)
	e.headers.Set(api.DeviceHeader, "Selfservice 1.2 on Windows (desk-12)")
	desk := e.signIn("alice", tok)
	e.userWithToken("bob", RoleEmployee)

	got := e.sessions(desk)
	if len(got) != 2 {
		t.Fatalf("alice's sessions: %+v; want her two, not bob's", got)
	}
	newest, oldest := got[0], got[1]
	if newest.Device != "Selfservice 1.2 on Windows (desk-12)" || !newest.Current || oldest.Device != "Selfservice 1.2 on Linux (build-07)" || oldest.Current {
		t.Errorf("sessions %+v; want the desk's first and current, then the laptop's", got)
	}
	for _, s := range got {
		if s.IP != "192.0.2.1" || s.CreatedAt.IsZero() || s.LastSeenAt.Before(s.CreatedAt) || !s.ExpiresAt.After(s.LastSeenAt) {
			t.Errorf("session %+v: want its source and times", s)
		}
	}
	// From the laptop, the laptop's session is the current one.
	if got := e.sessions(laptop); !got[1].Current || got[0].Current {
		t.Errorf("from the laptop: %+v", got)
	}
}

func TestSessionsShowTheSourceBehindATrustedProxy(t *testing.T) {
	e := newEnvWith(t, Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}})
	e.headers.Set("X-Forwarded-For", "198.51.100.7")
	_, _, session := e.userWithToken("alice", RoleEmployee)
	if got := e.sessions(session); len(got) != 1 || got[0].IP != "198.51.100.7" {
		t.Errorf("sessions %+v; want the client's address, not the proxy's", got)
	}
}

func TestEndingOneSessionStopsItsToken(t *testing.T) {
	e := newEnv(t)
	_, tok, first := e.userWithToken("alice", RoleEmployee)
	second := e.signIn("alice", tok)
	_, _, bob := e.userWithToken("bob", RoleEmployee)
	bobs := e.sessions(bob)[0]

	// Another user's session is not found, and stays.
	e.apiErr(e.call("DELETE", "/account/sessions/"+bobs.ID, first, nil), api.CodeNotFound)
	if !e.works(bob) {
		t.Fatal("alice ended bob's session")
	}
	var firstID string
	for _, s := range e.sessions(second) {
		if !s.Current {
			firstID = s.ID
		}
	}
	e.ok(e.call("DELETE", "/account/sessions/"+firstID, second, nil), 204, nil)
	if e.works(first) {
		t.Error("the ended session's token still works")
	}
	if !e.works(second) {
		t.Error("ending another session ended this one")
	}
	e.apiErr(e.call("DELETE", "/account/sessions/"+firstID, second, nil), api.CodeNotFound)

	// Ending the current one signs out.
	e.ok(e.call("DELETE", "/account/sessions/"+e.sessions(second)[0].ID, second, nil), 204, nil)
	if e.works(second) {
		t.Error("the current session survived its own end")
	}
}

func TestSignOutOthersAndAll(t *testing.T) {
	e := newEnv(t)
	alice, tok, a := e.userWithToken("alice", RoleEmployee)
	b, c := e.signIn("alice", tok), e.signIn("alice", tok)
	_, _, bob := e.userWithToken("bob", RoleEmployee)
	// An expired session the purge has not removed yet is ended, not counted.
	past := e.clock.Now().Add(-time.Hour)
	if err := e.store.CreateSession(context.Background(), SessionRecord{TokenHash: "expired", ID: "expired", UserID: alice.ID,
		CreatedAt: past, LastSeenAt: past, IdleExpiresAt: past, AbsoluteExpiresAt: past}); err != nil {
		t.Fatal(err)
	}

	e.apiErr(e.call("POST", "/account/sessions/sign-out", c, api.SignOutRequest{Which: "everyone"}), api.CodeInvalidRequest)
	if !e.works(a) || !e.works(b) {
		t.Fatal("a refused sign-out ended sessions")
	}
	var out api.SignOutResponse
	e.ok(e.call("POST", "/account/sessions/sign-out", c, api.SignOutRequest{Which: api.SignOutOthers}), 200, &out)
	if out.SignedOut != 2 || e.works(a) || e.works(b) || !e.works(c) {
		t.Errorf("sign out others: %+v; want a and b ended, c kept", out)
	}
	d := e.signIn("alice", tok)
	e.ok(e.call("POST", "/account/sessions/sign-out", c, api.SignOutRequest{Which: api.SignOutAll}), 200, &out)
	if out.SignedOut != 2 || e.works(c) || e.works(d) {
		t.Errorf("sign out all: %+v; want c and d ended", out)
	}
	if !e.works(bob) {
		t.Error("alice's sign-out ended bob's session")
	}
}

func TestSessionsNeedTheirPrivileges(t *testing.T) {
	e := newEnv(t)
	rolePrivileges["viewer"] = []api.Privilege{api.PrivSessionsView}
	t.Cleanup(func() { delete(rolePrivileges, "viewer") })
	_, _, viewer := e.userWithToken("vera", "viewer")
	e.sessions(viewer)
	e.ok(e.call("GET", "/account/activity", viewer, nil), 200, nil)
	id := e.sessions(viewer)[0].ID
	for _, call := range []struct{ method, path string }{
		{"DELETE", "/account/sessions/" + id},
		{"POST", "/account/sessions/sign-out"},
		{"POST", "/account/activity/" + id + "/report"},
	} {
		got := e.apiErr(e.call(call.method, call.path, viewer, api.SignOutRequest{Which: api.SignOutAll}), api.CodePrivilegeMissing)
		if got.Details["privilege"] != string(api.PrivSessionsManage) {
			t.Errorf("%s %s: details %v; want sessions_manage named", call.method, call.path, got.Details)
		}
	}
	if !e.works(viewer) {
		t.Error("a refused call ended the session")
	}
	rolePrivileges["viewer"] = nil
	_, _, none := e.userWithToken("nina", "viewer")
	e.apiErr(e.call("GET", "/account/sessions", none, nil), api.CodePrivilegeMissing)
	e.apiErr(e.call("GET", "/account/activity", none, nil), api.CodePrivilegeMissing)
}
