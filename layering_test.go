package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayering enforces the import rules of the architecture: which
// packages may depend on which. Only non-test code is checked.
func TestLayering(t *testing.T) {
	rules := []struct {
		pkg       string
		forbidden []string // import path prefixes
		stdOnly   bool     // only the standard library (and the package itself)
		optional  bool     // may not exist yet
	}{
		{pkg: "selfservice/api", stdOnly: true},
		{pkg: "selfservice/client", forbidden: []string{"fyne.io/", "selfservice/app", "selfservice/server", "selfservice/ui", "selfservice/hw"}},
		{pkg: "selfservice/app", forbidden: []string{"fyne.io/", "selfservice/client", "selfservice/server", "selfservice/ui", "github.com/go-resty/"}},
		{pkg: "selfservice/app/keyring", forbidden: []string{"fyne.io/", "selfservice/client", "selfservice/server", "selfservice/ui"}},
		{pkg: "selfservice/ui", forbidden: []string{"selfservice/client", "selfservice/server", "selfservice/app/keyring", "github.com/zalando/go-keyring", "github.com/go-resty/"}},
		{pkg: "selfservice/server", forbidden: []string{"fyne.io/", "selfservice/client", "selfservice/app", "selfservice/ui", "selfservice/hw"}},
		{pkg: "selfservice/authenticator", forbidden: []string{"fyne.io/", "selfservice/server", "selfservice/ui", "selfservice/app", "selfservice/hw"}},
		{pkg: "selfservice/hw", forbidden: []string{"fyne.io/", "selfservice/client", "selfservice/server", "selfservice/ui", "selfservice/app"}, optional: true},
	}
	for _, r := range rules {
		t.Run(r.pkg, func(t *testing.T) {
			deps := listDeps(t, r.pkg)
			if deps == nil && r.optional {
				t.Skipf("%s does not exist yet", r.pkg)
			}
			if deps == nil {
				t.Fatalf("package %s is missing", r.pkg)
			}
			for _, d := range deps {
				path, std, _ := strings.Cut(d, " ")
				if path == r.pkg {
					continue
				}
				if r.stdOnly && std != "true" {
					t.Errorf("%s imports %s; it may import only the standard library", r.pkg, path)
				}
				for _, f := range r.forbidden {
					if strings.HasPrefix(path, f) {
						t.Errorf("%s imports %s, which the architecture forbids", r.pkg, path)
					}
				}
			}
		})
	}
}

// listDeps returns "importpath standard" lines for pkg and everything it
// imports, or nil when the package does not exist.
func listDeps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-tags", "migrated_fynedo", "-deps",
		"-f", "{{.ImportPath}} {{.Standard}}", pkg).CombinedOutput()
	if err != nil {
		if strings.Contains(string(out), "is not in std") || strings.Contains(string(out), "cannot find") ||
			strings.Contains(string(out), "no Go files") {
			return nil
		}
		t.Fatalf("go list %s: %v\n%s", pkg, err, out)
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

// TestOnlyHWUsesLibfido2 keeps the cgo binding of libfido2 behind the hw
// package: everything else talks to keys through hw's types.
func TestOnlyHWUsesLibfido2(t *testing.T) {
	out, err := exec.Command("go", "list", "-tags", "migrated_fynedo",
		"-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, " ")
		if pkg != "selfservice/hw" && strings.Contains(" "+imports+" ", " github.com/keys-pub/go-libfido2 ") {
			t.Errorf("%s imports go-libfido2; only selfservice/hw may", pkg)
		}
	}
}
