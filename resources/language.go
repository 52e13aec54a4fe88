package resources

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"text/template"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// The user interface speaks the language the user chose, and can change
// it while the app runs. Fyne's lang package picks its language once,
// from the computer's settings; so LoadTranslations points lang.L, N, X
// and XN (the calls every screen and Fyne's own widgets make) at this
// file's translations, and UseLanguage switches them. A translation is a
// file translation/TAG.json (de.json, pt-BR.json) of the same keys as
// en.json; adding one is all a new language needs.

// translator is the language in use.
type translator struct {
	tag       language.Tag
	localizer *i18n.Localizer
}

var (
	loadOnce sync.Once
	loadErr  error

	mu      sync.Mutex // guards bundle and tags while translations are added
	bundle  = i18n.NewBundle(language.English)
	tags    = []language.Tag{} // the languages with a translation, English first
	current atomic.Pointer[translator]
)

// LoadTranslations loads the embedded translations and makes the user
// interface speak the computer's language, if there is a translation into
// it, and English otherwise. Call it before the first screen is built;
// later calls do nothing.
func LoadTranslations() error {
	loadOnce.Do(func() {
		bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
		files, err := fs.Glob(translations, "translation/*.json")
		if err == nil && len(files) == 0 {
			err = fmt.Errorf("no translations embedded")
		}
		for _, name := range files {
			data, readErr := translations.ReadFile(name)
			if readErr == nil {
				readErr = AddTranslation(path.Base(name), data)
			}
			if readErr != nil && err == nil {
				err = readErr
			}
		}
		loadErr = err
		UseLanguage("")
		lang.L = func(in string, data ...any) string { return localize(in, in, nil, data) }
		lang.X = func(key, fallback string, data ...any) string { return localize(key, fallback, nil, data) }
		lang.N = func(in string, count int, data ...any) string { return localize(in, in, &count, data) }
		lang.XN = func(key, fallback string, count int, data ...any) string {
			return localize(key, fallback, &count, data)
		}
	})
	return loadErr
}

// AddTranslation adds the translation in data, named after its language
// ("de.json"), to the languages UseLanguage may choose.
func AddTranslation(name string, data []byte) error {
	mu.Lock()
	defer mu.Unlock()
	f, err := bundle.ParseMessageFileBytes(data, name)
	if err != nil {
		return fmt.Errorf("translation %s: %w", name, err)
	}
	for _, t := range tags {
		if t == f.Tag {
			return nil
		}
	}
	if f.Tag == language.English {
		tags = append([]language.Tag{f.Tag}, tags...)
	} else {
		tags = append(tags, f.Tag)
	}
	return nil
}

// UseLanguage makes the user interface speak tag (a BCP 47 tag; "" for
// the computer's language) or the closest language it is translated
// into. It returns the language it speaks now, and false when that is
// not tag's language: there is no translation into it, and English is
// used instead.
func UseLanguage(tag string) (applied string, translated bool) {
	if tag == "" {
		tag = lang.SystemLocale().String()
	}
	want, err := language.Parse(tag)
	mu.Lock()
	available := append([]language.Tag{}, tags...)
	mu.Unlock()
	if len(available) == 0 {
		available = []language.Tag{language.English}
	}
	best, conf := language.English, language.No
	if err == nil {
		_, i, c := language.NewMatcher(available).Match(want)
		best, conf = available[i], c
	}
	if conf < language.High {
		best = language.English
	}
	current.Store(&translator{tag: best, localizer: i18n.NewLocalizer(bundle, best.String())})
	return best.String(), conf >= language.High
}

// Language is the language the user interface speaks (a BCP 47 tag).
func Language() string {
	if t := current.Load(); t != nil {
		return t.tag.String()
	}
	return language.English.String()
}

// Translated lists the languages there is a translation into.
func Translated() []string {
	mu.Lock()
	defer mu.Unlock()
	out := make([]string, len(tags))
	for i, t := range tags {
		out[i] = t.String()
	}
	return out
}

// localize is lang.LocalizeKey (count nil) and lang.LocalizePluralKey
// in the language in use; a text without a translation is fallback.
func localize(key, fallback string, count *int, data []any) string {
	var d0 any
	if len(data) > 0 {
		d0 = localNumbers(data[0])
	}
	cfg := &i18n.LocalizeConfig{DefaultMessage: &i18n.Message{ID: key, Other: fallback}, TemplateData: d0}
	if count != nil {
		cfg.PluralCount = *count
	}
	t := current.Load()
	if t == nil {
		return fill(key, fallback, d0)
	}
	out, err := t.localizer.Localize(cfg)
	var missing *i18n.MessageNotFoundErr
	if err != nil && !errors.As(err, &missing) { // a translation may lack texts: they stay English
		fyne.LogError("Translation failure", err)
	}
	if out == "" {
		return fill(key, fallback, d0)
	}
	return out
}

// fill puts data into the template text.
func fill(key, text string, data any) string {
	t, err := template.New(key).Parse(text)
	if err != nil {
		return text
	}
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return text
	}
	return b.String()
}
