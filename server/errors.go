package server

import (
	"fmt"
	"time"

	"selfservice/api"
	"selfservice/server/notify"
)

// The errors the handlers return, with the message the user reads. Each
// call makes a new value, because the writer may set RetryAfter on it.

func apiError(code, message string) *api.Error {
	return &api.Error{Code: code, Message: message}
}

func errRouteNotFound() error {
	return apiError(api.CodeNotFound, "There is no such API call. Check the address and the app version.")
}

func errMethodNotAllowed() error {
	return apiError(api.CodeMethodNotAllowed, "This API call does not accept that method.")
}

func errUnauthenticated() error {
	return apiError(api.CodeUnauthenticated, "You are not signed in, or your session has ended. Sign in again.")
}

func errInvalidCredentials() error {
	return apiError(api.CodeInvalidCredentials, "The username or password is not correct. Check both and try again.")
}

func errLoginExpired() error {
	return apiError(api.CodeLoginExpired, "This sign-in has expired or was already used. Sign in again with your username and password.")
}

func errEnrollmentRequired() error {
	return apiError(api.CodeEnrollmentRequired, "Set up a sign-in method first: add a token and activate it with its first code.")
}

func errPrivilegeMissing(p api.Privilege) error {
	return &api.Error{
		Code:    api.CodePrivilegeMissing,
		Message: "You are not allowed to do this. Ask your helpdesk if you need it.",
		Details: map[string]any{"privilege": string(p)},
	}
}

func errTokenNotFound() error {
	return apiError(api.CodeNotFound, "This token does not exist. Reload the list of tokens.")
}

func errOTPInvalid() error {
	return apiError(api.CodeOTPInvalid, "The code is not correct. Check that you chose the right token and enter the code it shows now.")
}

func errOTPReplayed() error {
	return apiError(api.CodeOTPReplayed, "This code was already used. Wait for the next code and enter that one.")
}

func errResyncFailed() error {
	return apiError(api.CodeOTPInvalid, "The two codes do not match this token. Enter two codes that the token shows one after the other.")
}

// tooManyAttempts says that what is locked for wait: in its message,
// Retry-After and details.locked_until; a token's lock says it is the
// method's (details.lock), so that the app offers the others.
func (s *Server) tooManyAttempts(wait time.Duration, what string) error {
	e := apiError(api.CodeTooManyAttempts, fmt.Sprintf("Too many %s. Wait %s and try again.", what, humanDuration(wait)))
	e.RetryAfter = wait
	e.Details = map[string]any{"locked_until": s.now().Add(wait).UTC().Format(time.RFC3339)}
	if what == wrongCodes || what == failedKeyUses {
		e.Details["lock"] = api.LockToken
	}
	return e
}

func errRateLimited(wait time.Duration) error {
	e := apiError(api.CodeRateLimited, fmt.Sprintf("Too many requests from your network. Wait %s and try again.", humanDuration(wait)))
	e.RetryAfter = wait
	return e
}

func errMessageLimit(channel string, wait time.Duration, everyone bool) error {
	what := "text messages"
	if channel == notify.ChannelEmail {
		what = "emails"
	}
	msg := fmt.Sprintf("You have been sent as many %s as are allowed in a day. Use another sign-in method, or try again in %s.", what, humanDuration(wait))
	if everyone {
		msg = fmt.Sprintf("The server has sent as many %s as it may today. Use another sign-in method, or try again in %s; if this keeps happening, tell your helpdesk.", what, humanDuration(wait))
	}
	e := apiError(api.CodeMessageLimit, msg)
	e.RetryAfter = wait
	return e
}

func errServerBusy() error {
	e := apiError(api.CodeServerBusy, "The server is busy checking other sign-ins. Try again in a moment.")
	e.RetryAfter = time.Second
	return e
}

func errLastActiveToken() error {
	return apiError(api.CodeLastActiveToken, "This is your only active token. You must always keep one working sign-in method, so add and activate another token first.")
}

func errTemplateLimit(max int) error {
	return &api.Error{
		Code:    api.CodeTemplateLimit,
		Message: fmt.Sprintf("You already have the most tokens of this kind (%d). Delete one you no longer use first.", max),
		Details: map[string]any{"max_per_user": max},
	}
}

func errTemplateNotAllowed() error {
	return apiError(api.CodeTemplateNotAllowed, "This kind of token is not available to you. Choose another one.")
}

func errWebAuthnInvalid() error {
	return apiError(api.CodeWebAuthnInvalid, "The security key's answer could not be verified. Use the key that belongs to this sign-in method and try again; if it keeps failing, ask your helpdesk.")
}

func errCredentialCloned() error {
	return apiError(api.CodeCredentialCloned, "This security key was refused because its signature counter went backwards, which can mean the key was copied. Tell your helpdesk, and sign in another way meanwhile.")
}

func errChallengeExpired() error {
	return apiError(api.CodeChallengeExpired, "The request to your security key has expired or was already answered. Start again, and use your key right away.")
}

func errCredentialExists() error {
	return apiError(api.CodeCredentialExists, "This security key is already registered. Use a different key, or use the token you already have for this one.")
}

func errPublicKeyInvalid() error {
	return apiError(api.CodePublicKeyInvalid, "This security key's public key is not valid, or of a kind this server does not accept, so the key cannot be registered. Try another key; if it keeps failing, ask your helpdesk.")
}

func errUnknownPasskey() error {
	return apiError(api.CodeWebAuthnInvalid, "This passkey is not registered with your account. Sign in with your username and password, or use another key.")
}

func errNotAKey() error {
	return apiError(api.CodeNotSupported, "This token shows codes; it is not a security key. Enter its code instead.")
}

func errInternal() error {
	return apiError(api.CodeInternal, "Something went wrong on the server. Try again later; if it keeps happening, tell your helpdesk.")
}

// humanDuration says "5 minutes" or "40 seconds", rounding up.
func humanDuration(d time.Duration) string {
	if d <= time.Minute {
		s := int((d + time.Second - 1) / time.Second)
		if s == 1 {
			return "1 second"
		}
		return fmt.Sprintf("%d seconds", s)
	}
	m := int((d + time.Minute - 1) / time.Minute)
	return fmt.Sprintf("%d minutes", m)
}
