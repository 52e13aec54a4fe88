package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"selfservice/api"
)

// formatWait says how long to wait, rounded up: "30 seconds", "2 minutes".
func formatWait(d time.Duration) string {
	if d < time.Minute {
		s := int((d + time.Second - 1) / time.Second)
		return lang.N("{{.Count}} seconds", s, map[string]any{"Count": s})
	}
	if d <= 90*time.Minute {
		m := int((d + time.Minute - 1) / time.Minute)
		return lang.N("{{.Count}} minutes", m, map[string]any{"Count": m})
	}
	h := int((d + time.Hour - 1) / time.Hour)
	return lang.N("{{.Count}} hours", h, map[string]any{"Count": h})
}

// groupSecret splits a base32 secret into groups of four characters so
// that it can be read and typed without losing one's place.
func groupSecret(secret string) string {
	var b strings.Builder
	for i, r := range secret {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// tokenTypeName is how a token type is called on screen.
func tokenTypeName(t api.TokenType) string {
	switch t {
	case api.TypeTOTP:
		return lang.L("Authenticator app (time-based)")
	case api.TypeHOTP:
		return lang.L("Authenticator app (counter-based)")
	case api.TypeFIDO2:
		return lang.L("Security key")
	case api.TypeSMS:
		return lang.L("Text message")
	case api.TypeEmail:
		return lang.L("Email")
	case api.TypePush:
		return lang.L("Authenticator app with push")
	case api.TypeEmergency:
		return lang.L("Emergency access code")
	}
	return string(t)
}

// statusName is how a token status is called on screen.
func statusName(s api.TokenStatus) string {
	switch s {
	case api.StatusActive:
		return lang.L("Active")
	case api.StatusDisabled:
		return lang.L("Disabled")
	case api.StatusPending:
		return lang.L("Not activated")
	case api.StatusObsolete:
		return lang.L("Expired")
	}
	return string(s)
}
