package app_test

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"selfservice/app"
)

// oathtoolCode asks the reference implementation for the TOTP code of
// secret at now.
func oathtoolCode(t *testing.T, secret string, now time.Time) string {
	t.Helper()
	path, err := exec.LookPath("oathtool")
	if err != nil {
		t.Fatalf("oathtool is needed to check TOTP codes (package oathtool): %v", err)
	}
	out, err := exec.Command(path, "--totp", "-b", secret, "--now", "@"+strconv.FormatInt(now.Unix(), 10)).Output()
	if err != nil {
		t.Fatalf("oathtool: %v", err)
	}
	return strings.TrimSpace(string(out))
}

func TestDemoCodeMatchesOathtool(t *testing.T) {
	tests := []struct {
		secret   string
		now      time.Time
		wantLeft int
	}{
		{"JBSWY3DPEHPK3PXP", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), 25},
		{"JBSWY3DPEHPK3PXP", time.Date(2026, 1, 2, 3, 4, 30, 0, time.UTC), 30},
		{"JBSWY3DPEHPK3PXP", time.Date(2026, 1, 2, 3, 4, 59, 999, time.UTC), 1},
		{"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", time.Date(2031, 7, 14, 12, 0, 29, 0, time.UTC), 1},
		{"gezdgnbvgy3tqojq", time.Unix(1_700_000_000, 0), 10}, // lower case, unpadded
		{"MFRGGZDFMZTWQ2LK", time.Unix(59, 0), 1},
	}
	for _, tt := range tests {
		t.Run(tt.now.UTC().Format(time.RFC3339), func(t *testing.T) {
			code, left, err := app.DemoCode(tt.secret, tt.now)
			if err != nil {
				t.Fatalf("DemoCode: %v", err)
			}
			if want := oathtoolCode(t, tt.secret, tt.now); code != want {
				t.Errorf("code = %q; want %q (oathtool)", code, want)
			}
			if left != tt.wantLeft {
				t.Errorf("seconds left = %d; want %d", left, tt.wantLeft)
			}
		})
	}
}

func TestDemoCodeRejectsABadSecret(t *testing.T) {
	const secret = "NOT-BASE32!"
	_, _, err := app.DemoCode(secret, time.Unix(1_700_000_000, 0))
	if err == nil {
		t.Fatal("error = nil; want one for a secret that is not base32")
	}
	if strings.Contains(err.Error(), secret) {
		t.Errorf("error %q repeats the secret", err)
	}
}
