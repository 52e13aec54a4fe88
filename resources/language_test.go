package resources

import (
	"testing"

	"fyne.io/fyne/v2/lang"
)

func TestUseLanguageSwitchesEveryText(t *testing.T) {
	if err := LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	if err := AddTranslation("de.json", []byte(`{
		"Sign out": "Abmelden",
		"Cancel": "Abbrechen",
		"{{.Count}} minutes ago": {"one": "vor einer Minute", "other": "vor {{.Count}} Minuten"}
	}`)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { UseLanguage("en") })

	if applied, ok := UseLanguage("de-AT"); applied != "de" || !ok {
		t.Errorf("UseLanguage(de-AT) = %s, %v; want the German translation", applied, ok)
	}
	if got := lang.L("Sign out"); got != "Abmelden" {
		t.Errorf("lang.L = %q", got)
	}
	if got := lang.N("{{.Count}} minutes ago", 5, map[string]any{"Count": 5}); got != "vor 5 Minuten" {
		t.Errorf("lang.N = %q", got)
	}
	// Fyne's own widgets ask through lang.L as well.
	if got := lang.L("Cancel"); got != "Abbrechen" {
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
