package server

import (
	"context"
	"log/slog"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"selfservice/api"
)

// demoHardwareInStore returns the store's hardware tokens whose serial
// starts with DEMO-HW.
func demoHardwareInStore(t *testing.T, store Store) []HardwareTokenRecord {
	t.Helper()
	all, err := store.HardwareTokens(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []HardwareTokenRecord
	for _, h := range all {
		if strings.HasPrefix(h.Serial, "DEMO-HW") {
			out = append(out, h)
		}
	}
	return out
}

func TestSeedDemoImportsHardwareTokensThatCanBeClaimed(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	first, err := SeedDemo(ctx, e.store)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Hardware) != 2 || first.Hardware[0].Serial != "DEMO-HW-1" || first.Hardware[1].Serial != "DEMO-HW-2" {
		t.Fatalf("seeded hardware %+v, want DEMO-HW-1 and DEMO-HW-2", first.Hardware)
	}
	stored := demoHardwareInStore(t, e.store)
	if len(stored) != 2 {
		t.Fatalf("%d demo hardware tokens in the inventory, want 2", len(stored))
	}
	for i, h := range stored {
		if h.Type != api.TypeTOTP || h.Algorithm != "SHA1" || h.Digits != 6 || h.Period != 30 || h.Assigned() ||
			secretBase32(h.Secret) != first.Hardware[i].Secret {
			t.Errorf("%s is %s %s %d digits %d s, assigned %v; want an unassigned TOTP SHA1 6 digits 30 s with the returned secret",
				h.Serial, h.Type, h.Algorithm, h.Digits, h.Period, h.Assigned())
		}
	}

	// The demo account claims DEMO-HW-1 with the code its secret gives.
	demo := first.Users[0]
	var login api.LoginResponse
	e.ok(e.call("POST", "/auth/login", "", api.LoginRequest{Username: demo.Username, Password: demo.Password}), 200, &login)
	var session api.SessionResponse
	step := e.clock.Now().Unix() / 30
	e.ok(e.call("POST", "/auth/login/"+login.LoginID+"/verify", "", api.VerifyLoginRequest{
		TokenID: login.Methods[0].TokenID, OTP: refCode(decodeSecret(t, demo.TOTPSecret), step, 6)}), 200, &session)
	var claimed api.TokenResponse
	e.ok(e.claim(session.SessionToken, "DEMO-HW-1", refCode(decodeSecret(t, first.Hardware[0].Secret), step, 6)), 201, &claimed)
	if claimed.Token.Status != api.StatusActive || claimed.Token.Label != "DEMO-HW-1" {
		t.Fatalf("claimed %+v, want an ACTIVE token DEMO-HW-1", claimed.Token)
	}

	// Seeding again leaves the inventory as it is, the claim included.
	second, err := SeedDemo(ctx, e.store)
	if err != nil {
		t.Fatalf("second SeedDemo: %v", err)
	}
	if !reflect.DeepEqual(second, first) {
		t.Errorf("second SeedDemo = %+v, want %+v", second, first)
	}
	stored = demoHardwareInStore(t, e.store)
	if len(stored) != 2 || stored[0].Username != demo.Username || stored[1].Assigned() {
		t.Errorf("after a second SeedDemo the demo hardware is %+v, want DEMO-HW-1 held by demo and DEMO-HW-2 free", stored)
	}
}

func TestStartLocalSeedsTheDemoHardwareTokensOnce(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "demo.db")
	cfg := Config{Logger: slog.New(slog.DiscardHandler)}
	local, err := StartLocal(ctx, dbPath, cfg)
	if err != nil {
		t.Fatalf("StartLocal: %v", err)
	}
	if got := len(local.Demo.Hardware); got != 2 {
		t.Errorf("StartLocal lists %d demo hardware tokens, want 2", got)
	}
	if got := len(demoHardwareInStore(t, local.store)); got != 2 {
		t.Errorf("%d demo hardware tokens in the inventory, want 2", got)
	}
	if err := local.Close(); err != nil {
		t.Fatal(err)
	}

	again, err := StartLocal(ctx, dbPath, cfg)
	if err != nil {
		t.Fatalf("StartLocal on the same database: %v", err)
	}
	defer again.Close()
	if !reflect.DeepEqual(again.Demo.Hardware, local.Demo.Hardware) {
		t.Errorf("second start lists %+v, want %+v", again.Demo.Hardware, local.Demo.Hardware)
	}
	if got := len(demoHardwareInStore(t, again.store)); got != 2 {
		t.Errorf("%d demo hardware tokens after a second start, want 2", got)
	}
}
