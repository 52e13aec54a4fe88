package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2/lang"

	"selfservice/api"
	"selfservice/hw"
)

// errorMessage turns an error into a message for the user: what happened
// and what to do. It is "" for no error and for a cancelled operation,
// which is not worth telling.
func errorMessage(err error) string {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, hw.ErrCancelled) {
		return ""
	}
	if msg := keyErrorMessage(err); msg != "" {
		return msg
	}
	var e *api.Error
	if !errors.As(err, &e) {
		return lang.L("Something went wrong. Try again; if it keeps happening, contact your helpdesk.")
	}
	switch e.Code {
	case api.CodeUnreachable:
		return lang.L("The server cannot be reached. Check your network connection and the server address, then try again.")
	case api.CodeTimeout:
		return lang.L("The server did not answer in time. Try again in a moment.")
	case api.CodeCertificateInvalid:
		return lang.L("The server's security certificate is not trusted, so the connection was stopped. Check the server address or ask your IT department.")
	case api.CodeInsecureURL:
		return lang.L("The server address must start with https:// unless the server runs on this computer.")
	case api.CodeBadResponse:
		return lang.L("The server sent an answer Selfservice does not understand. Check the server address.")
	case api.CodeInvalidCredentials:
		return lang.L("The username or password is not correct. Check them and try again.")
	case api.CodeLoginExpired:
		return lang.L("Your sign-in took too long. Sign in again.")
	case api.CodeUnauthenticated:
		return lang.L("Your session has expired. Sign in again.")
	case api.CodeEnrollmentRequired:
		return lang.L("Add a sign-in method first: your account needs at least one active sign-in method.")
	case api.CodePrivilegeMissing:
		return lang.L("You are not allowed to do this. Ask your administrator if you need it.")
	case api.CodeOTPInvalid:
		return lang.L("That code is not correct. Enter the code your authenticator app shows now.")
	case api.CodeOTPReplayed:
		return lang.L("That code was already used. Wait for the next code and enter it.")
	case api.CodeTooManyAttempts:
		if e.RetryAfter > 0 {
			return lang.L("Too many failed attempts. Wait {{.Wait}}, then try again.", map[string]any{"Wait": formatWait(e.RetryAfter)})
		}
		return lang.L("Too many failed attempts. Wait a few minutes, then try again.")
	case api.CodeLastActiveToken:
		return lang.L("You must keep at least one active sign-in method. Add another method first, then disable or delete this one.")
	case api.CodeTemplateLimit:
		return lang.L("You already have the maximum number of tokens of this kind. Delete one you no longer use first.")
	case api.CodeTemplateNotAllowed:
		return lang.L("You cannot add this kind of token. Choose another one or ask your administrator.")
	case api.CodeInvalidState:
		return lang.L("The token's state has changed meanwhile. The list has been reloaded; try again.")
	case api.CodeNotSupported:
		return lang.L("This kind of token does not support that.")
	case api.CodeWebAuthnInvalid:
		return lang.L("The server did not accept the security key's answer. Try again with the key registered for this account.")
	case api.CodeCredentialCloned:
		return lang.L("This security key looks like a copy of a registered key, so it was refused. Contact your helpdesk.")
	case api.CodeChallengeExpired:
		return lang.L("The security key took too long to answer. Try again.")
	case api.CodeCredentialExists:
		return lang.L("This security key is already registered. Use another key, or delete the existing registration first.")
	case api.CodeNotFound:
		return lang.L("It no longer exists; it may have been removed meanwhile.")
	case api.CodeInvalidRequest:
		if len(e.FieldErrors()) > 0 {
			return lang.L("Some fields need your attention.")
		}
	case api.CodeAlreadyDecided:
		return lang.L("You already approved this request. You can still decline it.")
	case api.CodeSelfApproval:
		return lang.L("You cannot decide on your own request.")
	case api.CodeEmergencyForSelf:
		return lang.L("You cannot issue an emergency access code to yourself. Ask another helpdesk member.")
	case api.CodeNoApprovers:
		return lang.L("There are not enough approvers for this action. Ask your helpdesk to check the approval settings.")
	case api.CodeActionFailed:
		return lang.L("The request can no longer be carried out, for example because the sign-in method changed meanwhile. Nothing was changed; decline it instead.")
	case api.CodeCodeExpired:
		return lang.L("This code no longer works: it has expired, was already used or was typed wrong too often. Send a new code and enter that one.")
	case api.CodeResendTooSoon:
		if e.RetryAfter > 0 {
			return lang.L("A code was sent moments ago. Wait {{.Wait}} before asking for another one.", map[string]any{"Wait": formatWait(e.RetryAfter)})
		}
		return lang.L("A code was sent moments ago. Wait a little before asking for another one.")
	case api.CodeMessageLimit:
		if e.RetryAfter > 0 {
			return lang.L("No more codes can be sent to you this way today. Choose another sign-in method, or try again in {{.Wait}}.", map[string]any{"Wait": formatWait(e.RetryAfter)})
		}
		return lang.L("No more codes can be sent to you this way today. Choose another sign-in method, or try again later.")
	case api.CodeDeliveryUnavailable:
		return lang.L("The server cannot send messages this way at the moment. Choose another sign-in method, or ask your helpdesk.")
	case api.CodePushPending:
		return lang.L("Your phone has not answered yet. Confirm the request in the authenticator app.")
	case api.CodePushDenied:
		return lang.L("The request was refused on your phone. If that was not you, tell your helpdesk; otherwise send a new request.")
	case api.CodePushExpired:
		return lang.L("Your phone did not answer in time. Send a new request and confirm it in the authenticator app.")
	case api.CodeProvisioningInvalid:
		return lang.L("This QR code or link no longer works: it has expired or was already used. Make a new one and scan that.")
	case api.CodeDeviceInvalid:
		return lang.L("The server does not recognise the authenticator app on this phone. Set the app up again under Sign-in methods.")
	case api.CodeInternal:
		return lang.L("The server had a problem. Try again later; if it keeps happening, contact your helpdesk.")
	}
	if e.Message != "" {
		return e.Message // the server's own words
	}
	return lang.L("Something went wrong. Try again; if it keeps happening, contact your helpdesk.")
}

// requestErrorMessage is errorMessage for a call on an approval request:
// a request that changed or went away meanwhile is told as such, not as a
// token.
func requestErrorMessage(err error) string {
	switch {
	case errors.Is(err, api.ErrInvalidState):
		return lang.L("The request was decided, revoked or has expired meanwhile. It is shown as it is now.")
	case errors.Is(err, api.ErrNotFound):
		return lang.L("This request no longer exists.")
	}
	return errorMessage(err)
}

// fieldErrors returns the per-field messages of an invalid_request error,
// keyed by the api's field names ("username", "otp", …). The messages are
// the api's validation texts, which the translations know.
func fieldErrors(err error) map[string]string {
	var e *api.Error
	if !errors.As(err, &e) {
		return nil
	}
	fields := e.FieldErrors()
	for k, v := range fields {
		fields[k] = lang.L(v)
	}
	return fields
}

// retryable reports whether trying again unchanged may work.
func retryable(err error) bool {
	var e *api.Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Code {
	case api.CodeUnreachable, api.CodeTimeout, api.CodeInternal, api.CodeBadResponse:
		return true
	}
	return false
}
