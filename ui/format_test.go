package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"selfservice/api"
	"selfservice/resources"
)

// newTranslatedApp is a test app with the translations loaded, as the
// window loads them.
func newTranslatedApp(t *testing.T) {
	t.Helper()
	test.NewTempApp(t)
	if err := resources.LoadTranslations(); err != nil {
		t.Fatal(err)
	}
}

func TestWhen(t *testing.T) {
	newTranslatedApp(t)
	f, _ := api.DateFormatByID(api.DateMedium)
	d := dates{format: f, zone: time.Local}
	now := time.Date(2026, 11, 22, 14, 30, 0, 0, time.Local)
	tests := []struct {
		when time.Time
		want string
	}{
		{now.Add(-20 * time.Second), "just now"},
		{now.Add(-time.Minute), "1 minute ago"},
		{now.Add(-45 * time.Minute), "45 minutes ago"},
		{time.Date(2026, 11, 22, 9, 5, 0, 0, time.Local), "today at 09:05"},
		{time.Date(2026, 11, 21, 23, 59, 0, 0, time.Local), "yesterday at 23:59"},
		{time.Date(2026, 11, 3, 8, 0, 0, 0, time.Local), "3 Nov 2026"},
	}
	for _, tt := range tests {
		if got := d.when(tt.when, now); got != tt.want {
			t.Errorf("when(%v) = %q, want %q", tt.when, got, tt.want)
		}
	}
}

func TestFormatWait(t *testing.T) {
	newTranslatedApp(t)
	tests := []struct {
		wait time.Duration
		want string
	}{
		{time.Second, "1 second"},
		{1500 * time.Millisecond, "2 seconds"},
		{59 * time.Second, "59 seconds"},
		{time.Minute, "1 minute"},
		{61 * time.Second, "2 minutes"},
		{5 * time.Minute, "5 minutes"},
		{90 * time.Minute, "90 minutes"},
		{91 * time.Minute, "2 hours"},
		{21 * time.Hour, "21 hours"},
	}
	for _, tt := range tests {
		if got := formatWait(tt.wait); got != tt.want {
			t.Errorf("formatWait(%v) = %q, want %q", tt.wait, got, tt.want)
		}
	}
}

func TestGroupSecret(t *testing.T) {
	tests := []struct{ secret, want string }{
		{"", ""},
		{"ABC", "ABC"},
		{"ABCD", "ABCD"},
		{"ABCDE", "ABCD E"},
		{"JBSWY3DPEHPK3PXP", "JBSW Y3DP EHPK 3PXP"},
	}
	for _, tt := range tests {
		if got := groupSecret(tt.secret); got != tt.want {
			t.Errorf("groupSecret(%q) = %q, want %q", tt.secret, got, tt.want)
		}
	}
}

func TestSpacedCode(t *testing.T) {
	tests := []struct{ code, want string }{
		{"123456", "123 456"},
		{"12345678", "1234 5678"},
		{"123", "123"},
	}
	for _, tt := range tests {
		if got := spacedCode(tt.code); got != tt.want {
			t.Errorf("spacedCode(%q) = %q, want %q", tt.code, got, tt.want)
		}
	}
}
