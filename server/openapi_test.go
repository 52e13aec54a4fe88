package server

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"selfservice/api"
)

// openAPIOperations reads the "METHOD /path" pairs of an OpenAPI
// document's paths section by indentation: path keys are indented two
// spaces, their operations four. It needs no YAML library because the
// document keeps to that layout.
func openAPIOperations(t *testing.T, file string) []string {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatalf("open %s: %v", file, err)
	}
	defer f.Close()
	methods := []string{"get", "put", "post", "delete", "patch", "head", "options", "trace"}
	var ops []string
	inPaths, path := false, ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		switch {
		case indent == 0:
			inPaths = trimmed == "paths:"
		case !inPaths:
		case indent == 2 && strings.HasPrefix(trimmed, "/") && strings.HasSuffix(trimmed, ":"):
			path = strings.TrimSuffix(trimmed, ":")
		case indent == 4 && slices.Contains(methods, strings.TrimSuffix(trimmed, ":")):
			ops = append(ops, strings.ToUpper(strings.TrimSuffix(trimmed, ":"))+" "+path)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read %s: %v", file, err)
	}
	slices.Sort(ops)
	return ops
}

func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	documented := openAPIOperations(t, "../api/openapi.yaml")
	var served []string
	for _, rt := range New(nil, Config{Secrets: testSecrets}).routes {
		served = append(served, rt.Method+" "+rt.Path)
	}
	slices.Sort(served)

	for _, op := range served {
		if !slices.Contains(documented, op) {
			t.Errorf("route %s is served but not in api/openapi.yaml", op)
		}
	}
	for _, op := range documented {
		if !slices.Contains(served, op) {
			t.Errorf("api/openapi.yaml documents %s, which the server does not serve", op)
		}
	}
	if len(documented) < 10 {
		t.Errorf("read only %d operations from api/openapi.yaml: %v", len(documented), documented)
	}
}

func TestOpenAPIHeader(t *testing.T) {
	raw, err := os.ReadFile("../api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	for _, want := range []string{"openapi: 3.1.0\n", "  - url: /api/v1\n", "    bearerAuth:\n      type: http\n      scheme: bearer\n", "    ErrorEnvelope:\n"} {
		if !strings.Contains(doc, want) {
			t.Errorf("api/openapi.yaml lacks %q", want)
		}
	}
}

// openAPISchema is what the tests compare of one schema of the document.
type openAPISchema struct {
	properties []string            // names, as in the document
	enums      map[string][]string // "" for the schema's own enum, else the property's
}

// openAPISchemas reads components/schemas by indentation, as
// openAPIOperations reads the paths: schema names are indented four
// spaces, "properties:" six and property names eight; an enum is a list
// below "enum:" or inline as "enum: [a, b]".
func openAPISchemas(t *testing.T, file string) map[string]*openAPISchema {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("read %s: %v", file, err)
	}
	schemas := map[string]*openAPISchema{}
	var cur *openAPISchema
	inSchemas, inProps, prop, enumKey, enumIndent := false, false, "", "", -1
	for _, line := range strings.Split(string(raw), "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" {
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		if enumIndent >= 0 && indent > enumIndent && strings.HasPrefix(trimmed, "- ") {
			cur.enums[enumKey] = append(cur.enums[enumKey], strings.TrimPrefix(trimmed, "- "))
			continue
		}
		enumIndent = -1
		switch {
		case indent <= 2:
			inSchemas, cur = trimmed == "schemas:", nil
		case !inSchemas:
		case indent == 4:
			cur = &openAPISchema{enums: map[string][]string{}}
			schemas[strings.TrimSuffix(trimmed, ":")] = cur
			inProps, prop = false, ""
		case indent == 6:
			inProps, prop = trimmed == "properties:", ""
		case indent == 8 && inProps:
			prop = strings.TrimSuffix(trimmed, ":")
			cur.properties = append(cur.properties, prop)
		}
		if cur == nil || !strings.HasPrefix(trimmed, "enum:") {
			continue
		}
		if list, ok := strings.CutPrefix(trimmed, "enum: ["); ok {
			for _, v := range strings.Split(strings.TrimSuffix(list, "]"), ",") {
				cur.enums[prop] = append(cur.enums[prop], strings.TrimSpace(v))
			}
		} else {
			enumKey, enumIndent = prop, indent
		}
	}
	return schemas
}

// jsonNames lists the JSON names of a struct's fields, leaving out "-".
func jsonNames(v any) []string {
	var names []string
	typ := reflect.TypeOf(v)
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		if name != "-" {
			names = append(names, name)
		}
	}
	return names
}

// serverErrorCodes reads the values of the constant block in api/errors.go
// that lists the codes the server sends.
func serverErrorCodes(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "../api/errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, decl := range f.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.CONST || gen.Specs[0].(*ast.ValueSpec).Names[0].Name != "CodeInvalidRequest" {
			continue
		}
		var codes []string
		for _, spec := range gen.Specs {
			code, err := strconv.Unquote(spec.(*ast.ValueSpec).Values[0].(*ast.BasicLit).Value)
			if err != nil {
				t.Fatal(err)
			}
			codes = append(codes, code)
		}
		return codes
	}
	t.Fatal("api/errors.go has no constant block starting with CodeInvalidRequest")
	return nil
}

// TestOpenAPISchemasMatchTheWireTypes checks every schema's properties
// against the JSON names of the api type it describes, and the enums
// against the values the code uses.
func TestOpenAPISchemasMatchTheWireTypes(t *testing.T) {
	schemas := openAPISchemas(t, "../api/openapi.yaml")
	types := map[string]any{
		"ErrorEnvelope":               api.ErrorEnvelope{},
		"Error":                       api.Error{},
		"HealthResponse":              api.HealthResponse{},
		"User":                        api.User{},
		"MeResponse":                  api.MeResponse{},
		"LoginRequest":                api.LoginRequest{},
		"RecoveryOptions":             api.RecoveryOptions{},
		"PasswordResetRequest":        api.PasswordResetRequest{},
		"UsernameReminderRequest":     api.UsernameReminderRequest{},
		"RecoverySent":                api.RecoverySent{},
		"ResetLinkRequest":            api.ResetLinkRequest{},
		"ResetLink":                   api.ResetLink{},
		"ResetPasswordRequest":        api.ResetPasswordRequest{},
		"ResetPasswordResponse":       api.ResetPasswordResponse{},
		"LoginMethod":                 api.LoginMethod{},
		"LoginResponse":               api.LoginResponse{},
		"VerifyLoginRequest":          api.VerifyLoginRequest{},
		"SessionResponse":             api.SessionResponse{},
		"TokenTemplate":               api.TokenTemplate{},
		"ContactField":                api.ContactField{},
		"ContactValue":                api.ContactValue{},
		"ContactChange":               api.ContactChange{},
		"ContactsResponse":            api.ContactsResponse{},
		"SetContactRequest":           api.SetContactRequest{},
		"ContactResponse":             api.ContactResponse{},
		"TemplatesResponse":           api.TemplatesResponse{},
		"Token":                       api.Token{},
		"TokensResponse":              api.TokensResponse{},
		"TokenResponse":               api.TokenResponse{},
		"CreateTokenRequest":          api.CreateTokenRequest{},
		"ClaimTokenRequest":           api.ClaimTokenRequest{},
		"Provisioning":                api.Provisioning{},
		"CreateTokenResponse":         api.CreateTokenResponse{},
		"OTPRequest":                  api.OTPRequest{},
		"ResyncRequest":               api.ResyncRequest{},
		"UpdateTokenRequest":          api.UpdateTokenRequest{},
		"ChangeAddressRequest":        api.ChangeAddressRequest{},
		"WebAuthnSettings":            api.WebAuthnSettings{},
		"Credential":                  api.Credential{},
		"WebAuthnOptions":             api.WebAuthnOptions{},
		"ChallengeResponse":           api.ChallengeResponse{},
		"LoginChallengeRequest":       api.LoginChallengeRequest{},
		"PasswordlessResponse":        api.PasswordlessResponse{},
		"PasswordlessVerifyRequest":   api.PasswordlessVerifyRequest{},
		"StepUp":                      api.StepUp{},
		"Approval":                    api.Approval{},
		"ApprovalResponse":            api.ApprovalResponse{},
		"ApprovalChallengeRequest":    api.ApprovalChallengeRequest{},
		"CodeDelivery":                api.CodeDelivery{},
		"PushChallenge":               api.PushChallenge{},
		"PushProvisioning":            api.PushProvisioning{},
		"ProvisioningRequest":         api.ProvisioningRequest{},
		"ProvisioningResponse":        api.ProvisioningResponse{},
		"QRLoginResponse":             api.QRLoginResponse{},
		"DeviceRegistration":          api.DeviceRegistration{},
		"DeviceRegistrationResponse":  api.DeviceRegistrationResponse{},
		"PendingPushRequest":          api.PendingPushRequest{},
		"PushRequest":                 api.PushRequest{},
		"PushRequestsResponse":        api.PushRequestsResponse{},
		"PushAnswer":                  api.PushAnswer{},
		"VerifyApprovalRequest":       api.VerifyApprovalRequest{},
		"Person":                      api.Person{},
		"Decision":                    api.Decision{},
		"HistoryEntry":                api.HistoryEntry{},
		"ApprovalRequest":             api.ApprovalRequest{},
		"ApprovalRequestResponse":     api.ApprovalRequestResponse{},
		"ApprovalRequestsResponse":    api.ApprovalRequestsResponse{},
		"DecisionRequest":             api.DecisionRequest{},
		"IssueEmergencyCodeRequest":   api.IssueEmergencyCodeRequest{},
		"EmergencyCodeResponse":       api.EmergencyCodeResponse{},
		"EmergencyHolderResponse":     api.EmergencyHolderResponse{},
		"EmergencyCodeState":          api.EmergencyCodeState{},
		"ApprovalNeed":                api.ApprovalNeed{},
		"HardwareDevice":              api.HardwareDevice{},
		"HardwareDevicesResponse":     api.HardwareDevicesResponse{},
		"UnassignHardwareRequest":     api.UnassignHardwareRequest{},
		"Preferences":                 api.Preferences{},
		"ProfileField":                api.ProfileField{},
		"Profile":                     api.Profile{},
		"UpdateProfileRequest":        api.UpdateProfileRequest{},
		"Document":                    api.Document{},
		"DocumentType":                api.DocumentType{},
		"DocumentsResponse":           api.DocumentsResponse{},
		"DocumentResponse":            api.DocumentResponse{},
		"Question":                    api.Question{},
		"QuestionsResponse":           api.QuestionsResponse{},
		"AnswerRequest":               api.AnswerRequest{},
		"RevealResponse":              api.RevealResponse{},
		"UserQuestion":                api.UserQuestion{},
		"UserQuestionsResponse":       api.UserQuestionsResponse{},
		"CheckAnswerResponse":         api.CheckAnswerResponse{},
		"Consent":                     api.Consent{},
		"ConsentsResponse":            api.ConsentsResponse{},
		"SetConsentRequest":           api.SetConsentRequest{},
		"DeletionSummary":             api.DeletionSummary{},
		"DeleteAccountRequest":        api.DeleteAccountRequest{},
		"AccountExport":               api.AccountExport{},
		"ExportUser":                  api.ExportUser{},
		"ExportProfile":               api.ExportProfile{},
		"ExportContact":               api.ExportContact{},
		"ExportContactChange":         api.ExportContactChange{},
		"ExportAnswer":                api.ExportAnswer{},
		"ExportRequest":               api.ExportRequest{},
		"ExportEvent":                 api.ExportEvent{},
		"ExportDecision":              api.ExportDecision{},
		"ExportConsent":               api.ExportConsent{},
		"ExportMessage":               api.ExportMessage{},
		"Session":                     api.Session{},
		"SessionsResponse":            api.SessionsResponse{},
		"SignOutRequest":              api.SignOutRequest{},
		"SignOutResponse":             api.SignOutResponse{},
		"SignInAttempt":               api.SignInAttempt{},
		"ActivityResponse":            api.ActivityResponse{},
		"ReportResponse":              api.ReportResponse{},
		"InvitationField":             api.InvitationField{},
		"InvitationTemplate":          api.InvitationTemplate{},
		"InvitationTemplatesResponse": api.InvitationTemplatesResponse{},
		"CreateInvitationRequest":     api.CreateInvitationRequest{},
		"InvitationEvent":             api.InvitationEvent{},
		"Invitation":                  api.Invitation{},
		"InvitationsResponse":         api.InvitationsResponse{},
		"InvitationResponse":          api.InvitationResponse{},
	}
	for name, v := range types {
		s, ok := schemas[name]
		if !ok {
			t.Errorf("api/openapi.yaml has no schema %s", name)
			continue
		}
		if got, want := slices.Sorted(slices.Values(s.properties)), slices.Sorted(slices.Values(jsonNames(v))); !slices.Equal(got, want) {
			t.Errorf("schema %s has properties %v, want those of %T: %v", name, got, v, want)
		}
	}

	var privileges []string
	for _, p := range api.AllPrivileges {
		privileges = append(privileges, string(p))
	}
	enums := []struct {
		schema, property string
		want             []string
	}{
		{"Privilege", "", privileges},
		{"Error", "code", serverErrorCodes(t)},
		{"TokenType", "", []string{string(api.TypeTOTP), string(api.TypeHOTP), string(api.TypeFIDO2), string(api.TypeSMS), string(api.TypeEmail), string(api.TypePush), string(api.TypeEmergency)}},
		{"WebAuthnSettings", "user_verification", []string{api.WebAuthnDiscouraged, api.WebAuthnPreferred, api.WebAuthnRequired}},
		{"WebAuthnSettings", "resident_key", []string{api.WebAuthnDiscouraged, api.WebAuthnPreferred, api.WebAuthnRequired}},
		{"TokenStatus", "", []string{string(api.StatusPending), string(api.StatusActive), string(api.StatusDisabled), string(api.StatusObsolete)}},
		{"User", "role", Roles()},
		{"Preferences", "date_format", append([]string{`""`}, dateFormatIDs()...)}, // "" as written: the reader keeps quotes
		{"User", "enrollment", []string{api.EnrollmentFull, api.EnrollmentPartial}},
		{"Operation", "", names(append(slices.Clone(api.Operations), api.OpQuestionReveal))},
		{"ApprovalStatus", "", names([]api.ApprovalStatus{api.ApprovalOpen, api.ApprovalVerified, api.ApprovalUsed, api.ApprovalExpired, api.ApprovalFailed})},
		{"ChallengeResponse", "proof", []string{api.ProofOTP, api.ProofWebAuthn, api.ProofPush}},
		{"CodeDelivery", "channel", []string{api.ChannelSMS, api.ChannelEmail}},
		{"ProvisioningRequest", "channel", []string{api.ChannelSMS, api.ChannelEmail}},
		{"PushRequest", "kind", []string{api.PushSignIn, api.PushApproval, api.PushTest, api.PushQRLogin}},
		{"PushAnswer", "decision", []string{api.PushApprove, api.PushDeny}},
		{"RequestStatus", "", names([]api.RequestStatus{api.RequestInApproval, api.RequestApproved, api.RequestRejected, api.RequestRevoked, api.RequestExpired})},
		{"Decision", "decision", names([]api.DecisionValue{api.DecisionApproved, api.DecisionDeclined})},
		{"SignOutRequest", "which", []string{api.SignOutOthers, api.SignOutAll}},
		{"SignInAttempt", "method", names(api.SignInMethods)},
		{"SignInAttempt", "result", names(api.SignInResults)},
		{"InvitationStatus", "", names(api.InvitationStatuses)},
		{"HistoryEntry", "event", names([]api.RequestEvent{api.EventCreated, api.EventApproved, api.EventDeclined, api.EventRevoked, api.EventExpired, api.EventExecuted})},
	}
	for _, e := range enums {
		var got []string
		if s := schemas[e.schema]; s != nil {
			got = slices.Sorted(slices.Values(s.enums[e.property]))
		}
		if want := slices.Sorted(slices.Values(e.want)); !slices.Equal(got, want) {
			t.Errorf("enum of %s %s is %v, want %v", e.schema, e.property, got, want)
		}
	}
}

// names converts string-like constants for comparison with an enum.
func names[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
