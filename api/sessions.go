package api

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// DeviceHeader carries the name of the device and app a sign-in comes
// from ("Selfservice 1.2 on Linux (build-07)"), which the user sees in
// their sessions and sign-in activity. The app sends it with every
// request; the server reads it at sign-in. It is never secret.
const DeviceHeader = "X-Device-Name"

// MaxDeviceLen bounds DeviceHeader, in characters.
const MaxDeviceLen = 100

// CheckDeviceName checks a DeviceHeader value: at most MaxDeviceLen
// characters, none of them a control character. Empty is allowed (a
// client that names no device).
func CheckDeviceName(name string) error {
	if !utf8.ValidString(name) || utf8.RuneCountInString(name) > MaxDeviceLen || strings.ContainsFunc(name, unicode.IsControl) {
		return FieldError(map[string]string{DeviceHeader: fmt.Sprintf("Give a device name of at most %d printable characters.", MaxDeviceLen)})
	}
	return nil
}

// Session is one of the user's signed-in sessions (GET /account/sessions).
type Session struct {
	ID         string    `json:"id"`
	Device     string    `json:"device,omitempty"` // as DeviceHeader named it at sign-in
	IP         string    `json:"ip,omitempty"`     // where the sign-in came from
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"` // recorded at most once a minute
	ExpiresAt  time.Time `json:"expires_at"`   // unless used again before
	Current    bool      `json:"current"`      // the session of this request
}

// SessionsResponse answers GET /account/sessions, the newest first.
type SessionsResponse struct {
	Sessions []Session `json:"sessions"`
}

// Which sessions POST /account/sessions/sign-out ends.
const (
	SignOutOthers = "others" // all but the session of the request
	SignOutAll    = "all"    // all, the session of the request too
)

// SignOutRequest is the body of POST /account/sessions/sign-out.
type SignOutRequest struct {
	Which string `json:"which"` // SignOutOthers or SignOutAll
}

// Validate checks Which.
func (r SignOutRequest) Validate() error {
	f := fieldErrors{}
	f.check(r.Which == SignOutOthers || r.Which == SignOutAll, "which", `Choose "others" or "all".`)
	return f.err()
}

// SignOutResponse answers POST /account/sessions/sign-out.
type SignOutResponse struct {
	SignedOut int `json:"signed_out"` // how many sessions ended
}

// SignInMethod is how a sign-in attempt proved who it was.
type SignInMethod string

const (
	MethodPassword     SignInMethod = "password"     // the password alone (the user has no sign-in method yet), or its wrong guess
	MethodTOTP         SignInMethod = "totp"         // a code of a time-based authenticator app
	MethodHOTP         SignInMethod = "hotp"         // a code of a counter-based app or hardware token
	MethodSMS          SignInMethod = "sms"          // a code sent by SMS
	MethodEmail        SignInMethod = "email"        // a code sent by email
	MethodPush         SignInMethod = "push"         // confirmed in the authenticator app
	MethodFIDO2        SignInMethod = "fido2"        // a security key after the password
	MethodEmergency    SignInMethod = "emergency"    // an emergency access code
	MethodQR           SignInMethod = "qr"           // a QR code scanned with the authenticator app
	MethodPasswordless SignInMethod = "passwordless" // a passkey without username and password
)

// SignInMethods lists every method, in the order above.
var SignInMethods = []SignInMethod{
	MethodPassword, MethodTOTP, MethodHOTP, MethodSMS, MethodEmail, MethodPush,
	MethodFIDO2, MethodEmergency, MethodQR, MethodPasswordless,
}

// SignInResult is how a sign-in attempt ended.
type SignInResult string

const (
	ResultSuccess       SignInResult = "success"
	ResultWrongPassword SignInResult = "wrong_password"
	ResultWrongCode     SignInResult = "wrong_code"  // a wrong or reused one-time or emergency code
	ResultKeyRefused    SignInResult = "key_refused" // the security key's answer failed verification
	ResultDenied        SignInResult = "denied"      // refused in the authenticator app
	ResultLocked        SignInResult = "locked"      // refused: too many failed attempts
)

// SignInResults lists every result, in the order above.
var SignInResults = []SignInResult{
	ResultSuccess, ResultWrongPassword, ResultWrongCode, ResultKeyRefused, ResultDenied, ResultLocked,
}

// SignInAttempt is one entry of the user's sign-in activity
// (GET /account/activity). It never holds a password, code or token.
type SignInAttempt struct {
	ID         string       `json:"id"`
	At         time.Time    `json:"at"`
	Method     SignInMethod `json:"method"`
	Result     SignInResult `json:"result"`
	IP         string       `json:"ip,omitempty"`
	Device     string       `json:"device,omitempty"`
	ReportedAt *time.Time   `json:"reported_at,omitempty"` // when the user said "This wasn't me"
}

// Succeeded reports whether the attempt signed in.
func (a SignInAttempt) Succeeded() bool { return a.Result == ResultSuccess }

// Bounds of GET /account/activity?limit=N.
const (
	DefaultActivityLimit = 50
	MaxActivityLimit     = 200
)

// ActivityResponse answers GET /account/activity: the newest attempts
// first, at most the limit asked for.
type ActivityResponse struct {
	Attempts []SignInAttempt `json:"attempts"`
}

// ReportResponse answers POST /account/activity/{id}/report: every
// session of the user ended, and the helpdesk was told when the
// organisation gave an address for it.
type ReportResponse struct {
	SignedOut    int  `json:"signed_out"`
	HelpdeskTold bool `json:"helpdesk_told"`
}
