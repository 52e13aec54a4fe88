package api

import (
	"slices"
	"strings"
	"testing"
)

func TestPasswordPolicyCheck(t *testing.T) {
	p := PasswordPolicy{MinLength: 12, MinClasses: 3}
	rules := func(problems []PasswordProblem) []string {
		var out []string
		for _, pr := range problems {
			out = append(out, pr.Rule)
		}
		return out
	}
	for _, c := range []struct {
		password, username string
		want               []string
	}{
		{"", "alice", []string{RuleLength, RuleClasses}},
		{"Short1!", "alice", []string{RuleLength}},
		{"longbutlowercase", "alice", []string{RuleClasses}},
		{"Long-enough-1", "alice", nil},
		{"My-ALICE-pass-1", "alice", []string{RuleUsername}},
		{"Ünïcödé-Wörds-9", "", nil}, // letters of any script count, characters not bytes
		{"Äbc-9", "", []string{RuleLength}},
		{strings.Repeat("aA1-", MaxPasswordLen/4+1), "", []string{RuleLength}},
	} {
		if got := rules(p.Check(c.password, c.username)); !slices.Equal(got, c.want) {
			t.Errorf("Check(%q, %q) = %v, want %v", c.password, c.username, got, c.want)
		}
	}
	for _, pr := range p.Check("", "alice") {
		if pr.Message == "" {
			t.Errorf("rule %s has no message", pr.Rule)
		}
	}
}

func TestPasswordClasses(t *testing.T) {
	for pw, want := range map[string]int{"": 0, "abc": 1, "aB": 2, "aB3": 3, "aB3 ": 4, "Ωω7": 3} {
		if got := PasswordClasses(pw); got != want {
			t.Errorf("PasswordClasses(%q) = %d, want %d", pw, got, want)
		}
	}
}
