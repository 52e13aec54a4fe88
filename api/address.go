package api

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Addresses that SMS and email codes go to. The app normalises and checks
// an address as the user types it, to say what is wrong next to the
// field; the server does the same again and stores the normalised form.

// Phone numbers are stored in international (E.164) form: "+", a country
// calling code that does not start with 0, and 8 to 15 digits in all.
const (
	minPhoneDigits = 8
	maxPhoneDigits = 15
	maxEmailLen    = 254 // the longest address SMTP can carry (RFC 5321 with RFC 3696 errata)
)

// Messages that say how to write an address, shown next to the field.
const (
	msgPhoneMissing = "Enter your mobile number in international form, such as +4915112345678."
	msgPhoneInvalid = "Write the number in international form: a + and the country code, then the number, 8 to 15 digits in all, such as +4915112345678."
	msgEmailMissing = "Enter your email address, such as name@example.com."
	msgEmailInvalid = "This is not an email address. Write it as name@example.com, without a name or spaces around it."
	msgNoChannel    = "This kind of token has no address."
)

// Channel is the delivery channel of an SMS or email token's codes, or
// "" for a token type that is sent nothing.
func (t TokenType) Channel() string {
	switch t {
	case TypeSMS:
		return ChannelSMS
	case TypeEmail:
		return ChannelEmail
	}
	return ""
}

// NormalizePhone removes what people type inside a phone number to read
// it better: spaces, dashes, dots and brackets ("+49 (151) 123-45.678"
// becomes "+4915112345678"). It does not guess a country code.
func NormalizePhone(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || strings.ContainsRune("-.()[]/", r) {
			return -1
		}
		return r
	}, s)
}

// ValidPhone reports whether a normalised phone number is in
// international form: "+", then 8 to 15 digits not starting with 0.
func ValidPhone(s string) bool {
	digits, ok := strings.CutPrefix(s, "+")
	return ok && len(digits) >= minPhoneDigits && len(digits) <= maxPhoneDigits &&
		isDigits(digits) && digits[0] != '0'
}

// NormalizeEmail trims the spaces around an email address and lower-cases
// its domain, which is not case-sensitive; the part before the @ is kept
// as written, since only the receiving server knows whether its case
// matters.
func NormalizeEmail(s string) string {
	s = strings.TrimSpace(s)
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return s
	}
	return s[:at+1] + strings.ToLower(s[at+1:])
}

// ValidEmail reports whether a normalised email address is a bare address
// (no display name, no angle brackets, no comments) with one @ and a
// domain of at least two dot-separated labels.
func ValidEmail(s string) bool {
	if s == "" || len(s) > maxEmailLen || !utf8.ValidString(s) || strings.Count(s, "@") != 1 {
		return false
	}
	parsed, err := mail.ParseAddress(s)
	if err != nil || parsed.Name != "" || parsed.Address != s {
		return false
	}
	_, domain, _ := strings.Cut(s, "@")
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") || strings.IndexFunc(l, notHostRune) >= 0 {
			return false
		}
	}
	return true
}

// notHostRune reports a rune that no domain label has: labels are
// letters (also non-ASCII ones), digits and hyphens.
func notHostRune(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
}

// NormalizeAddress normalises an address for channel (ChannelSMS or
// ChannelEmail) and checks it. A wrong one gives an invalid_request
// error on the field "address" that says how to write it.
func NormalizeAddress(channel, s string) (string, error) {
	return normalizeAddress(channel, s, "address")
}

// normalizeAddress is NormalizeAddress with the error on field.
func normalizeAddress(channel, s, field string) (string, error) {
	f := fieldErrors{}
	switch channel {
	case ChannelSMS:
		s = NormalizePhone(s)
		f.check(s != "", field, msgPhoneMissing)
		f.check(ValidPhone(s), field, msgPhoneInvalid)
	case ChannelEmail:
		s = NormalizeEmail(s)
		f.check(s != "", field, msgEmailMissing)
		f.check(ValidEmail(s), field, msgEmailInvalid)
	default:
		f.check(false, field, msgNoChannel)
	}
	if err := f.err(); err != nil {
		return "", err
	}
	return s, nil
}

// Validate checks that a new address was given; the server checks its
// form against the token's channel with NormalizeAddress.
func (r ChangeAddressRequest) Validate() error {
	f := fieldErrors{}
	f.check(strings.TrimSpace(r.Address) != "", "address", "Enter the new address.")
	return f.err()
}
