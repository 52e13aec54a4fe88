package resources

import (
	"encoding/json"
	"errors"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// Every translation in translation/ is complete: it has exactly en.json's
// keys, each with the same placeholders, none empty, counted texts with
// every plural form the language picks, and it is really translated.
// Adding a language file is all it takes for these checks to cover it.

// maxUntranslatedShare is how much of a translation may be the English
// text itself: codes, brand names and words the languages share.
const maxUntranslatedShare = 0.05

// pluralCounts are the counts tried on every counted text: enough to
// meet each form a language picks for a whole number (French "many" is
// for whole millions).
var pluralCounts = append(seq(0, 200), 1000, 1001, 1_000_000, 2_000_000, 1_000_000_000)

var placeholder = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

func TestEveryTranslationIsComplete(t *testing.T) {
	english := readTranslation(t, "translation/en.json")
	files, err := fs.Glob(translations, "translation/*.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if name == "translation/en.json" {
			continue
		}
		t.Run(path.Base(name), func(t *testing.T) {
			checkTranslation(t, name, english, readTranslation(t, name))
		})
	}
	if len(files) < 2 {
		t.Errorf("only %v: where are the translations?", files)
	}
}

func checkTranslation(t *testing.T, name string, english, tr map[string]any) {
	for _, key := range slices.Sorted(maps.Keys(english)) {
		if _, ok := tr[key]; !ok {
			t.Errorf("%s lacks %q", name, key)
		}
	}
	for _, key := range slices.Sorted(maps.Keys(tr)) {
		if _, ok := english[key]; !ok {
			t.Errorf("%s has %q, which en.json no longer has: remove it", name, key)
		}
	}
	same := 0
	for key, en := range english {
		v, ok := tr[key]
		if !ok {
			continue
		}
		if sameText(en, v) {
			same++
		}
		for _, text := range texts(t, name, key, v) {
			if strings.TrimSpace(text) == "" {
				t.Errorf("%s: %q is empty", name, key)
			}
			if got, want := placeholders(text), placeholders(allText(en)); !slices.Equal(got, want) {
				t.Errorf("%s: %q has the placeholders %v; want %v as in English", name, key, got, want)
			}
		}
		checkPluralShape(t, name, key, en, v)
	}
	if share := float64(same) / float64(len(english)); share > maxUntranslatedShare {
		t.Errorf("%s: %d of %d texts are the English text itself; translate them", name, same, len(english))
	}
	checkPluralForms(t, name, english)
}

// checkPluralShape: a text English counts is counted in the translation
// too, with forms of the language's own; one English leaves single
// (Fyne's file.name) stays single.
func checkPluralShape(t *testing.T, name, key string, en, v any) {
	enForms, enCounted := en.(map[string]any)
	forms, counted := v.(map[string]any)
	switch {
	case enCounted != counted:
		t.Errorf("%s: %q must be counted ({\"one\": …, \"other\": …}) exactly when English is", name, key)
	case counted && len(enForms) == 1 && len(forms) != 1:
		t.Errorf("%s: %q has only the form other in English; keep it single", name, key)
	case counted:
		allowed := languageForms(t, name)
		for form := range forms {
			if !allowed[form] {
				t.Errorf("%s: %q has the form %q, which the language does not use; it uses %v", name, key, form, slices.Sorted(maps.Keys(allowed)))
			}
		}
	}
}

// checkPluralForms has go-i18n, which lang.N goes through, say each
// counted text at every pluralCounts count: a form it picks that the
// file lacks is an error (it would show the form other instead).
func checkPluralForms(t *testing.T, name string, english map[string]any) {
	bundle := i18n.NewBundle(language.English)
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	data, err := translations.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	file, err := bundle.ParseMessageFileBytes(data, path.Base(name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	localizer := i18n.NewLocalizer(bundle, file.Tag.String())
	for _, key := range slices.Sorted(maps.Keys(english)) {
		if forms, ok := english[key].(map[string]any); !ok || len(forms) == 1 {
			continue
		}
		for _, n := range pluralCounts {
			_, err := localizer.Localize(&i18n.LocalizeConfig{MessageID: key, PluralCount: n, TemplateData: map[string]any{"Count": n}})
			var missing *i18n.MessageNotFoundErr
			if err != nil && !errors.As(err, &missing) {
				t.Errorf("%s: %q at the count %d: %v", name, key, n, err)
				break
			}
		}
	}
}

// languageForms are the plural forms the language of the file name
// uses: those go-i18n picks for whole numbers and those x/text's CLDR
// rules pick for numbers with decimals (Czech "many" is for 1,5).
func languageForms(t *testing.T, name string) map[string]bool {
	tag := language.Make(strings.TrimSuffix(path.Base(name), ".json"))
	forms := map[string]bool{}
	add := func(f plural.Form) {
		forms[[]string{"other", "zero", "one", "two", "few", "many"}[f]] = true
	}
	for _, n := range pluralCounts {
		add(plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0))
	}
	for i := range 200 {
		for f := range 10 {
			add(plural.Cardinal.MatchPlural(tag, i, 1, min(f, 1), f, f))
		}
	}
	// go-i18n's rules are newer than x/text's for some languages (French
	// "many" for whole millions).
	bundle := i18n.NewBundle(language.English)
	for _, n := range pluralCounts {
		msg := &i18n.Message{ID: "x", Zero: "zero", One: "one", Two: "two", Few: "few", Many: "many", Other: "other"}
		bundle.MustAddMessages(tag, msg)
		out, err := i18n.NewLocalizer(bundle, tag.String()).Localize(&i18n.LocalizeConfig{MessageID: "x", PluralCount: n})
		if err != nil {
			t.Fatal(err)
		}
		forms[out] = true
	}
	return forms
}

func readTranslation(t *testing.T, name string) map[string]any {
	t.Helper()
	return readTranslationIn(t, translations, name)
}

// readTranslationIn reads the translation file name of fsys.
func readTranslationIn(t *testing.T, fsys fs.FS, name string) map[string]any {
	t.Helper()
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s is not valid JSON: %v", name, err)
	}
	return m
}

// texts are the texts of a value: itself, or each plural form's.
func texts(t *testing.T, name, key string, v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case map[string]any:
		var out []string
		for form, text := range v {
			s, ok := text.(string)
			if !ok {
				t.Errorf("%s: %q form %q is not a text", name, key, form)
			}
			out = append(out, s)
		}
		return out
	}
	t.Errorf("%s: %q is neither a text nor plural forms", name, key)
	return nil
}

// allText is every text of an English value, for its placeholders.
func allText(v any) string {
	if forms, ok := v.(map[string]any); ok {
		var b strings.Builder
		for _, s := range forms {
			b.WriteString(s.(string))
		}
		return b.String()
	}
	return v.(string)
}

// placeholders are the distinct {{.X}} names of s, sorted.
func placeholders(s string) []string {
	var names []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		names = append(names, m[1])
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// sameText reports whether a translation is the English text itself.
func sameText(en, v any) bool {
	a, _ := json.Marshal(en)
	b, _ := json.Marshal(v)
	return string(a) == string(b)
}

func seq(from, to int) []int {
	var out []int
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}
