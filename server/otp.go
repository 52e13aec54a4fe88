package server

import (
	"crypto/subtle"
	"encoding/base32"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"

	"selfservice/api"
)

// How far from the expected code the server looks.
const (
	totpWindow       = 1   // time steps either side of now when checking a code
	totpResyncWindow = 10  // time steps either side of now when resynchronising
	hotpLookAhead    = 10  // counter values ahead when checking a code
	hotpResyncWindow = 100 // counter values ahead when resynchronising
	secretLen        = 20  // bytes of a new token secret (160 bits, as RFC 4226 recommends)
)

var base32NoPad = base32.StdEncoding.WithPadding(base32.NoPadding)

// secretBase32 is how a secret is shown to the user and put in otpauth URIs.
func secretBase32(secret []byte) string {
	return base32NoPad.EncodeToString(secret)
}

// codeAt computes the token's code for a counter value (HOTP) or time
// step (TOTP).
func codeAt(t *TokenRecord, counter int64) string {
	alg := otp.AlgorithmSHA1
	switch t.Algorithm {
	case "SHA256":
		alg = otp.AlgorithmSHA256
	case "SHA512":
		alg = otp.AlgorithmSHA512
	}
	code, err := hotp.GenerateCodeCustom(secretBase32(t.Secret), uint64(counter), hotp.ValidateOpts{
		Digits:    otp.Digits(t.Digits),
		Algorithm: alg,
	})
	if err != nil {
		return "" // only for a secret that is not base32, which cannot happen here
	}
	return code
}

// codeMatches compares in constant time.
func codeMatches(t *TokenRecord, counter int64, code string) bool {
	if counter < 0 {
		return false
	}
	want := codeAt(t, counter)
	return want != "" && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1
}

// timeStep is the TOTP time step of now.
func timeStep(t *TokenRecord, now time.Time) int64 {
	period := int64(t.Period)
	if period <= 0 {
		period = 30
	}
	return now.Unix() / period
}

// checkCode verifies a code and, when it is good, records it as used so
// that it cannot be used again. It returns otp_invalid or otp_replayed.
func checkCode(t *TokenRecord, code string, now time.Time) error {
	if t.Type == api.TypeHOTP {
		return checkHOTP(t, code)
	}
	return checkTOTP(t, code, now)
}

func checkTOTP(t *TokenRecord, code string, now time.Time) error {
	center := timeStep(t, now) + t.Drift
	replayed := false
	for step := center - totpWindow; step <= center+totpWindow; step++ {
		if !codeMatches(t, step, code) {
			continue
		}
		if step <= t.LastStep {
			replayed = true
			continue
		}
		t.LastStep = step
		return nil
	}
	if replayed {
		return errOTPReplayed()
	}
	return errOTPInvalid()
}

func checkHOTP(t *TokenRecord, code string) error {
	for c := t.Counter; c < t.Counter+hotpLookAhead; c++ {
		if codeMatches(t, c, code) {
			t.Counter = c + 1
			return nil
		}
	}
	for c := t.Counter - hotpLookAhead; c < t.Counter; c++ {
		if codeMatches(t, c, code) {
			return errOTPReplayed()
		}
	}
	return errOTPInvalid()
}

// resync re-aligns the token with the device from two consecutive codes,
// searching a much wider window than checkCode.
func resync(t *TokenRecord, code1, code2 string, now time.Time) error {
	if t.Type == api.TypeHOTP {
		return resyncHOTP(t, code1, code2)
	}
	return resyncTOTP(t, code1, code2, now)
}

func resyncTOTP(t *TokenRecord, code1, code2 string, now time.Time) error {
	current := timeStep(t, now)
	replayed := false
	for step := current - totpResyncWindow; step <= current+totpResyncWindow; step++ {
		if !codeMatches(t, step, code1) || !codeMatches(t, step+1, code2) {
			continue
		}
		if step <= t.LastStep { // either code was accepted before
			replayed = true
			continue
		}
		t.LastStep = step + 1
		t.Drift = step + 1 - current
		return nil
	}
	if replayed {
		return errOTPReplayed()
	}
	return errResyncFailed()
}

func resyncHOTP(t *TokenRecord, code1, code2 string) error {
	for c := t.Counter; c < t.Counter+hotpResyncWindow; c++ {
		if codeMatches(t, c, code1) && codeMatches(t, c+1, code2) {
			t.Counter = c + 2
			return nil
		}
	}
	return errResyncFailed()
}

// otpauthURI is the provisioning URI an authenticator app reads from the
// QR code, in Google's Key Uri Format: the label is "issuer:account", the
// issuer (the organisation) repeated as the issuer parameter, and the
// account the username followed by the method's name in brackets when the
// user gave one, so that two methods of one account stay apart in the
// app, e.g.
// otpauth://totp/Example%20Corp:demo%20%28Work%20phone%29?secret=…&issuer=Example%20Corp&algorithm=SHA1&digits=6&period=30.
func otpauthURI(issuer, username string, t *TokenRecord) string {
	var b strings.Builder
	b.WriteString("otpauth://" + string(t.Type) + "/" + uriEscape(issuer) + ":" + uriEscape(otpAccount(username, t.Description)))
	b.WriteString("?secret=" + secretBase32(t.Secret))
	b.WriteString("&issuer=" + uriEscape(issuer))
	b.WriteString("&algorithm=" + t.Algorithm)
	b.WriteString("&digits=" + strconv.Itoa(t.Digits))
	if t.Type == api.TypeHOTP {
		b.WriteString("&counter=" + strconv.FormatInt(t.Counter, 10))
	} else {
		b.WriteString("&period=" + strconv.Itoa(t.Period))
	}
	return b.String()
}

// otpAccount is the account part of an otpauth label: the username, and
// the method's name in brackets. The format allows no colon in it, even
// escaped, so a colon in the name becomes a space.
func otpAccount(username, name string) string {
	name = strings.Join(strings.Fields(strings.ReplaceAll(name, ":", " ")), " ")
	username = strings.ReplaceAll(username, ":", " ")
	if name == "" {
		return username
	}
	return username + " (" + name + ")"
}

// uriEscape escapes for both the label and the query of an otpauth URI;
// spaces become %20, which every authenticator app reads.
func uriEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}
