package server

import (
	"strings"
	"testing"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr string // "" means valid
	}{
		{"defaults", Config{}, ""},
		{"domain with its origin by default", Config{RPID: "example.com"}, ""},
		{"subdomain origins and a port", Config{RPID: "example.com", RPOrigins: []string{"https://example.com", "https://login.example.com:8443"}}, ""},
		{"http on localhost", Config{RPOrigins: []string{"http://localhost:8080"}}, ""},
		{"scheme in the RP ID", Config{RPID: "https://example.com"}, "relying party ID"},
		{"port in the RP ID", Config{RPID: "example.com:443"}, "relying party ID"},
		{"IP address as RP ID", Config{RPID: "127.0.0.1"}, "relying party ID"},
		{"upper case RP ID", Config{RPID: "Example.com"}, "lower-case"},
		{"trailing slash", Config{RPOrigins: []string{"https://localhost/"}}, "trailing slash"},
		{"path", Config{RPOrigins: []string{"https://localhost/login"}}, "no path"},
		{"no scheme", Config{RPOrigins: []string{"localhost"}}, "https://host"},
		{"http elsewhere", Config{RPID: "example.com", RPOrigins: []string{"http://example.com"}}, "use https://"},
		{"other domain", Config{RPID: "example.com", RPOrigins: []string{"https://example.org"}}, "example.com or one of its subdomains"},
		{"suffix that is not a subdomain", Config{RPID: "example.com", RPOrigins: []string{"https://badexample.com"}}, "subdomains"},
		{"public address", Config{PublicURL: "https://id.example.com/selfservice"}, ""},
		{"public address on localhost", Config{PublicURL: "http://127.0.0.1:8080"}, ""},
		{"public address over http", Config{PublicURL: "http://id.example.com"}, "use https://"},
		{"public address without scheme", Config{PublicURL: "id.example.com"}, "https://host"},
		{"public address with a query", Config{PublicURL: "https://id.example.com/?x=1"}, "no query"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Secrets = testSecrets
			err := tt.cfg.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Validate() = %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestNewPanicsOnAnInvalidConfig(t *testing.T) {
	defer func() {
		if v := recover(); v == nil || !strings.Contains(v.(string), "Config.Validate") {
			t.Errorf("New with a bad origin: panic %v, want one that points at Config.Validate", v)
		}
	}()
	New(nil, Config{Secrets: testSecrets, RPOrigins: []string{"https://localhost/"}})
}

func TestConfigNeedsTheSecretKeys(t *testing.T) {
	if err := (Config{}).Validate(); err == nil || !strings.Contains(err.Error(), "secret key") {
		t.Errorf("Validate() without Secrets = %v, want an error about the secret key", err)
	}
}
