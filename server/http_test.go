package server

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"selfservice/api"
)

func TestHealth(t *testing.T) {
	e := newEnv(t)
	var out api.HealthResponse
	e.ok(e.call("GET", "/health", "", nil), 200, &out)
	if out.Status != "ok" {
		t.Errorf("status %q, want ok", out.Status)
	}
}

func TestBadRequestBodies(t *testing.T) {
	e := newEnvWith(t, Config{MaxBodyBytes: 1024})
	_, _, session := e.userWithToken("alice", RoleEmployee)

	tests := []struct {
		name        string
		path        string
		contentType string
		body        string
		wantCode    string
		wantField   string
	}{
		{"malformed JSON", "/auth/login", "application/json", `{"username": "alice",`, api.CodeMalformedJSON, ""},
		{"not JSON at all", "/auth/login", "application/json", `username=alice`, api.CodeMalformedJSON, ""},
		{"empty body", "/auth/login", "application/json", ``, api.CodeMalformedJSON, ""},
		{"array instead of object", "/auth/login", "application/json", `[]`, api.CodeMalformedJSON, ""},
		{"two JSON values", "/auth/login", "application/json", `{"username":"a","password":"b"} {}`, api.CodeMalformedJSON, ""},
		{"trailing garbage", "/auth/login", "application/json", `{"username":"a","password":"b"} x`, api.CodeMalformedJSON, ""},
		{"unknown field", "/auth/login", "application/json", `{"username":"a","password":"b","admin":true}`, api.CodeMalformedJSON, ""},
		{"wrong type", "/auth/login", "application/json", `{"username":42,"password":"b"}`, api.CodeInvalidRequest, "username"},
		{"wrong type in a token call", "/tokens", "application/json", `{"template_id":["totp-app"]}`, api.CodeInvalidRequest, "template_id"},
		{"missing content type", "/auth/login", "", `{"username":"a","password":"b"}`, api.CodeUnsupportedMedia, ""},
		{"form content type", "/auth/login", "application/x-www-form-urlencoded", `username=a`, api.CodeUnsupportedMedia, ""},
		{"oversized body", "/auth/login", "application/json", `{"username":"` + strings.Repeat("a", 2048) + `","password":"b"}`, api.CodeBodyTooLarge, ""},
		{"oversized after a first value", "/auth/login", "application/json", `{"username":"a","password":"b"}` + strings.Repeat(" ", 2048), api.CodeBodyTooLarge, ""},
		{"validation: missing password", "/auth/login", "application/json", `{"username":"alice"}`, api.CodeInvalidRequest, "password"},
		{"validation: letters in a code", "/tokens/x/test", "application/json", `{"otp":"12345a"}`, api.CodeInvalidRequest, "otp"},
		{"validation: same code twice for resync", "/tokens/x/resync", "application/json", `{"otp1":"123456","otp2":"123456"}`, api.CodeInvalidRequest, "otp2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", api.BasePath+tt.path, strings.NewReader(tt.body))
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			req.Header.Set("Authorization", "Bearer "+session)
			rec := httptest.NewRecorder()
			e.handler.ServeHTTP(rec, req)
			got := e.apiErr(response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}, tt.wantCode)
			if tt.wantField != "" {
				if msg := got.FieldErrors()[tt.wantField]; msg == "" {
					t.Errorf("details.fields = %v, want a message for %s", got.FieldErrors(), tt.wantField)
				}
			}
		})
	}
}

func TestJSONContentTypeWithCharsetIsAccepted(t *testing.T) {
	e := newEnv(t)
	e.addUser("alice", RoleEmployee)
	req := httptest.NewRequest("POST", api.BasePath+"/auth/login", strings.NewReader(`{"username":"alice","password":"`+testPassword+`"}`))
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Errorf("status %d, want 200; body %s", rec.Code, rec.Body)
	}
}

func TestUnknownRouteAndWrongMethod(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		method, path string
		wantCode     string
		wantAllow    string
	}{
		{"GET", "/nothing-here", api.CodeNotFound, ""},
		{"GET", "/tokens/abc/explode", api.CodeNotFound, ""},
		{"PUT", "/tokens", api.CodeMethodNotAllowed, "GET, POST"},
		{"GET", "/auth/login", api.CodeMethodNotAllowed, "POST"},
		{"POST", "/tokens/abc", api.CodeMethodNotAllowed, "GET, PATCH, DELETE"},
		{"GET", "/tokens/../me", api.CodeNotFound, ""},
		{"GET", "/tokens/..", api.CodeNotFound, ""},
		{"GET", "//tokens", api.CodeNotFound, ""},
		{"GET", "/tokens/./x", api.CodeNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			res := e.call(tt.method, tt.path, "", nil)
			e.apiErr(res, tt.wantCode)
			if got := res.Header.Get("Allow"); got != tt.wantAllow {
				t.Errorf("Allow = %q, want %q", got, tt.wantAllow)
			}
		})
	}

	// Outside the API base path too.
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	e.apiErr(response{Status: rec.Code, Body: rec.Body.Bytes()}, api.CodeNotFound)
}

func TestAuthenticationIsRequired(t *testing.T) {
	e := newEnv(t)
	for _, rt := range New(nil, Config{Secrets: testSecrets}).routes {
		if rt.Access == public {
			continue
		}
		for _, header := range []string{"", "Bearer", "Bearer not-a-session", "Basic YWxpY2U6cHc="} {
			req := httptest.NewRequest(rt.Method, api.BasePath+strings.ReplaceAll(rt.Path, "{id}", "x"), nil)
			if header != "" {
				req.Header.Set("Authorization", header)
			}
			rec := httptest.NewRecorder()
			e.handler.ServeHTTP(rec, req)
			e.apiErr(response{Status: rec.Code, Body: rec.Body.Bytes()}, api.CodeUnauthenticated)
			if rec.Header().Get("WWW-Authenticate") == "" {
				t.Errorf("%s %s: 401 without WWW-Authenticate", rt.Method, rt.Path)
			}
		}
	}
}

// panicStore fails a test of panic recovery: every user lookup panics.
type panicStore struct{ Store }

func (panicStore) UserByUsername(context.Context, string) (UserRecord, error) {
	panic("store exploded: internal detail")
}

func TestPanicBecomesInternalError(t *testing.T) {
	e := newEnv(t)
	e.handler = New(panicStore{e.store}, e.cfg).Handler()
	res := e.call("POST", "/auth/login", "", api.LoginRequest{Username: "alice", Password: testPassword})
	got := e.apiErr(res, api.CodeInternal)
	if strings.Contains(string(res.Body), "exploded") || strings.Contains(got.Message, "internal detail") {
		t.Errorf("the 500 answer leaks internals: %s", res.Body)
	}
	if !strings.Contains(e.logs.String(), "handler panicked") {
		t.Errorf("the panic was not logged; logs:\n%s", e.logs)
	}
	// The server still works.
	e.ok(e.call("GET", "/health", "", nil), 200, nil)
}

func TestResponsesAreNotCached(t *testing.T) {
	e := newEnv(t)
	res := e.call("GET", "/health", "", nil)
	if got := res.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
	if got := res.Header.Get("Content-Type"); got != "application/json; charset=utf-8" {
		t.Errorf("Content-Type = %q, want application/json", got)
	}
}
