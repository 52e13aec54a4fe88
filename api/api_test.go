package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestErrorIsMatchesCode(t *testing.T) {
	err := fmt.Errorf("disable: %w", &Error{Code: CodeLastActiveToken, Message: "keep one", Status: 409})
	if !errors.Is(err, ErrLastActiveToken) {
		t.Errorf("errors.Is(%v, ErrLastActiveToken) = false, want true", err)
	}
	if errors.Is(err, ErrNotFound) {
		t.Errorf("errors.Is(%v, ErrNotFound) = true, want false", err)
	}
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.Status != 409 {
		t.Errorf("errors.As gave %+v, want the 409 error", apiErr)
	}
}

func TestFieldErrorsSurviveJSON(t *testing.T) {
	body, err := json.Marshal(ErrorEnvelope{Error: FieldError(map[string]string{"otp": "Enter the code."})})
	if err != nil {
		t.Fatal(err)
	}
	var env ErrorEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatal(err)
	}
	got := env.Error.FieldErrors()
	if got["otp"] != "Enter the code." || len(got) != 1 {
		t.Errorf("FieldErrors() = %v, want otp only", got)
	}
	if (&Error{Code: CodeNotFound}).FieldErrors() != nil {
		t.Error("FieldErrors() of an error without fields is not nil")
	}
}

func TestValidate(t *testing.T) {
	long := strings.Repeat("é", MaxDescriptionLen+1)
	key := json.RawMessage(`{"id":"AQID","rawId":"AQID","type":"public-key","response":{}}`)
	tests := []struct {
		name   string
		req    interface{ Validate() error }
		fields []string // fields expected in error; nil means valid
	}{
		{"login ok", LoginRequest{Username: "demo", Password: "x"}, nil},
		{"login empty", LoginRequest{}, []string{"username", "password"}},
		{"login blank username", LoginRequest{Username: "  ", Password: "x"}, []string{"username"}},
		{"verify ok", VerifyLoginRequest{TokenID: "t", OTP: "123456"}, nil},
		{"verify letters", VerifyLoginRequest{TokenID: "t", OTP: "12a456"}, []string{"otp"}},
		{"verify short", VerifyLoginRequest{TokenID: "t", OTP: "12345"}, []string{"otp"}},
		{"verify long", VerifyLoginRequest{TokenID: "t", OTP: "123456789"}, []string{"otp"}},
		{"verify no token", VerifyLoginRequest{OTP: "123456"}, []string{"token_id"}},
		{"create ok", CreateTokenRequest{TemplateID: "x", Description: "My phone"}, nil},
		{"create no template", CreateTokenRequest{}, []string{"template_id"}},
		{"create control char", CreateTokenRequest{TemplateID: "x", Description: "a\nb"}, []string{"description"}},
		{"update too long", UpdateTokenRequest{Description: long}, []string{"description"}},
		{"otp ok 8", OTPRequest{OTP: "12345678"}, nil},
		{"otp empty", OTPRequest{}, []string{"otp"}},
		{"resync ok", ResyncRequest{OTP1: "123456", OTP2: "654321"}, nil},
		{"resync same", ResyncRequest{OTP1: "123456", OTP2: "123456"}, []string{"otp2"}},
		{"resync both bad", ResyncRequest{OTP1: "x", OTP2: ""}, []string{"otp1", "otp2"}},
		{"webauthn ok", OTPRequest{WebAuthn: key}, nil},
		{"webauthn and otp", OTPRequest{OTP: "123456", WebAuthn: key}, []string{"otp"}},
		{"webauthn null", OTPRequest{WebAuthn: json.RawMessage("null")}, []string{"otp"}},
		{"webauthn not an object", OTPRequest{WebAuthn: json.RawMessage(`"abc"`)}, []string{"webauthn"}},
		{"webauthn broken", OTPRequest{WebAuthn: json.RawMessage(`{"id":`)}, []string{"webauthn"}},
		{"verify webauthn ok", VerifyLoginRequest{TokenID: "t", WebAuthn: key}, nil},
		{"verify webauthn and otp", VerifyLoginRequest{TokenID: "t", OTP: "123456", WebAuthn: key}, []string{"otp"}},
		{"verify webauthn no token", VerifyLoginRequest{WebAuthn: key}, []string{"token_id"}},
		{"challenge ok", LoginChallengeRequest{TokenID: "t"}, nil},
		{"challenge no token", LoginChallengeRequest{}, []string{"token_id"}},
		{"passwordless ok", PasswordlessVerifyRequest{WebAuthn: key}, nil},
		{"passwordless empty", PasswordlessVerifyRequest{}, []string{"webauthn"}},
		{"passwordless array", PasswordlessVerifyRequest{WebAuthn: json.RawMessage(`[1]`)}, []string{"webauthn"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.req.Validate()
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var apiErr *Error
			if !errors.As(err, &apiErr) || apiErr.Code != CodeInvalidRequest {
				t.Fatalf("Validate() = %v, want invalid_request", err)
			}
			got := apiErr.FieldErrors()
			if len(got) != len(tt.fields) {
				t.Errorf("fields = %v, want %v", got, tt.fields)
			}
			for _, f := range tt.fields {
				if got[f] == "" {
					t.Errorf("no message for field %q in %v", f, got)
				}
			}
		})
	}
}

func TestNormalizeOTP(t *testing.T) {
	if got := NormalizeOTP(" 123 456\t"); got != "123456" {
		t.Errorf("NormalizeOTP = %q, want 123456", got)
	}
	if got := NormalizeOTP("123-456"); got != "123456" {
		t.Errorf("NormalizeOTP = %q, want 123456", got)
	}
}

func TestValidUsername(t *testing.T) {
	for name, want := range map[string]bool{
		"demo": true, "jane.doe@corp": true, "a_b-c": true,
		"": false, "Demo": false, "with space": false, strings.Repeat("a", 65): false,
	} {
		if got := ValidUsername(name); got != want {
			t.Errorf("ValidUsername(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestTokenActions(t *testing.T) {
	all := AllPrivileges
	tok := func(s TokenStatus) Token {
		return Token{Type: TypeTOTP, Status: s, Deletable: true}
	}
	tests := []struct {
		tok    Token
		action TokenAction
		privs  []Privilege
		want   bool
	}{
		{tok(StatusActive), ActionTest, all, true},
		{tok(StatusDisabled), ActionTest, all, false},
		{tok(StatusActive), ActionTest, []Privilege{PrivTokenView}, false},
		{tok(StatusPending), ActionActivate, all, true},
		{tok(StatusActive), ActionActivate, all, false},
		{tok(StatusDisabled), ActionEnable, all, true},
		{tok(StatusActive), ActionEnable, all, false},
		{tok(StatusActive), ActionDisable, all, true},
		{tok(StatusDisabled), ActionResync, all, true},
		{tok(StatusObsolete), ActionRename, all, false},
		{tok(StatusActive), ActionDelete, all, true},
		{Token{Type: TypeHOTP, Status: StatusActive}, ActionDelete, all, false},
		{Token{Type: "unknown", Status: StatusActive}, ActionTest, all, false},
		{Token{Type: TypeFIDO2, Status: StatusActive}, ActionTest, all, true},
		{Token{Type: TypeFIDO2, Status: StatusActive}, ActionResync, all, false},
		{Token{Type: TypeFIDO2, Status: StatusDisabled}, ActionResync, all, false},
		{Token{Type: TypeFIDO2, Status: StatusPending}, ActionActivate, all, true},
		{Token{Type: TypeFIDO2, Status: StatusActive}, ActionDisable, all, true},
		{Token{Type: TypeFIDO2, Status: StatusDisabled}, ActionEnable, all, true},
		{Token{Type: TypeFIDO2, Status: StatusActive}, ActionRename, all, true},
		{Token{Type: TypeFIDO2, Status: StatusActive, Deletable: true}, ActionDelete, all, true},
	}
	for _, tt := range tests {
		if got := tt.tok.Allows(tt.action, tt.privs); got != tt.want {
			t.Errorf("%s %s token Allows(%s) = %v, want %v", tt.tok.Type, tt.tok.Status, tt.action, got, tt.want)
		}
	}
	if err := tok(StatusDisabled).Check(ActionTest); !errors.Is(err, ErrInvalidState) {
		t.Errorf("Check(test) on DISABLED = %v, want invalid_state", err)
	}
}

func TestEveryPrivilegeListedOnce(t *testing.T) {
	seen := map[Privilege]bool{}
	for _, p := range AllPrivileges {
		if seen[p] {
			t.Errorf("privilege %q listed twice", p)
		}
		seen[p] = true
	}
	for _, a := range []TokenAction{ActionActivate, ActionTest, ActionResync, ActionEnable, ActionDisable, ActionRename, ActionDelete} {
		if !seen[ActionPrivilege(a)] {
			t.Errorf("action %s needs privilege %q, which is not in AllPrivileges", a, ActionPrivilege(a))
		}
	}
}

func TestHTTPStatus(t *testing.T) {
	for code, want := range map[string]int{
		CodeInvalidRequest: 400, CodeInvalidCredentials: 401, CodePrivilegeMissing: 403,
		CodeNotFound: 404, CodeLastActiveToken: 409, CodeBodyTooLarge: 413,
		CodeTooManyAttempts: 429, CodeInternal: 500,
		CodeWebAuthnInvalid: 401, CodeCredentialCloned: 401, CodeChallengeExpired: 401, CodeCredentialExists: 409, CodePublicKeyInvalid: 422,
		CodeApprovalRequired: 403, CodeApprovalInvalid: 403, CodeApprovalExpired: 403, CodeApprovalUsed: 403,
		CodeSelfApproval: 403, CodeAlreadyDecided: 409, CodeNoApprovers: 409, CodeActionFailed: 409, CodeApprovalPending: 202,
	} {
		if got := HTTPStatus(code); got != want {
			t.Errorf("HTTPStatus(%s) = %d, want %d", code, got, want)
		}
	}
}

func TestValidateApprovals(t *testing.T) {
	key := json.RawMessage(`{"id":"AQID","rawId":"AQID","type":"public-key","response":{}}`)
	tests := []struct {
		name   string
		req    interface{ Validate() error }
		fields []string // fields expected in error; nil means valid
	}{
		{"challenge ok", ApprovalChallengeRequest{TokenID: "t"}, nil},
		{"challenge no token", ApprovalChallengeRequest{}, []string{"token_id"}},
		{"verify code", VerifyApprovalRequest{TokenID: "t", OTP: "123456"}, nil},
		{"verify key", VerifyApprovalRequest{TokenID: "t", WebAuthn: key}, nil},
		{"verify emergency code", VerifyApprovalRequest{TokenID: EmergencyTokenID, EmergencyCode: "ABCDEFGHJKLMNPQR"}, nil},
		{"verify emergency code without token id", VerifyApprovalRequest{EmergencyCode: "ABCDEFGHJKLMNPQR"}, nil},
		{"verify emergency code grouped", VerifyApprovalRequest{TokenID: EmergencyTokenID, EmergencyCode: "ABCD-EFGH-JKLM-NPQR"}, []string{"emergency_code"}},
		{"verify emergency code with look-alike", VerifyApprovalRequest{TokenID: EmergencyTokenID, EmergencyCode: "ABCDEFGHJKLMNPQ0"}, []string{"emergency_code"}},
		{"verify emergency method without code", VerifyApprovalRequest{TokenID: EmergencyTokenID}, []string{"emergency_code"}},
		{"verify emergency code for a token", VerifyApprovalRequest{TokenID: "t", EmergencyCode: "ABCDEFGHJKLMNPQR"}, []string{"token_id"}},
		{"login emergency code", VerifyLoginRequest{TokenID: EmergencyTokenID, EmergencyCode: "ABCDEFGHJKLMNPQR"}, nil},
		{"login emergency code and code", VerifyLoginRequest{TokenID: EmergencyTokenID, OTP: "123456", EmergencyCode: "ABCDEFGHJKLMNPQR"}, []string{"emergency_code"}},
		{"login emergency code short", VerifyLoginRequest{TokenID: EmergencyTokenID, EmergencyCode: "ABCD"}, []string{"emergency_code"}},
		{"login emergency code and key", VerifyLoginRequest{TokenID: EmergencyTokenID, WebAuthn: key, EmergencyCode: "ABCDEFGHJKLMNPQR"}, []string{"emergency_code"}},
		{"issue ok", IssueEmergencyCodeRequest{ValidForHours: 24, Uses: 1}, nil},
		{"issue limits", IssueEmergencyCodeRequest{ValidForHours: MaxEmergencyValidHours, Uses: MaxEmergencyUses}, nil},
		{"issue nothing", IssueEmergencyCodeRequest{}, []string{"valid_for_hours", "uses"}},
		{"issue too much", IssueEmergencyCodeRequest{ValidForHours: MaxEmergencyValidHours + 1, Uses: MaxEmergencyUses + 1}, []string{"valid_for_hours", "uses"}},
		{"verify nothing", VerifyApprovalRequest{}, []string{"token_id", "otp"}},
		{"verify code and key", VerifyApprovalRequest{TokenID: "t", OTP: "123456", WebAuthn: key}, []string{"otp"}},
		{"verify emergency code and code", VerifyApprovalRequest{TokenID: EmergencyTokenID, OTP: "123456", EmergencyCode: "ABCDEFGHJKLMNPQR"}, []string{"emergency_code"}},
		{"verify bad code", VerifyApprovalRequest{TokenID: "t", OTP: "12ab56"}, []string{"otp"}},
		{"comment ok", DecisionRequest{Comment: "Looks fine.\nGo ahead."}, nil},
		{"comment at the limit", DecisionRequest{Comment: strings.Repeat("é", MaxCommentLen)}, nil},
		{"comment missing", DecisionRequest{}, []string{"comment"}},
		{"comment blank", DecisionRequest{Comment: " \t\n"}, []string{"comment"}},
		{"comment too long", DecisionRequest{Comment: strings.Repeat("é", MaxCommentLen+1)}, []string{"comment"}},
		{"comment control character", DecisionRequest{Comment: "ok\x07"}, []string{"comment"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.req.Validate()
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var apiErr *Error
			if !errors.As(err, &apiErr) || apiErr.Code != CodeInvalidRequest {
				t.Fatalf("Validate() = %v, want invalid_request", err)
			}
			got := apiErr.FieldErrors()
			if len(got) != len(tt.fields) {
				t.Errorf("fields = %v, want %v", got, tt.fields)
			}
			for _, f := range tt.fields {
				if got[f] == "" {
					t.Errorf("no message for field %q in %v", f, got)
				}
			}
		})
	}
}

// TestApprovalDetailsSurviveJSON: the typed accessors read the details of
// an error whether it was built here or decoded from the wire.
func TestApprovalDetailsSurviveJSON(t *testing.T) {
	expires := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	required := &Error{Code: CodeApprovalRequired, Message: "Confirm.", Details: map[string]any{
		"approval_id": "a1",
		"methods":     []LoginMethod{{TokenID: "t1", Type: TypeTOTP, Label: "TOTP-1"}},
		"expires_at":  expires,
	}}
	pending := &Error{Code: CodeApprovalPending, Details: map[string]any{
		"request": ApprovalRequest{ID: "r1", Operation: OpTokenDelete, Status: RequestInApproval},
	}}
	for _, e := range []*Error{required, pending} {
		body, err := json.Marshal(ErrorEnvelope{Error: e})
		if err != nil {
			t.Fatal(err)
		}
		var env ErrorEnvelope
		if err := json.Unmarshal(body, &env); err != nil {
			t.Fatal(err)
		}
		for _, err := range []error{e, fmt.Errorf("wrapped: %w", env.Error)} {
			if e.Code == CodeApprovalRequired {
				step, ok := ApprovalRequired(err)
				if !ok || step.ApprovalID != "a1" || len(step.Methods) != 1 || step.Methods[0].TokenID != "t1" || !step.ExpiresAt.Equal(expires) {
					t.Errorf("ApprovalRequired(%v) = %+v, %v; want approval a1 with token t1", err, step, ok)
				}
				if _, ok := ApprovalPending(err); ok {
					t.Errorf("ApprovalPending(%v) = true for approval_required", err)
				}
				continue
			}
			req, ok := ApprovalPending(err)
			if !ok || req.ID != "r1" || req.Operation != OpTokenDelete || req.Status != RequestInApproval {
				t.Errorf("ApprovalPending(%v) = %+v, %v; want request r1", err, req, ok)
			}
		}
	}
	if _, ok := ApprovalRequired(&Error{Code: CodeApprovalRequired}); ok {
		t.Error("ApprovalRequired of an error without details = true, want false")
	}
	if _, ok := ApprovalRequired(errors.New("plain")); ok {
		t.Error("ApprovalRequired of a plain error = true, want false")
	}
}

func TestWithApproval(t *testing.T) {
	ctx := context.Background()
	if got := ApprovalFrom(ctx); got != "" {
		t.Errorf("ApprovalFrom(background) = %q, want none", got)
	}
	if got := ApprovalFrom(WithApproval(ctx, "a1")); got != "a1" {
		t.Errorf("ApprovalFrom = %q, want a1", got)
	}
}

func TestApprovalRequestCounts(t *testing.T) {
	executed := time.Now()
	r := ApprovalRequest{Status: RequestApproved, Decisions: []Decision{{Decision: DecisionApproved}, {Decision: DecisionDeclined}, {Decision: DecisionApproved}}}
	if r.Approvals() != 2 || !r.AwaitsRequester() {
		t.Errorf("Approvals() = %d, AwaitsRequester() = %v; want 2 and true", r.Approvals(), r.AwaitsRequester())
	}
	r.ExecutedAt = &executed
	if r.AwaitsRequester() {
		t.Error("AwaitsRequester() of an executed request = true, want false")
	}
}

func TestEmergencyCodeForms(t *testing.T) {
	tests := []struct {
		typed, plain, grouped string
	}{
		{"ABCD-EFGH-JKLM-NPQR", "ABCDEFGHJKLMNPQR", "ABCD-EFGH-JKLM-NPQR"},
		{" abcd efgh\tjklm-npqr ", "ABCDEFGHJKLMNPQR", "ABCD-EFGH-JKLM-NPQR"},
		{"2345", "2345", "2345"},
	}
	for _, tt := range tests {
		plain := NormalizeEmergencyCode(tt.typed)
		if plain != tt.plain {
			t.Errorf("NormalizeEmergencyCode(%q) = %q, want %q", tt.typed, plain, tt.plain)
		}
		if got := FormatEmergencyCode(plain); got != tt.grouped {
			t.Errorf("FormatEmergencyCode(%q) = %q, want %q", plain, got, tt.grouped)
		}
	}
}

func TestMaskAddress(t *testing.T) {
	for _, c := range []struct{ channel, in, want string }{
		{ChannelSMS, "+4915112345678", "+49 •••• ••78"},
		{ChannelSMS, "+12025550123", "+12 •••• ••23"},
		{ChannelSMS, "+123", "•••"},
		{ChannelEmail, "dana@example.com", "d•••@example.com"},
		{ChannelEmail, "élise@example.org", "é•••@example.org"},
		{ChannelEmail, "@example.org", "•••"},
		{ChannelEmail, "no-at-sign", "•••"},
	} {
		if got := MaskAddress(c.channel, c.in); got != c.want {
			t.Errorf("MaskAddress(%s, %q) = %q, want %q", c.channel, c.in, got, c.want)
		}
	}
}
