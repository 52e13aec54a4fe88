package ui

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2/lang"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"selfservice/api"
	"selfservice/resources"
)

// Applying the user's preferences: the language every text is in, and
// how dates and times are written (UI.dates). They are the signed-in
// user's; before anyone signs in, the language is the last user's on
// this computer and dates are the computer's.

// watchPreferences applies the session's preferences whenever they
// change, starting with the remembered language.
func (u *UI) watchPreferences() {
	resources.UseLanguage(u.session.RememberedLanguage())
	u.session.OnPreferences(func(p api.Preferences) {
		u.do(func() { u.applyPreferences(p) })
	})
}

// applyPreferences makes the app speak p's language and write dates as p
// says. When that changes what is shown, the main window is built again,
// with the same area open, so that every text and date follows. A
// language without a translation is said so, and English is used.
func (u *UI) applyPreferences(p api.Preferences) {
	signedIn := u.session.SignedIn()
	tag := p.Language
	if !signedIn {
		tag = u.session.RememberedLanguage()
	}
	before, beforeDates := resources.Language(), u.dates
	applied, translated := resources.UseLanguage(tag)
	u.dates = datesFor(p)
	if signedIn && tag != "" && !translated {
		u.notice.show(bannerInfo, lang.L("Selfservice is not yet translated into {{.Language}}; showing English.",
			map[string]any{"Language": languageNameIn(tag, applied)}), lang.L("Dismiss"), u.notice.hide)
	}
	if applied == before && u.dates.same(beforeDates) {
		return
	}
	u.win.SetTitle(lang.L("Selfservice"))
	if m, ok := u.current.(*mainScreen); ok && signedIn {
		u.showMainAt(m.shown)
	}
}

// same reports whether d and o write every date alike.
func (d dates) same(o dates) bool {
	return d.format == o.format && d.zone.String() == o.zone.String()
}

// languageName is the language of tag in its own words, as a person who
// speaks it looks for it in a list: "Deutsch", "Français", "Čeština".
func languageName(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return tag
	}
	name := display.Self.Name(t)
	if name == "" {
		return tag
	}
	return capitalize(name)
}

// languageNameIn is the language of tag named in the language in:
// "German" in English.
func languageNameIn(tag, in string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return tag
	}
	namer := display.Tags(language.Make(in))
	if name := namer.Name(t); name != "" {
		return name
	}
	return languageName(tag)
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + strings.Clone(s[n:])
}
