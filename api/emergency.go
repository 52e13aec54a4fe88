package api

import (
	"strings"
	"time"
)

// Emergency access codes let a user who lost their tokens sign in and
// confirm actions. Helpdesk staff (PrivEmergencyIssue) or an
// administrator issue one with a validity and a number of uses; it is
// shown once, and the server keeps only its hash. A user has at most one
// usable code: issuing a new one replaces it, and enrolling or
// activating a token deactivates it.

// EmergencyTokenID is the token id of the emergency access code in the
// methods of sign-in and step-up.
const EmergencyTokenID = "emergency"

// EmergencyAlphabet is the characters of an emergency access code: base32
// without the look-alikes I, O, 0 and 1.
const EmergencyAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// EmergencyCodeLen is the number of characters of a code (80 bits); it
// is shown in groups of four: "ABCD-EFGH-JKLM-NPQR".
const EmergencyCodeLen = 16

// Limits of an issued code.
const (
	MaxEmergencyValidHours = 720 // 30 days
	MaxEmergencyUses       = 10
)

// IssueEmergencyCodeRequest issues an emergency access code to another
// user, POST /users/{username}/emergency-code.
type IssueEmergencyCodeRequest struct {
	ValidForHours int `json:"valid_for_hours"`
	Uses          int `json:"uses"`
}

// EmergencyCodeResponse answers it, the only time the code is shown.
type EmergencyCodeResponse struct {
	Code      string    `json:"code"` // grouped, as FormatEmergencyCode writes it
	ExpiresAt time.Time `json:"expires_at"`
	Uses      int       `json:"uses"`
}

// NormalizeEmergencyCode turns a code as people type or paste it
// ("abcd efgh-jklm npqr") into its plain form ("ABCDEFGHJKLMNPQR").
func NormalizeEmergencyCode(s string) string {
	return strings.ToUpper(NormalizeOTP(s))
}

// FormatEmergencyCode writes a plain code in groups of four joined by
// dashes.
func FormatEmergencyCode(code string) string {
	var b strings.Builder
	for i, r := range code {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ValidEmergencyCode reports whether a normalised code has the form of an
// emergency access code.
func ValidEmergencyCode(code string) bool {
	if len(code) != EmergencyCodeLen {
		return false
	}
	for _, r := range code {
		if !strings.ContainsRune(EmergencyAlphabet, r) {
			return false
		}
	}
	return true
}

// Validate checks the validity and the number of uses of a code to issue.
func (r IssueEmergencyCodeRequest) Validate() error {
	f := fieldErrors{}
	f.check(r.ValidForHours >= 1 && r.ValidForHours <= MaxEmergencyValidHours, "valid_for_hours", "The code is valid for 1 to 720 hours.")
	f.check(r.Uses >= 1 && r.Uses <= MaxEmergencyUses, "uses", "The code can be used 1 to 10 times.")
	return f.err()
}

// emergency checks a proof by emergency access code: the code alone, in
// its normalised form, for the token id EmergencyTokenID (or none).
func (f fieldErrors) emergency(tokenID, code, otp string, hasOtherProof bool) {
	f.check(tokenID == "" || tokenID == EmergencyTokenID, "token_id", "Send an emergency access code only with the emergency access method.")
	f.check(code != "", "emergency_code", "Enter the emergency access code.")
	f.check(otp == "" && !hasOtherProof, "emergency_code", "Send either an emergency access code or a token's proof, not both.")
	f.check(ValidEmergencyCode(code), "emergency_code", "An emergency access code has 16 letters and digits, like ABCD-EFGH-JKLM-NPQR. Check it and type it again.")
}

// EmergencyHolderResponse answers GET /users/{username}/emergency-code:
// who the user is, so that helpdesk staff confirm they have the right
// person before issuing, and the code they hold now, if any (never the
// code itself).
type EmergencyHolderResponse struct {
	Username    string              `json:"username"`
	DisplayName string              `json:"display_name"`
	Current     *EmergencyCodeState `json:"current,omitempty"`
}

// EmergencyCodeState is a usable emergency access code: until when and
// how many more times it works. Issuing a new code replaces it.
type EmergencyCodeState struct {
	ExpiresAt time.Time `json:"expires_at"`
	UsesLeft  int       `json:"uses_left"`
}
