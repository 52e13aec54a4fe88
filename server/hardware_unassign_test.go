package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"selfservice/api"
)

// unassign asks the server to take serial back from username.
func (e *env) unassign(session, username, serial string, force bool) response {
	e.t.Helper()
	return e.call("POST", "/users/"+username+"/hardware-tokens/"+serial+"/unassign", session, api.UnassignHardwareRequest{Force: force})
}

// held is the serial of the hardware tokens username holds, as the
// helpdesk session sees them.
func (e *env) held(session, username string) []string {
	e.t.Helper()
	var out api.HardwareDevicesResponse
	e.ok(e.call("GET", "/users/"+username+"/hardware-tokens", session, nil), 200, &out)
	var serials []string
	for _, d := range out.Devices {
		serials = append(serials, d.Serial)
	}
	return serials
}

func TestHelpdeskUnassignRefusals(t *testing.T) {
	e := newEnv(t)
	e.importHardware("serial,secret,type,digits\nHW-1," + hwSecretA + ",hotp,6\n")
	cid := e.addUser("cid", RoleEmployee)
	var first api.LoginResponse
	e.ok(e.call("POST", "/auth/login", "", api.LoginRequest{Username: "cid", Password: testPassword}), 200, &first)
	e.ok(e.claim(first.SessionToken, "HW-1", oathtoolHOTP(t, decodeSecret(t, hwSecretA), 0)), 201, nil)
	_, _, ann := e.userWithToken("ann", RoleEmployee)
	_, _, hd := e.userWithToken("hd", RoleHelpdesk)

	e.apiErr(e.call("GET", "/users/cid/hardware-tokens", ann, nil), api.CodePrivilegeMissing)
	e.apiErr(e.unassign(ann, "cid", "HW-1", true), api.CodePrivilegeMissing)
	e.apiErr(e.call("GET", "/users/hd/hardware-tokens", hd, nil), api.CodeHardwareForSelf)
	e.apiErr(e.unassign(hd, "%20HD", "HW-1", false), api.CodeHardwareForSelf)
	e.apiErr(e.call("GET", "/users/nobody/hardware-tokens", hd, nil), api.CodeNotFound)

	// An unknown user, a serial not theirs and an unknown serial get the same answer.
	unknownUser := e.apiErr(e.unassign(hd, "nobody", "HW-1", true), api.CodeNotFound)
	notTheirs := e.apiErr(e.unassign(hd, "ann", "HW-1", true), api.CodeNotFound)
	unknownSerial := e.apiErr(e.unassign(hd, "cid", "HW-9", true), api.CodeNotFound)
	if unknownUser.Message != notTheirs.Message || notTheirs.Message != unknownSerial.Message {
		t.Errorf("answers %q, %q, %q; want one answer", unknownUser.Message, notTheirs.Message, unknownSerial.Message)
	}
	if got := e.held(hd, "cid"); len(got) != 1 || got[0] != "HW-1" {
		t.Errorf("cid holds %v after the refusals, want [HW-1]", got)
	}
	if n, _ := e.store.CountActiveTokens(context.Background(), cid.ID); n != 1 {
		t.Errorf("cid has %d ACTIVE tokens, want 1", n)
	}
}

func TestHelpdeskUnassignsHardwareToken(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.importHardware("serial,secret,type,digits\nHW-1," + hwSecretA + ",hotp,6\nHW-2," + hwSecretB + ",totp,6\n")
	secretA, secretB := decodeSecret(t, hwSecretA), decodeSecret(t, hwSecretB)
	cid := e.addUser("cid", RoleEmployee)
	var l api.LoginResponse
	e.ok(e.call("POST", "/auth/login", "", api.LoginRequest{Username: "cid", Password: testPassword}), 200, &l)
	e.ok(e.claim(l.SessionToken, "HW-1", oathtoolHOTP(t, secretA, 0)), 201, nil)
	var tokens api.TokensResponse
	e.ok(e.call("GET", "/tokens", l.SessionToken, nil), 200, &tokens)
	// The device is pressed on: its counter moves with the token.
	e.ok(e.call("POST", "/tokens/"+tokens.Tokens[0].ID+"/test", l.SessionToken, api.OTPRequest{OTP: oathtoolHOTP(t, secretA, 8)}), 200, nil)
	_, hdTok, hd := e.userWithToken("hd", RoleHelpdesk)

	var list api.HardwareDevicesResponse
	e.ok(e.call("GET", "/users/%20CID/hardware-tokens", hd, nil), 200, &list)
	want := api.HardwareDevice{Serial: "HW-1", Type: api.TypeHOTP, TokenID: tokens.Tokens[0].ID, Status: api.StatusActive}
	if list.Username != "cid" || len(list.Devices) != 1 || list.Devices[0].LastUsedAt == nil {
		t.Fatalf("got %+v, want cid's HW-1, used", list)
	}
	if got := list.Devices[0]; got.Serial != want.Serial || got.Type != want.Type || got.TokenID != want.TokenID || got.Status != want.Status {
		t.Errorf("got %+v, want %+v", got, want)
	}

	// The last active token: refused unless forced, and forcing needs a fresh sign-in.
	refused := e.apiErr(e.unassign(hd, "cid", "hw-1", false), api.CodeLastActiveToken)
	if !api.ForceAllowed(refused) || !strings.Contains(refused.Message, "HW-1") || !strings.Contains(refused.Message, "cid") {
		t.Errorf("refusal %q, details %v; want it to name HW-1 and cid and allow forcing", refused.Message, refused.Details)
	}
	e.clock.Advance(e.cfg.withDefaults().RecentAuth + time.Second)
	stale := e.apiErr(e.unassign(hd, "cid", "HW-1", true), api.CodeLastActiveToken)
	if api.ForceAllowed(stale) || !strings.Contains(stale.Message, "sign in again") {
		t.Errorf("refusal %q, details %v; want forcing refused until a fresh sign-in", stale.Message, stale.Details)
	}
	if got := e.held(hd, "cid"); len(got) != 1 {
		t.Fatalf("cid holds %v after the refusals, want HW-1", got)
	}
	fresh := e.signIn("hd", hdTok)
	var left api.HardwareDevicesResponse
	e.ok(e.unassign(fresh, "cid", "HW-1", true), 200, &left)
	if left.Username != "cid" || len(left.Devices) != 0 {
		t.Errorf("got %+v left, want cid with no devices", left)
	}
	if n, _ := e.store.CountActiveTokens(ctx, cid.ID); n != 0 {
		t.Errorf("cid has %d ACTIVE tokens, want 0", n)
	}
	if !strings.Contains(e.logs.String(), "hardware token unassigned") {
		t.Error("the unassignment is not logged")
	}

	// The counter is carried back: the next holder goes on from it.
	if h, _ := e.store.HardwareToken(ctx, "HW-1"); h.Assigned() || h.Counter != 9 {
		t.Errorf("HW-1 assigned %v at counter %d, want free at 9", h.Assigned(), h.Counter)
	}
	_, _, bob := e.userWithToken("bob", RoleEmployee)
	e.apiErr(e.claim(bob, "HW-1", oathtoolHOTP(t, secretA, 8)), api.CodeOTPReplayed)
	e.ok(e.claim(bob, "HW-1", oathtoolHOTP(t, secretA, 9)), 201, nil)
	e.ok(e.claim(bob, "HW-2", refCode(secretB, e.clock.Now().Unix()/30, 6)), 201, nil)

	// Not bob's last active token: no force needed, even from the old session.
	e.ok(e.unassign(hd, "bob", "HW-1", false), 200, &left)
	if len(left.Devices) != 1 || left.Devices[0].Serial != "HW-2" || left.Devices[0].Type != api.TypeTOTP {
		t.Errorf("got %+v left, want bob's HW-2", left)
	}
	e.apiErr(e.unassign(hd, "bob", "HW-1", false), api.CodeNotFound)
}
