package client_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"selfservice/api"
	"selfservice/client"
)

func TestNewChecksServerURL(t *testing.T) {
	tests := []struct {
		url      string
		wantCode string // "" means accepted
	}{
		{"https://selfservice.example.com", ""},
		{"https://selfservice.example.com/", ""},
		{"  https://selfservice.example.com:8443/prefix/  ", ""},
		{"http://127.0.0.1:8080", ""},
		{"http://127.10.20.30", ""},
		{"http://localhost:8443/", ""},
		{"http://LOCALHOST", ""},
		{"http://[::1]:8080", ""},
		{"http://selfservice.example.com", api.CodeInsecureURL},
		{"http://10.0.0.1:8080", api.CodeInsecureURL},
		{"http://localhost.example.com", api.CodeInsecureURL},
		{"http://[::2]", api.CodeInsecureURL},
		{"", api.CodeInvalidRequest},
		{"selfservice.example.com", api.CodeInvalidRequest},
		{"ftp://selfservice.example.com", api.CodeInvalidRequest},
		{"https://", api.CodeInvalidRequest},
		{"https://selfservice.example.com/?x=1", api.CodeInvalidRequest},
		{"https://selfservice.example.com/?", api.CodeInvalidRequest},
		{"https://selfservice.example.com/#top", api.CodeInvalidRequest},
		{"https://alice:secret@selfservice.example.com", api.CodeInvalidRequest},
		{"https://selfservice example.com", api.CodeInvalidRequest},
	}
	for _, tt := range tests {
		name := tt.url
		if name == "" {
			name = "empty"
		}
		t.Run(name, func(t *testing.T) {
			c, err := client.New(tt.url, client.Options{})
			if tt.wantCode == "" {
				if err != nil || c == nil {
					t.Fatalf("New(%q) = %v, %v; want a client", tt.url, c, err)
				}
				return
			}
			var apiErr *api.Error
			if !errors.As(err, &apiErr) {
				t.Fatalf("New(%q) error = %v; want an *api.Error %s", tt.url, err, tt.wantCode)
			}
			if apiErr.Code != tt.wantCode {
				t.Errorf("New(%q) code = %q; want %q", tt.url, apiErr.Code, tt.wantCode)
			}
			if apiErr.FieldErrors()["server_url"] == "" {
				t.Errorf("New(%q) field errors = %v; want one for server_url", tt.url, apiErr.FieldErrors())
			}
			if strings.Contains(apiErr.Message, "secret") {
				t.Errorf("New(%q) message %q repeats the password of the URL", tt.url, apiErr.Message)
			}
		})
	}
}

func TestNewInsecureURLSaysToUseHTTPS(t *testing.T) {
	_, err := client.New("http://selfservice.example.com", client.Options{})
	if !errors.Is(err, api.ErrInsecureURL) {
		t.Fatalf("error = %v; want insecure_url", err)
	}
	if !strings.Contains(err.Error(), "https://") {
		t.Errorf("message %q does not tell to use https://", err)
	}
}

func TestServerURLPathMakesAPIRoot(t *testing.T) {
	tests := []struct {
		suffix   string
		wantPath string
	}{
		{"", "/api/v1/health"},
		{"/", "/api/v1/health"},
		{"/selfservice", "/selfservice/api/v1/health"},
		{"/selfservice/", "/selfservice/api/v1/health"},
		{"/api/v1", "/api/v1/health"},
		{"/api/v1/", "/api/v1/health"},
	}
	for _, tt := range tests {
		t.Run("suffix "+tt.suffix, func(t *testing.T) {
			var gotPath string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				gotPath = r.URL.Path
				writeJSON(w, http.StatusOK, `{"status":"ok"}`)
			}))
			defer srv.Close()

			c := newClient(t, srv.URL+tt.suffix, client.Options{})
			if _, err := c.Health(context.Background()); err != nil {
				t.Fatalf("Health: %v", err)
			}
			if gotPath != tt.wantPath {
				t.Errorf("path = %q; want %q", gotPath, tt.wantPath)
			}
		})
	}
}
