package keyring

import (
	"errors"
	"fmt"
	"testing"
	"time"

	gokeyring "github.com/zalando/go-keyring"

	"selfservice/app"
)

func TestKeyringErrorMapping(t *testing.T) {
	busErr := errors.New(`exec: "dbus-launch": executable file not found in $PATH`)
	tests := []struct {
		name            string
		in              error
		wantNotFound    bool
		wantUnavailable bool
	}{
		{"success", nil, false, false},
		{"not found", gokeyring.ErrNotFound, true, false},
		{"wrapped not found", fmt.Errorf("lookup: %w", gokeyring.ErrNotFound), true, false},
		{"no bus", busErr, false, true},
		{"too big", gokeyring.ErrSetDataTooBig, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mapError(tt.in)
			if (tt.in == nil) != (got == nil) {
				t.Fatalf("mapError(%v) = %v", tt.in, got)
			}
			if errors.Is(got, app.ErrSecretNotFound) != tt.wantNotFound {
				t.Errorf("mapError(%v) = %v; app.ErrSecretNotFound: want %v", tt.in, got, tt.wantNotFound)
			}
			if errors.Is(got, app.ErrSecretsUnavailable) != tt.wantUnavailable {
				t.Errorf("mapError(%v) = %v; app.ErrSecretsUnavailable: want %v", tt.in, got, tt.wantUnavailable)
			}
		})
	}
	if got := mapError(busErr); !errors.Is(got, busErr) {
		t.Errorf("mapError(%v) = %v; want the cause kept", busErr, got)
	}
}

func TestKeyringCallThatNeverAnswers(t *testing.T) {
	block := make(chan struct{})
	defer close(block) // lets the abandoned call finish

	_, err := withTimeout(20*time.Millisecond, func() (string, error) {
		<-block // a locked keyring waiting for a password prompt
		return "late", nil
	})
	if !errors.Is(err, app.ErrSecretsUnavailable) {
		t.Fatalf("error = %v; want app.ErrSecretsUnavailable", err)
	}
}
