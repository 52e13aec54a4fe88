package server

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"selfservice/api"
)

// post sends a JSON request to a running server.
func post(t *testing.T, url string, body, out any) int {
	t.Helper()
	raw, _ := json.Marshal(body)
	res, err := http.Post(url, "application/json", bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer res.Body.Close()
	if out != nil {
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			t.Fatalf("decode answer of %s: %v", url, err)
		}
	}
	return res.StatusCode
}

func TestStartLocalServesDemoAccounts(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "demo.db")
	local, err := StartLocal(ctx, dbPath, Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("StartLocal: %v", err)
	}
	defer local.Close()

	res, err := http.Get(local.URL + api.BasePath + "/health")
	if err != nil {
		t.Fatalf("health: %v", err)
	}
	var health api.HealthResponse
	json.NewDecoder(res.Body).Decode(&health)
	res.Body.Close()
	if res.StatusCode != 200 || health.Status != "ok" {
		t.Fatalf("health = %d %+v, want 200 ok", res.StatusCode, health)
	}

	if len(local.Demo.Users) != 2 {
		t.Fatalf("demo users = %+v, want demo and helpdesk", local.Demo.Users)
	}
	demo := local.Demo.Users[0]
	var login api.LoginResponse
	if status := post(t, local.URL+api.BasePath+"/auth/login", api.LoginRequest{Username: demo.Username, Password: demo.Password}, &login); status != 200 || len(login.Methods) != 1 {
		t.Fatalf("login = %d %+v, want 200 with one method", status, login)
	}
	code := refCode(decodeSecret(t, demo.TOTPSecret), time.Now().Unix()/30, 6)
	var session api.SessionResponse
	status := post(t, local.URL+api.BasePath+"/auth/login/"+login.LoginID+"/verify",
		api.VerifyLoginRequest{TokenID: login.Methods[0].TokenID, OTP: code}, &session)
	if status != 200 || session.SessionToken == "" {
		t.Fatalf("verify = %d %+v, want a session", status, session)
	}

	if err := local.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := http.Get(local.URL + api.BasePath + "/health"); err == nil {
		t.Errorf("the server still answers after Close")
	}

	again, err := StartLocal(ctx, dbPath, Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("StartLocal again: %v", err)
	}
	defer again.Close()
	if !reflect.DeepEqual(again.Demo, local.Demo) {
		t.Errorf("second start seeded %+v, want the same accounts %+v", again.Demo, local.Demo)
	}
}
