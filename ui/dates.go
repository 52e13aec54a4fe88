package ui

import (
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"selfservice/api"
)

// dates writes every date and time the app shows, in the user's date
// format and time zone (their preferences), or as this computer does
// before they sign in or while they have not chosen. The window keeps
// one (UI.dates); the screens ask it.
type dates struct {
	format api.DateFormat
	zone   *time.Location
}

// computerDates are the computer's: its time zone, and the date format
// of its region.
func computerDates() dates {
	return dates{format: computerDateFormat(), zone: time.Local}
}

// datesFor are the dates of the preferences p, the computer's where p
// says nothing (or names what this app does not know).
func datesFor(p api.Preferences) dates {
	d := computerDates()
	if f, ok := api.DateFormatByID(p.DateFormat); ok {
		d.format = f
	}
	if p.TimeZone != "" {
		if zone, err := time.LoadLocation(p.TimeZone); err == nil {
			d.zone = zone
		}
	}
	return d
}

// regionDateFormats is how the computer's region writes dates, where it
// differs from DateMedium.
var regionDateFormats = map[string]string{
	"US": api.DateUS,
	"AT": api.DateDotted, "CH": api.DateDotted, "CZ": api.DateDotted, "DE": api.DateDotted, "DK": api.DateDotted,
	"FI": api.DateDotted, "NO": api.DateDotted, "PL": api.DateDotted, "RU": api.DateDotted, "SK": api.DateDotted,
	"CN": api.DateISO, "JP": api.DateISO, "LT": api.DateISO, "SE": api.DateISO,
	"BE": api.DateDMYSlash, "ES": api.DateDMYSlash, "FR": api.DateDMYSlash, "GB": api.DateDMYSlash,
	"IE": api.DateDMYSlash, "IT": api.DateDMYSlash, "NL": api.DateDMYSlash, "PT": api.DateDMYSlash,
}

// computerDateFormat is the date format of the computer's region.
func computerDateFormat() api.DateFormat {
	_, region, _ := strings.Cut(lang.SystemLocale().String(), "-")
	region, _, _ = strings.Cut(region, "-")
	f, _ := api.DateFormatByID(api.DateMedium)
	if id, ok := regionDateFormats[region]; ok {
		f, _ = api.DateFormatByID(id)
	}
	return f
}

// date writes the day of t: "14.03.2026".
func (d dates) date(t time.Time) string {
	t = t.In(d.zone)
	if d.format.ID == api.DateMedium {
		return strconv.Itoa(t.Day()) + " " + monthShort(t.Month()) + " " + strconv.Itoa(t.Year())
	}
	return t.Format(d.format.Layout)
}

// clock writes the time of day of t: "14:05".
func (d dates) clock(t time.Time) string {
	return t.In(d.zone).Format("15:04")
}

// dateTime writes the day and time of t: "14.03.2026 14:05".
func (d dates) dateTime(t time.Time) string {
	return d.date(t) + " " + d.clock(t)
}

// when says when t was, relative to now: "just now", "5 minutes ago",
// "today at 14:05", "yesterday at 09:12" or the date.
func (d dates) when(t, now time.Time) string {
	t, now = t.In(d.zone), now.In(d.zone)
	switch ago := now.Sub(t); {
	case ago < time.Minute:
		return lang.L("just now")
	case ago < time.Hour:
		return lang.N("{{.Count}} minutes ago", int(ago/time.Minute), map[string]any{"Count": int(ago / time.Minute)})
	}
	y, m, day := now.Date()
	today := time.Date(y, m, day, 0, 0, 0, 0, d.zone)
	switch {
	case !t.Before(today):
		return lang.L("today at {{.Time}}", map[string]any{"Time": d.clock(t)})
	case !t.Before(today.AddDate(0, 0, -1)):
		return lang.L("yesterday at {{.Time}}", map[string]any{"Time": d.clock(t)})
	}
	return d.date(t)
}

// monthShort is the short name of a month in the user's language.
func monthShort(m time.Month) string {
	return lang.X("month.short."+strconv.Itoa(int(m)), m.String()[:3])
}
