package api

import (
	"errors"
	"fmt"
	"time"
)

// Error codes sent by the server in the error envelope.
const (
	CodeInvalidRequest      = "invalid_request"         // body or parameters fail validation; details.fields names the fields
	CodeMalformedJSON       = "malformed_json"          // body is not JSON of the expected shape
	CodeBodyTooLarge        = "body_too_large"          // body over the size limit
	CodeUnsupportedMedia    = "unsupported_media"       // body is not application/json
	CodeNotFound            = "not_found"               // no such resource (or not the caller's)
	CodeMethodNotAllowed    = "method_not_allowed"      // route exists, method does not
	CodeUnauthenticated     = "unauthenticated"         // no, unknown or expired session
	CodeInvalidCredentials  = "invalid_credentials"     // wrong username or password
	CodeLoginExpired        = "login_expired"           // the first sign-in step expired or was used up
	CodeEnrollmentRequired  = "enrollment_required"     // session may only enroll a first token
	CodePrivilegeMissing    = "privilege_missing"       // details.privilege names it
	CodeOTPInvalid          = "otp_invalid"             // wrong one-time code
	CodeOTPReplayed         = "otp_replayed"            // code already used
	CodeTooManyAttempts     = "too_many_attempts"       // locked after failures; Retry-After header set
	CodeLastActiveToken     = "last_active_token"       // would leave the user without an ACTIVE token
	CodeTooFewAnswers       = "too_few_answers"         // would leave the user fewer verification answers than the organisation asks for; details.min_count
	CodeTemplateLimit       = "template_limit"          // max tokens of this template reached
	CodeTemplateNotAllowed  = "template_not_allowed"    // template unknown to or not usable by this user
	CodeInvalidState        = "invalid_state"           // token status does not allow the action
	CodeNotSupported        = "not_supported"           // token type does not support the action
	CodeConflict            = "conflict"                // e.g. username already taken
	CodeWebAuthnInvalid     = "webauthn_invalid"        // the security key's response failed verification
	CodeCredentialCloned    = "credential_cloned"       // the key's signature counter went backwards: it may be cloned
	CodeChallengeExpired    = "challenge_expired"       // no open security key challenge: expired, used up or never asked for
	CodeCredentialExists    = "credential_exists"       // this security key is already registered
	CodePublicKeyInvalid    = "public_key_invalid"      // the new credential's public key is malformed, too weak, or not of its algorithm's type or curve
	CodeApprovalRequired    = "approval_required"       // confirm the action first; details as in StepUp
	CodeApprovalInvalid     = "approval_invalid"        // the approval is unknown, someone else's, for another action, or not confirmed
	CodeApprovalExpired     = "approval_expired"        // the approval timed out or failed too often; start the action again
	CodeApprovalUsed        = "approval_used"           // the approval was already used
	CodeSelfApproval        = "self_approval_forbidden" // nobody decides on their own request
	CodeAlreadyDecided      = "already_decided"         // this approver already gave this decision
	CodeNoApprovers         = "no_approvers"            // the policy names too few approvers besides the requester
	CodeActionFailed        = "action_failed"           // the approved action can no longer run; details.reason has its error code
	CodeEmergencyForSelf    = "emergency_code_for_self" // nobody issues an emergency access code to themselves
	CodeHardwareForSelf     = "hardware_token_for_self" // helpdesk staff never unassign their own hardware tokens
	CodeQuestionForSelf     = "question_check_for_self" // helpdesk staff never check their own verification answers
	CodeCodeExpired         = "code_expired"            // the code sent by SMS or email expired, was used or failed too often: ask for a new one
	CodeResendTooSoon       = "resend_too_soon"         // a code was sent moments ago; Retry-After says when to ask again
	CodeDeliveryUnavailable = "delivery_unavailable"    // the server cannot send messages on this channel (not configured)
	CodePushPending         = "push_pending"            // the phone has not answered the push request yet: poll again
	CodePushDenied          = "push_denied"             // the user refused the push request on the phone
	CodePushExpired         = "push_expired"            // the push request got no answer in time
	CodeProvisioningInvalid = "provisioning_invalid"    // the provisioning payload is unknown, expired or used
	CodeLinkInvalid         = "link_invalid"            // the one-time link is unknown, expired or was used: ask for a new one
	CodeActivationRequired  = "activation_required"     // the right password of an account whose email address is not confirmed yet; details.email masks it
	CodeDeviceInvalid       = "device_invalid"          // unknown device, or its signature does not verify
	CodeRateLimited         = "rate_limited"            // too many calls from this source or from everyone; Retry-After says when to try again
	CodeServerBusy          = "server_busy"             // every password check is busy; Retry-After says when to try again
	CodeMessageLimit        = "message_limit_reached"   // the daily SMS or email cap of the user or the deployment is reached; Retry-After says when one is free
	CodeDocumentLimit       = "document_limit"          // the user keeps the most documents allowed; details.max_per_user
	CodeInternal            = "internal_error"          // a server fault; details never leak internals
)

// CodeApprovalPending is how the client returns a 202 answer to an
// approvable call: the server made an approval request instead of acting.
// Details.request holds it (see ApprovalPending). The server never sends
// it in the error envelope.
const CodeApprovalPending = "approval_pending"

// Error codes produced by the client for failures that never reached the
// server; the server never sends them.
const (
	CodeUnreachable        = "server_unreachable"  // connection refused, DNS, network down
	CodeTimeout            = "timeout"             // the server did not answer in time
	CodeCertificateInvalid = "certificate_invalid" // TLS verification failed
	CodeInsecureURL        = "insecure_url"        // http:// to a non-loopback host
	CodeBadResponse        = "bad_response"        // the answer was not the API's JSON
)

// ErrorEnvelope is the body of every non-2xx response:
// {"error":{"code":"snake_case_code","message":"human text","details":{...}}}.
type ErrorEnvelope struct {
	Error *Error `json:"error"`
}

// Error is an API failure. The server sends it in an ErrorEnvelope; the
// client returns it (with Status and RetryAfter filled in) for every
// failure, so callers switch on it with errors.Is and errors.As.
type Error struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Details map[string]any `json:"details,omitempty"`

	// Status is the HTTP status the error came with (0 for client-side errors).
	Status int `json:"-"`
	// RetryAfter is the server's Retry-After, when it sent one.
	RetryAfter time.Duration `json:"-"`
	// Cause is the underlying error of a client-side failure.
	Cause error `json:"-"`
}

func (e *Error) Error() string {
	if e.Message == "" {
		return e.Code
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Cause }

// Is reports whether target is an *Error with the same code, so that
// errors.Is(err, api.ErrLastActiveToken) works on any error carrying it.
func (e *Error) Is(target error) bool {
	var t *Error
	return errors.As(target, &t) && t.Code == e.Code
}

// FieldErrors returns the per-field messages of an invalid_request error
// (field name → message), or nil.
func (e *Error) FieldErrors() map[string]string {
	raw, ok := e.Details["fields"]
	if !ok {
		return nil
	}
	out := map[string]string{}
	switch fields := raw.(type) {
	case map[string]string:
		for k, v := range fields {
			out[k] = v
		}
	case map[string]any:
		for k, v := range fields {
			out[k] = fmt.Sprint(v)
		}
	}
	return out
}

// Sentinels for errors.Is. Only the Code is compared.
var (
	ErrInvalidRequest      = &Error{Code: CodeInvalidRequest}
	ErrNotFound            = &Error{Code: CodeNotFound}
	ErrUnauthenticated     = &Error{Code: CodeUnauthenticated}
	ErrInvalidCredentials  = &Error{Code: CodeInvalidCredentials}
	ErrLoginExpired        = &Error{Code: CodeLoginExpired}
	ErrEnrollmentRequired  = &Error{Code: CodeEnrollmentRequired}
	ErrPrivilegeMissing    = &Error{Code: CodePrivilegeMissing}
	ErrOTPInvalid          = &Error{Code: CodeOTPInvalid}
	ErrOTPReplayed         = &Error{Code: CodeOTPReplayed}
	ErrTooManyAttempts     = &Error{Code: CodeTooManyAttempts}
	ErrLastActiveToken     = &Error{Code: CodeLastActiveToken}
	ErrTooFewAnswers       = &Error{Code: CodeTooFewAnswers}
	ErrTemplateLimit       = &Error{Code: CodeTemplateLimit}
	ErrTemplateNotAllowed  = &Error{Code: CodeTemplateNotAllowed}
	ErrInvalidState        = &Error{Code: CodeInvalidState}
	ErrNotSupported        = &Error{Code: CodeNotSupported}
	ErrWebAuthnInvalid     = &Error{Code: CodeWebAuthnInvalid}
	ErrCredentialCloned    = &Error{Code: CodeCredentialCloned}
	ErrChallengeExpired    = &Error{Code: CodeChallengeExpired}
	ErrCredentialExists    = &Error{Code: CodeCredentialExists}
	ErrPublicKeyInvalid    = &Error{Code: CodePublicKeyInvalid}
	ErrApprovalRequired    = &Error{Code: CodeApprovalRequired}
	ErrApprovalInvalid     = &Error{Code: CodeApprovalInvalid}
	ErrApprovalExpired     = &Error{Code: CodeApprovalExpired}
	ErrApprovalUsed        = &Error{Code: CodeApprovalUsed}
	ErrSelfApproval        = &Error{Code: CodeSelfApproval}
	ErrAlreadyDecided      = &Error{Code: CodeAlreadyDecided}
	ErrNoApprovers         = &Error{Code: CodeNoApprovers}
	ErrActionFailed        = &Error{Code: CodeActionFailed}
	ErrApprovalPending     = &Error{Code: CodeApprovalPending}
	ErrEmergencyForSelf    = &Error{Code: CodeEmergencyForSelf}
	ErrHardwareForSelf     = &Error{Code: CodeHardwareForSelf}
	ErrQuestionForSelf     = &Error{Code: CodeQuestionForSelf}
	ErrCodeExpired         = &Error{Code: CodeCodeExpired}
	ErrResendTooSoon       = &Error{Code: CodeResendTooSoon}
	ErrDeliveryUnavailable = &Error{Code: CodeDeliveryUnavailable}
	ErrPushPending         = &Error{Code: CodePushPending}
	ErrPushDenied          = &Error{Code: CodePushDenied}
	ErrPushExpired         = &Error{Code: CodePushExpired}
	ErrProvisioningInvalid = &Error{Code: CodeProvisioningInvalid}
	ErrLinkInvalid         = &Error{Code: CodeLinkInvalid}
	ErrActivationRequired  = &Error{Code: CodeActivationRequired}
	ErrDeviceInvalid       = &Error{Code: CodeDeviceInvalid}
	ErrRateLimited         = &Error{Code: CodeRateLimited}
	ErrServerBusy          = &Error{Code: CodeServerBusy}
	ErrMessageLimit        = &Error{Code: CodeMessageLimit}
	ErrDocumentLimit       = &Error{Code: CodeDocumentLimit}
	ErrBodyTooLarge        = &Error{Code: CodeBodyTooLarge}
	ErrUnsupportedMedia    = &Error{Code: CodeUnsupportedMedia}
	ErrUnreachable         = &Error{Code: CodeUnreachable}
	ErrTimeout             = &Error{Code: CodeTimeout}
	ErrCertificateInvalid  = &Error{Code: CodeCertificateInvalid}
	ErrInsecureURL         = &Error{Code: CodeInsecureURL}
)

// FieldError builds an invalid_request error for one or more fields.
func FieldError(fields map[string]string) *Error {
	return &Error{
		Code:    CodeInvalidRequest,
		Message: "Some fields are not valid.",
		Details: map[string]any{"fields": fields},
	}
}

// HTTPStatus is the status the server sends with each code.
func HTTPStatus(code string) int {
	switch code {
	case CodeApprovalPending:
		return 202
	case CodeInvalidRequest, CodeMalformedJSON:
		return 400
	case CodeUnauthenticated, CodeInvalidCredentials, CodeLoginExpired, CodeOTPInvalid, CodeOTPReplayed,
		CodeWebAuthnInvalid, CodeCredentialCloned, CodeChallengeExpired, CodeCodeExpired, CodePushDenied,
		CodePushExpired, CodeProvisioningInvalid, CodeDeviceInvalid, CodeLinkInvalid:
		return 401
	case CodePrivilegeMissing, CodeEnrollmentRequired, CodeTemplateNotAllowed,
		CodeApprovalRequired, CodeApprovalInvalid, CodeApprovalExpired, CodeApprovalUsed, CodeSelfApproval,
		CodeEmergencyForSelf, CodeHardwareForSelf, CodeQuestionForSelf, CodeActivationRequired:
		return 403
	case CodeNotFound:
		return 404
	case CodeMethodNotAllowed:
		return 405
	case CodeLastActiveToken, CodeTooFewAnswers, CodeTemplateLimit, CodeInvalidState, CodeConflict, CodeCredentialExists,
		CodeAlreadyDecided, CodeNoApprovers, CodeActionFailed, CodePushPending, CodeDocumentLimit:
		return 409
	case CodeBodyTooLarge:
		return 413
	case CodeUnsupportedMedia:
		return 415
	case CodeNotSupported, CodePublicKeyInvalid:
		return 422
	case CodeTooManyAttempts, CodeResendTooSoon, CodeRateLimited, CodeMessageLimit:
		return 429
	case CodeDeliveryUnavailable, CodeServerBusy:
		return 503
	}
	return 500
}
