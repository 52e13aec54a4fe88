package ui

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"selfservice/api"
	"selfservice/resources"
)

// translationKeys reads the English translation file.
func translationKeys(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile("../resources/translation/en.json")
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]any
	if err := json.Unmarshal(data, &keys); err != nil {
		t.Fatalf("en.json: %v", err)
	}
	return keys
}

func TestTranslationsLoad(t *testing.T) {
	if err := resources.LoadTranslations(); err != nil {
		t.Fatalf("loading the translations: %v", err)
	}
}

// Every text the screens pass to lang.L or lang.N is in en.json, so that
// translators find all of them there.
func TestEveryScreenTextIsInTheTranslations(t *testing.T) {
	keys := translationKeys(t)
	call := regexp.MustCompile(`lang\.[LN]\(\s*("(?:[^"\\]|\\.)*")`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllSubmatch(src, -1) {
			key, err := strconv.Unquote(string(m[1]))
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			found++
			if _, ok := keys[key]; !ok {
				t.Errorf("%s: %q is not in en.json", file, key)
			}
		}
	}
	if found < 50 {
		t.Errorf("found only %d texts; is the pattern still right?", found)
	}
}

// The validation messages shown under fields are translatable too.
func TestFieldMessagesAreInTheTranslations(t *testing.T) {
	keys := translationKeys(t)
	requests := []interface{ Validate() error }{
		api.LoginRequest{},
		api.LoginRequest{Username: string(make([]byte, api.MaxUsernameLen+1)), Password: string(make([]byte, api.MaxPasswordLen+1))},
		api.VerifyLoginRequest{OTP: "12"},
		api.VerifyLoginRequest{OTP: "abcdef"},
		api.OTPRequest{},
		api.ResyncRequest{OTP1: "123456", OTP2: "123456"},
		api.CreateTokenRequest{Description: "tab\there"},
		api.UpdateTokenRequest{Description: string(make([]rune, api.MaxDescriptionLen+1))},
		api.VerifyLoginRequest{TokenID: api.EmergencyTokenID},
		api.VerifyLoginRequest{TokenID: "t", OTP: "123456", EmergencyCode: "ABCD"},
		api.IssueEmergencyCodeRequest{},
		api.ClaimTokenRequest{},
		api.ClaimTokenRequest{Serial: "A B", OTP: "123456"},
		api.UpdateProfileRequest{DisplayName: ptr(" "), Fields: map[string]string{"Bad": "\x00"}, Language: ptr("!"), TimeZone: ptr("Moon/Base"), DateFormat: ptr("x")},
		api.UpdateProfileRequest{DisplayName: ptr(strings.Repeat("n", 101)), Fields: map[string]string{"office": strings.Repeat("v", 501)}},
		api.UpdateProfileRequest{DisplayName: ptr("a\tb"), Fields: map[string]string{"office": "a\x00"}},
		api.AnswerRequest{},
		api.AnswerRequest{Answer: strings.Repeat("x", 2000)},
		api.PasswordResetRequest{},
		api.PasswordResetRequest{Login: "a@"},
		api.PasswordResetRequest{Login: strings.Repeat("a", 300)},
		api.UsernameReminderRequest{},
		api.UsernameReminderRequest{Email: "a@"},
		api.ResetLinkRequest{},
		api.ResetPasswordRequest{NewPassword: strings.Repeat("p", api.MaxPasswordLen+1)},
		api.ResetPasswordRequest{},
		api.RegisterRequest{},
		api.RegisterRequest{Username: "No Ra", DisplayName: strings.Repeat("n", 200), Email: "a@", Password: strings.Repeat("p", api.MaxPasswordLen+1)},
		api.RegisterRequest{DisplayName: "a\tb"},
		api.RegisterResendRequest{},
		api.ActivationRequest{},
		api.CreateInvitationRequest{},
		api.CreateInvitationRequest{Name: strings.Repeat("n", 200), Email: "a@", Fields: map[string]string{"department": "a\x00"}},
		api.CreateInvitationRequest{Name: "a\tb"},
	}
	for _, r := range requests {
		var e *api.Error
		if !errors.As(r.Validate(), &e) {
			t.Fatalf("%T%+v is valid; the case no longer tests anything", r, r)
		}
		for field, msg := range e.FieldErrors() {
			if _, ok := keys[msg]; !ok {
				t.Errorf("%s message %q is not in en.json", field, msg)
			}
		}
	}
}

func ptr(s string) *string { return &s }
