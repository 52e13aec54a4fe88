package ui

import (
	"reflect"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// Every widget of the app's own that the signed-in window and the
// sign-in screen show says something to a screen reader; a new custom
// widget without AccessibilityLabel fails here.
func TestOwnWidgetsAreAccessible(t *testing.T) {
	f := newFixture(t, Options{})
	check := func(where string) {
		seen := 0
		for _, o := range test.LaidOutObjects(f.ui.win.Canvas().Content()) {
			if _, ok := o.(fyne.Widget); !ok {
				continue
			}
			typ := reflect.TypeOf(o)
			if typ.Kind() == reflect.Pointer {
				typ = typ.Elem()
			}
			if typ.PkgPath() != "selfservice/ui" {
				continue
			}
			seen++
			if _, ok := o.(fyne.Accessible); !ok {
				t.Errorf("%s: %s does not implement fyne.Accessible", where, typ.Name())
			}
		}
		if seen == 0 {
			t.Errorf("%s: no widget of the app's own found", where)
		}
	}
	check("sign-in screen")
	f.signIn("demo")
	check("signed-in window")
}

func TestAccessibilityLabels(t *testing.T) {
	newFixture(t, Options{})
	secret := newPasswordEntry()
	secret.SetPlaceHolder("Your password")
	secret.SetText("hunter2")
	code := newEntry()
	code.SetText("123 456")
	n := newNavItem()
	n.set(area{name: "To approve", badge: "3"})
	c := newCountdown()
	c.set(0.4)
	tests := []struct {
		name string
		got  fyne.Accessible
		want string
	}{
		{"password entry", secret, "Your password"},
		{"code entry", code, "123 456"},
		{"navigation with a count", n, "To approve, 3 waiting"},
		{"countdown", c, "40 % of the time left"},
	}
	for _, tt := range tests {
		if got := tt.got.AccessibilityLabel(); got != tt.want {
			t.Errorf("%s: label %q, want %q", tt.name, got, tt.want)
		}
	}
}
