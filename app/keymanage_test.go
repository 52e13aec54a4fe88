package app_test

import (
	"context"
	"encoding/base64"
	"errors"
	"testing"

	"selfservice/api"
	"selfservice/app"
	"selfservice/hw"
)

// deniedKeys is a provider that finds a key this user may not open.
type deniedKeys struct{}

func (deniedKeys) Devices(context.Context) ([]hw.DeviceInfo, error) {
	return nil, hw.ErrNoPermission
}

func (deniedKeys) Open(string) (hw.Authenticator, error) { return nil, hw.ErrNoPermission }

func TestScanReportsProblemsBesideTheKeysFound(t *testing.T) {
	virtual, err := hw.NewSoftware(hw.SoftwareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		providers []hw.Provider
		devices   int
		problem   error
	}{
		{"a key and a denied one", []hw.Provider{deniedKeys{}, virtual}, 1, hw.ErrNoPermission},
		{"only a denied key", []hw.Provider{deniedKeys{}}, 0, hw.ErrNoPermission},
		{"only the virtual key", []hw.Provider{virtual}, 1, nil},
		{"no key", []hw.Provider{hw.Libfido2{}}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			devices, err := app.NewKeys(tt.providers...).Scan(context.Background())
			if len(devices) != tt.devices {
				t.Errorf("Scan found %d devices, want %d", len(devices), tt.devices)
			}
			if tt.problem == nil && err != nil || tt.problem != nil && !errors.Is(err, tt.problem) {
				t.Errorf("Scan error = %v, want %v", err, tt.problem)
			}
		})
	}
}

func TestAccountCredentials(t *testing.T) {
	id := []byte{0xfb, 0xff, 0x01, 0x02} // encodes with "-" and "_"
	other := []byte{0x03, 0x04}
	tokens := []api.Token{
		{Type: api.TypeFIDO2, Credential: &api.Credential{ID: base64.RawURLEncoding.EncodeToString(id)}},
		{Type: api.TypeFIDO2, Credential: &api.Credential{ID: base64.URLEncoding.EncodeToString(other)}}, // padded
		{Type: api.TypeFIDO2}, // not activated: no credential yet
		{Type: api.TypeTOTP},  // not a key
		{Type: api.TypeFIDO2, Credential: &api.Credential{ID: "not base64!"}},
	}
	ids := app.AccountCredentials(tokens)
	tests := []struct {
		id   []byte
		want bool
	}{
		{id, true},
		{other, true},
		{[]byte{0xfb, 0xff, 0x01}, false},
		{nil, false},
	}
	for _, tt := range tests {
		if got := ids.Contains(tt.id); got != tt.want {
			t.Errorf("Contains(%x) = %v, want %v", tt.id, got, tt.want)
		}
	}
	if len(ids) != 2 {
		t.Errorf("AccountCredentials kept %d ids, want 2", len(ids))
	}
}
