package resources

import (
	"bytes"
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// langPackage is the package whose calls (lang.L, lang.N, lang.X, …)
// look a text up by its key.
const langPackage = "fyne.io/fyne/v2/lang"

// TestEveryTextIsUsed: every key of en.json is a text the app asks for,
// so that no translation is kept for nothing. A key is used when
//   - a Go file of the module (tests aside) has a string literal equal to
//     it: an argument of lang.L/N/X, or a text kept in a table or passed
//     on, as the api's validation messages are (ui's fieldErrors
//     translates them);
//   - a string literal of the module is a format with numbers only
//     (%d) that gives the key: the api's "The value is at most %d
//     characters.";
//   - a lang call of the module builds its key from a literal prefix the
//     key starts with (lang.X("month.short."+n, …));
//   - or it is one of Fyne's own texts, as Fyne's English translation
//     lists them: its dialogs and widgets ask for them (some by computed
//     keys, the calendar's "monday.short"), and the app's translations
//     carry them too.
func TestEveryTextIsUsed(t *testing.T) {
	english := readTranslation(t, "translation/en.json")
	used, prefixes := textsInCode(t)
	var formats []*regexp.Regexp
	for s := range used {
		if f := numberFormat(s); f != nil {
			formats = append(formats, f)
		}
	}
	for _, key := range slices.Sorted(maps.Keys(english)) {
		prefixed := slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(key, p) })
		formatted := slices.ContainsFunc(formats, func(f *regexp.Regexp) bool { return f.MatchString(key) })
		if !used[key] && !prefixed && !formatted {
			t.Errorf("en.json has %q, which no code uses: remove it from every translation", key)
		}
	}
}

// numberFormat matches what the format s gives when s has numbers (%d)
// and no other verb; nil for any other string.
func numberFormat(s string) *regexp.Regexp {
	parts := strings.Split(strings.ReplaceAll(s, "%%", "\x00"), "%d")
	if len(parts) == 1 || slices.ContainsFunc(parts, func(p string) bool { return strings.Contains(p, "%") }) {
		return nil
	}
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(strings.ReplaceAll(p, "\x00", "%"))
	}
	return regexp.MustCompile("^" + strings.Join(parts, `-?\d+`) + "$")
}

// goPackage is what go list says of a package.
type goPackage struct {
	ImportPath     string
	Dir            string
	GoFiles        []string
	CgoFiles       []string
	IgnoredGoFiles []string // other systems' and build tags' files
	Module         *struct{ Path string }
}

// textsInCode returns the texts the app may ask for, and the prefixes of
// the keys it builds, as TestEveryTextIsUsed counts them.
func textsInCode(t *testing.T) (texts map[string]bool, prefixes []string) {
	t.Helper()
	module, err := exec.Command("go", "list", "-m").Output()
	if err != nil {
		t.Fatalf("go list -m: %v", err)
	}
	own := strings.TrimSpace(string(module))
	out, err := exec.Command("go", "list", "-tags", "migrated_fynedo", "-deps",
		"-json=ImportPath,Dir,GoFiles,CgoFiles,IgnoredGoFiles,Module", own+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	texts = map[string]bool{}
	fyneTexts := 0
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p goPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if p.ImportPath == langPackage {
			for key := range readTranslationIn(t, os.DirFS(p.Dir), "translations/base.en.json") {
				texts[key] = true
				fyneTexts++
			}
		}
		if p.Module == nil || p.Module.Path != own {
			continue
		}
		for _, name := range slices.Concat(p.GoFiles, p.CgoFiles, p.IgnoredGoFiles) {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(p.Dir, name), nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			prefixes = append(prefixes, collectTexts(f, texts)...)
		}
	}
	if len(texts) == fyneTexts || fyneTexts == 0 {
		t.Fatalf("found %d texts in the code, %d of Fyne's; want both", len(texts)-fyneTexts, fyneTexts)
	}
	return texts, prefixes
}

// collectTexts adds every string literal of f to texts, and returns the
// literal prefixes of the keys f's lang calls build.
func collectTexts(f *ast.File, texts map[string]bool) (prefixes []string) {
	lang := ""
	for _, imp := range f.Imports {
		if path, _ := strconv.Unquote(imp.Path.Value); path == langPackage {
			lang = "lang"
			if imp.Name != nil {
				lang = imp.Name.Name
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if s, ok := stringValue(n); ok {
			texts[s] = true
		}
		key, ok := langKey(n, lang)
		if !ok {
			return true
		}
		// A built key's first operand: "month.short." in "month.short."+n.
		first := key
		for sum, ok := first.(*ast.BinaryExpr); ok && sum.Op == token.ADD; sum, ok = first.(*ast.BinaryExpr) {
			first = sum.X
		}
		if s, ok := stringValue(first); ok && first != key {
			prefixes = append(prefixes, s)
		}
		return true
	})
	return prefixes
}

// langKey is the key argument of n when n is a call of the lang package,
// imported as lang ("" when the file does not import it).
func langKey(n ast.Node, lang string) (ast.Expr, bool) {
	call, ok := n.(*ast.CallExpr)
	if !ok || lang == "" || len(call.Args) == 0 {
		return nil, false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return nil, false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return call.Args[0], ok && pkg.Name == lang
}

// stringValue is the value of n when n is a string literal.
func stringValue(n ast.Node) (string, bool) {
	lit, ok := n.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}
