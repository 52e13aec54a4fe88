package resources

import (
	"testing"

	"fyne.io/fyne/v2/lang"
)

func TestUseLanguageSwitchesEveryText(t *testing.T) {
	if err := LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	// A language the app does not ship, added as a file would be.
	if err := AddTranslation("eo.json", []byte(`{
		"Sign out": "Elsaluti",
		"Cancel": "Nuligi",
		"{{.Count}} minutes ago": {"one": "antaŭ {{.Count}} minuto", "other": "antaŭ {{.Count}} minutoj"}
	}`)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { UseLanguage("en") })

	if applied, ok := UseLanguage("eo-001"); applied != "eo" || !ok {
		t.Errorf("UseLanguage(eo-001) = %s, %v; want the Esperanto translation", applied, ok)
	}
	if got := lang.L("Sign out"); got != "Elsaluti" {
		t.Errorf("lang.L = %q", got)
	}
	if got := lang.N("{{.Count}} minutes ago", 5, map[string]any{"Count": 5}); got != "antaŭ 5 minutoj" {
		t.Errorf("lang.N = %q", got)
	}
	// Fyne's own widgets ask through lang.L as well.
	if got := lang.L("Cancel"); got != "Nuligi" {
		t.Errorf("Fyne's Cancel = %q", got)
	}
	// A text the translation lacks stays English.
	if got := lang.L("Dismiss"); got != "Dismiss" {
		t.Errorf("an untranslated text = %q", got)
	}

	if applied, ok := UseLanguage("fi"); applied != "en" || ok {
		t.Errorf("UseLanguage(fi) = %s, %v; want English, untranslated", applied, ok)
	}
	if got, lang := lang.L("Sign out"), Language(); got != "Sign out" || lang != "en" {
		t.Errorf("back in English: %q, %s", got, lang)
	}
	if applied, ok := UseLanguage("not a tag!"); applied != "en" || ok {
		t.Errorf("UseLanguage(garbage) = %s, %v", applied, ok)
	}
}

// The German translation ships with the app: a German-speaking user, in
// Germany, Austria or Switzerland, gets it with Fyne's own texts, counted
// texts and numbers in German.
func TestGermanIsShipped(t *testing.T) {
	if err := LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { UseLanguage("en") })
	for _, tag := range []string{"de", "de-DE", "de-AT", "de-CH"} {
		if applied, ok := UseLanguage(tag); applied != "de" || !ok {
			t.Errorf("UseLanguage(%s) = %s, %v; want German", tag, applied, ok)
		}
	}
	for in, want := range map[string]string{"Sign out": "Abmelden", "Sign-in methods": "Anmeldemethoden", "Cancel": "Abbrechen", "Paste": "Einfügen", "monday": "Montag"} {
		if got := lang.L(in); got != want {
			t.Errorf("lang.L(%q) = %q, want %q", in, got, want)
		}
	}
	for n, want := range map[int]string{1: "1 Dokument", 2: "2 Dokumente", 1500: "1.500 Dokumente"} {
		if got := lang.N("{{.Count}} document", n, map[string]any{"Count": n}); got != want {
			t.Errorf("lang.N(document, %d) = %q, want %q", n, got, want)
		}
	}
}

func TestNumbersFollowTheLanguage(t *testing.T) {
	if err := LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { UseLanguage("en") })
	for _, c := range []struct {
		tag  string
		n    any
		dec  int
		want string
	}{
		{"en", 1234567, 0, "1,234,567"},
		{"en", 3.45, 1, "3.5"},
		{"de", 1234567, 0, "1.234.567"},
		{"de", 3.4, 1, "3,4"},
		{"de", 3.0, 1, "3"},
		{"fr", 1234.5, 1, "1\u00a0234,5"},
	} {
		UseLanguage(c.tag)
		if got := Number(c.n, c.dec); got != c.want {
			t.Errorf("%s: Number(%v, %d) = %q, want %q", c.tag, c.n, c.dec, got, c.want)
		}
	}
}
