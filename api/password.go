package api

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// PasswordPolicy is the server's rules for a new password
// (GET /account/password/policy). Check applies the rules a client can
// apply itself, so that a password form tells what is missing as the
// user types; the server applies them too, and also refuses a password
// that is one of the user's last History ones or is easily guessed from
// lists of common passwords, words and names.
type PasswordPolicy struct {
	MinLength  int `json:"min_length"`  // characters
	MinClasses int `json:"min_classes"` // of lower-case letters, upper-case letters, digits and other characters
	History    int `json:"history"`     // not one of the last History passwords; 0: any
}

// The rules a password can break, as PasswordProblem.Rule.
const (
	RuleLength   = "length"   // shorter than MinLength, or longer than MaxPasswordLen
	RuleClasses  = "classes"  // fewer kinds of characters than MinClasses
	RuleUsername = "username" // contains the username
	RuleCommon   = "common"   // easily guessed (server only)
	RuleHistory  = "history"  // one of the last History passwords (server only)
	RuleSame     = "same"     // the current password (server only)
)

// PasswordProblem is one rule a password breaks, with what to do.
type PasswordProblem struct {
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// Check lists the rules of p that password breaks for username, in the
// order of the constants; none when it passes them.
func (p PasswordPolicy) Check(password, username string) []PasswordProblem {
	var out []PasswordProblem
	switch n := utf8.RuneCountInString(password); {
	case n < p.MinLength:
		out = append(out, PasswordProblem{RuleLength, fmt.Sprintf("Use at least %d characters.", p.MinLength)})
	case len(password) > MaxPasswordLen:
		out = append(out, PasswordProblem{RuleLength, fmt.Sprintf("Use at most %d characters.", MaxPasswordLen)})
	}
	if PasswordClasses(password) < p.MinClasses {
		out = append(out, PasswordProblem{RuleClasses, fmt.Sprintf(
			"Mix at least %d of: lower-case letters, upper-case letters, digits, other characters.", p.MinClasses)})
	}
	if u := strings.TrimSpace(username); u != "" && strings.Contains(strings.ToLower(password), strings.ToLower(u)) {
		out = append(out, PasswordProblem{RuleUsername, "Do not put your username in the password."})
	}
	return out
}

// PasswordClasses counts the kinds of characters in password: lower-case
// letters, upper-case letters, digits and any other character.
func PasswordClasses(password string) int {
	var lower, upper, digit, other bool
	for _, r := range password {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	n := 0
	for _, has := range []bool{lower, upper, digit, other} {
		if has {
			n++
		}
	}
	return n
}

// ChangePasswordRequest is the body of PUT /account/password.
type ChangePasswordRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
	// SignOutOthers ends the user's other sessions once the password is
	// changed; the session that changed it stays signed in.
	SignOutOthers bool `json:"sign_out_others"`
}

// Validate checks that both passwords are given and not absurdly long;
// the policy is the server's to check.
func (r ChangePasswordRequest) Validate() error {
	f := fieldErrors{}
	f.check(r.CurrentPassword != "", "current_password", "Enter your current password.")
	f.check(len(r.CurrentPassword) <= MaxPasswordLen, "current_password", "The password is too long.")
	f.check(r.NewPassword != "", "new_password", "Enter a new password.")
	return f.err()
}

// ChangePasswordResponse answers PUT /account/password.
type ChangePasswordResponse struct {
	SignedOut int `json:"signed_out"` // how many other sessions ended
}
