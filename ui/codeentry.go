package ui

import (
	"strings"

	"fyne.io/fyne/v2/lang"

	"selfservice/api"
)

// newCodeEntry is an entry for a one-time code: it keeps only digits
// (so pasting "123 456" works) and at most api.MaxOTPLen of them.
func newCodeEntry() *entry {
	e := newEntry()
	e.TextStyle.Monospace = true
	e.SetPlaceHolder(lang.L("6 to 8 digits"))
	e.OnChanged = func(text string) {
		if clean := digitsOnly(text, api.MaxOTPLen); clean != text {
			e.SetText(clean)
		}
	}
	return e
}

// digitsOnly drops everything but digits from s and cuts it to max.
func digitsOnly(s string, max int) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' && b.Len() < max {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// newEmergencyCodeEntry is an entry for an emergency access code: it
// shows what is typed or pasted in upper case, and keeps at most the
// characters of a grouped code ("ABCD-EFGH-JKLM-NPQR"); the app
// normalises the rest.
func newEmergencyCodeEntry() *entry {
	e := newEntry()
	e.TextStyle.Monospace = true
	e.SetPlaceHolder("ABCD-EFGH-JKLM-NPQR")
	e.OnChanged = func(text string) {
		if upper := strings.ToUpper(text); upper != text {
			e.SetText(upper)
		}
	}
	return e
}
