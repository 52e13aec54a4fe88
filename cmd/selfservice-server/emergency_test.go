package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"selfservice/api"
	"selfservice/server"
)

func TestEmergencyIssuePrintsACodeThatSignsIn(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "selfservice.db")
	store, err := server.Open(ctx, db, server.WithSecretBox(testSecrets))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	demo, err := server.SeedDemo(ctx, store)
	if err != nil {
		t.Fatal(err)
	}

	var stdout, stderr bytes.Buffer
	args := []string{"emergency", "issue", "--db", db, "--username", "demo", "--valid", "2h", "--uses", "1"}
	if err := run(ctx, args, strings.NewReader(""), &stdout, &stderr); err != nil {
		t.Fatalf("run(%q): %v\n%s", args, err, stderr.String())
	}
	code := strings.TrimSpace(stdout.String())
	if !api.ValidEmergencyCode(api.NormalizeEmergencyCode(code)) || strings.Count(code, "-") != 3 {
		t.Fatalf("stdout = %q, want one grouped code", stdout.String())
	}
	if msg := stderr.String(); strings.Contains(msg, code) || !strings.Contains(msg, "Issued an emergency access code to demo") {
		t.Errorf("stderr = %q, want the confirmation without the code", msg)
	}

	srv := httptest.NewServer(server.New(store, server.Config{Secrets: testSecrets}).Handler())
	defer srv.Close()
	post := func(path string, body, out any) int {
		t.Helper()
		raw, _ := json.Marshal(body)
		res, err := http.Post(srv.URL+api.BasePath+path, "application/json", bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if out != nil {
			json.NewDecoder(res.Body).Decode(out)
		}
		return res.StatusCode
	}
	var login api.LoginResponse
	if status := post("/auth/login", api.LoginRequest{Username: "demo", Password: demo.Users[0].Password}, &login); status != 200 {
		t.Fatalf("login status %d", status)
	}
	var sess api.SessionResponse
	status := post("/auth/login/"+login.LoginID+"/verify", api.VerifyLoginRequest{TokenID: api.EmergencyTokenID, EmergencyCode: code}, &sess)
	if status != 200 || sess.SessionToken == "" {
		t.Fatalf("verify with the printed code: status %d, session %q; want 200 and a session", status, sess.SessionToken)
	}
}

func TestEmergencyIssueCommandLineErrors(t *testing.T) {
	db := newDatabase(t)
	issue := func(args ...string) []string { return append([]string{"emergency", "issue", "--db", db}, args...) }
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"no subcommand", []string{"emergency"}, `"emergency issue"`},
		{"no database", []string{"emergency", "issue", "--username", "ann"}, "--db FILE"},
		{"no user", issue(), "--username NAME"},
		{"unknown user", issue("--username", "nobody"), `no user "nobody"`},
		{"too long", issue("--username", "ann", "--valid", "721h"), "720h"},
		{"too many uses", issue("--username", "ann", "--uses", "11"), "1 to 10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, strings.NewReader(""), &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("run(%q) = %v, want an error containing %q", tt.args, err, tt.wantErr)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", stdout.String())
			}
		})
	}
}
