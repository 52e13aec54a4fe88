package app_test

import (
	"testing"

	"selfservice/app"
)

func TestWindowSizeIsKeptAndCheckedWhenRead(t *testing.T) {
	prefs := newPrefs()
	s := app.NewSession(nil, app.NewMemorySecrets(), prefs)
	if _, _, ok := s.WindowSize(); ok {
		t.Fatal("a size before any was kept")
	}
	s.SetWindowSize(1280.4, 800)
	if w, h, ok := s.WindowSize(); !ok || w != 1280 || h != 800 {
		t.Errorf("WindowSize = %v×%v, %v; want 1280×800", w, h, ok)
	}
	for _, bad := range []string{"", "wide", "100x80", "1280x", "99999x800", "NaNx800"} {
		prefs.SetString(app.PrefWindowSize, bad)
		if w, h, ok := s.WindowSize(); ok {
			t.Errorf("%q read as %v×%v", bad, w, h)
		}
	}
}
