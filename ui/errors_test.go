package ui

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"selfservice/api"
)

func TestErrorMessage(t *testing.T) {
	test.NewTempApp(t)
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"no error", nil, ""},
		{"cancelled", context.Canceled, ""},
		{"cancelled, wrapped", fmt.Errorf("login: %w", context.Canceled), ""},
		{"unreachable", &api.Error{Code: api.CodeUnreachable}, "The server cannot be reached. Check your network connection and the server address, then try again."},
		{"certificate", &api.Error{Code: api.CodeCertificateInvalid, Message: "x509: unknown authority"}, "The server's security certificate is not trusted, so the connection was stopped. Check the server address or ask your IT department."},
		{"wrong password", &api.Error{Code: api.CodeInvalidCredentials}, "The username or password is not correct. Check them and try again."},
		{"locked with a wait", &api.Error{Code: api.CodeTooManyAttempts, RetryAfter: 90 * time.Second}, "Too many failed attempts. Wait 2 minutes, then try again."},
		{"locked without a wait", &api.Error{Code: api.CodeTooManyAttempts}, "Too many failed attempts. Wait a few minutes, then try again."},
		{"last active token", fmt.Errorf("disable: %w", &api.Error{Code: api.CodeLastActiveToken}), "You must keep at least one active sign-in method. Add another method first, then disable or delete this one."},
		{"unknown code uses the server's words", &api.Error{Code: "brand_new", Message: "The server says no."}, "The server says no."},
		{"not an api error", errors.New("boom"), "Something went wrong. Try again; if it keeps happening, contact your helpdesk."},
		{"self approval, not the server's words", &api.Error{Code: api.CodeSelfApproval, Message: "self approval"}, "You cannot decide on your own request."},
		{"already decided", &api.Error{Code: api.CodeAlreadyDecided}, "You already approved this request. You can still decline it."},
		{"no approvers", &api.Error{Code: api.CodeNoApprovers}, "There are not enough approvers for this action. Ask your helpdesk to check the approval settings."},
		{"code expired", &api.Error{Code: api.CodeCodeExpired, Message: "code expired"}, "This code no longer works: it has expired, was already used or was typed wrong too often. Send a new code and enter that one."},
		{"resend too soon says the wait", &api.Error{Code: api.CodeResendTooSoon, RetryAfter: 14 * time.Second}, "A code was sent moments ago. Wait 14 seconds before asking for another one."},
		{"resend too soon without a wait", &api.Error{Code: api.CodeResendTooSoon}, "A code was sent moments ago. Wait a little before asking for another one."},
		{"message cap says the wait", &api.Error{Code: api.CodeMessageLimit, RetryAfter: 3 * time.Hour}, "No more codes can be sent to you this way today. Choose another sign-in method, or try again in 3 hours."},
		{"delivery unavailable", &api.Error{Code: api.CodeDeliveryUnavailable}, "The server cannot send messages this way at the moment. Choose another sign-in method, or ask your helpdesk."},
		{"push pending", &api.Error{Code: api.CodePushPending}, "Your phone has not answered yet. Confirm the request in the authenticator app."},
		{"push denied", &api.Error{Code: api.CodePushDenied}, "The request was refused on your phone. If that was not you, tell your helpdesk; otherwise send a new request."},
		{"push expired", &api.Error{Code: api.CodePushExpired}, "Your phone did not answer in time. Send a new request and confirm it in the authenticator app."},
		{"provisioning invalid", &api.Error{Code: api.CodeProvisioningInvalid}, "This QR code or link no longer works: it has expired or was already used. Make a new one and scan that."},
		{"device invalid", &api.Error{Code: api.CodeDeviceInvalid}, "The server does not recognise the authenticator app on this phone. Set the app up again under Sign-in methods."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errorMessage(tt.err); got != tt.want {
				t.Errorf("errorMessage() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRequestErrorMessage(t *testing.T) {
	test.NewTempApp(t)
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"changed meanwhile", fmt.Errorf("revoke: %w", &api.Error{Code: api.CodeInvalidState}), "The request was decided, revoked or has expired meanwhile. It is shown as it is now."},
		{"gone", &api.Error{Code: api.CodeNotFound}, "This request no longer exists."},
		{"action failed", &api.Error{Code: api.CodeActionFailed, Message: "action failed"}, "The request can no longer be carried out, for example because the sign-in method changed meanwhile. Nothing was changed; decline it instead."},
		{"other errors as everywhere", &api.Error{Code: api.CodeUnreachable}, "The server cannot be reached. Check your network connection and the server address, then try again."},
		{"cancelled", context.Canceled, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := requestErrorMessage(tt.err); got != tt.want {
				t.Errorf("requestErrorMessage() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFieldErrors(t *testing.T) {
	test.NewTempApp(t)
	err := fmt.Errorf("login: %w", api.LoginRequest{}.Validate())

	got := fieldErrors(err)

	want := map[string]string{"username": "Enter your username.", "password": "Enter your password."}
	if len(got) != len(want) {
		t.Fatalf("fieldErrors() = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("fieldErrors()[%q] = %q, want %q", k, got[k], v)
		}
	}
	if fieldErrors(errors.New("plain")) != nil {
		t.Error("field errors for an error without fields")
	}
}
