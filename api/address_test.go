package api

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeAddressPhone(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"+4915112345678", "+4915112345678", true},
		{" +49 (151) 123-45.678 ", "+4915112345678", true},
		{"+1 202 555 0123", "+12025550123", true},
		{"+[44] 20/7946 0958", "+442079460958", true},
		{"+1234567", "+1234567", false},                   // 7 digits
		{"+1234567890123456", "+1234567890123456", false}, // 16 digits
		{"015112345678", "015112345678", false},           // no country code
		{"004915112345678", "004915112345678", false},
		{"+04915112345678", "+04915112345678", false}, // country codes do not start with 0
		{"+49151abc5678", "+49151abc5678", false},
		{"++4915112345678", "++4915112345678", false},
		{"", "", false},
	} {
		got, err := NormalizeAddress(ChannelSMS, c.in)
		if c.ok && (err != nil || got != c.want) {
			t.Errorf("NormalizeAddress(sms, %q) = %q, %v; want %q", c.in, got, err, c.want)
		}
		if !c.ok && (err == nil || got != "") {
			t.Errorf("NormalizeAddress(sms, %q) = %q, %v; want an error", c.in, got, err)
		}
		if n := NormalizePhone(c.in); n != c.want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", c.in, n, c.want)
		}
	}
}

func TestNormalizeAddressEmail(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"dana@example.com", "dana@example.com", true},
		{"  Dana.Smith@Example.COM ", "Dana.Smith@example.com", true},
		{"a+tag@mail.example.org", "a+tag@mail.example.org", true},
		{"élise@exemple.fr", "élise@exemple.fr", true},
		{"dana@localhost", "", false},    // no dot in the domain
		{"dana@@example.com", "", false}, // two @
		{"dana@exa@mple.com", "", false}, // two @
		{"dana", "", false},              // no @
		{"@example.com", "", false},      // no local part
		{"Dana <dana@example.com>", "", false},
		{"dana smith@example.com", "", false},
		{"dana@example..com", "", false},
		{"dana@-example.com", "", false},
		{"dana@[192.0.2.1]", "", false},
		{"dana@example.com.", "", false},
		{"", "", false},
	} {
		got, err := NormalizeAddress(ChannelEmail, c.in)
		if c.ok != (err == nil) || got != c.want {
			t.Errorf("NormalizeAddress(email, %q) = %q, %v; want %q (valid %v)", c.in, got, err, c.want, c.ok)
		}
	}
}

func TestNormalizeAddressSaysHowToWriteIt(t *testing.T) {
	for _, c := range []struct{ channel, in, example string }{
		{ChannelSMS, "", "+4915112345678"},
		{ChannelSMS, "0151 1234 5678", "+4915112345678"},
		{ChannelEmail, "", "name@example.com"},
		{ChannelEmail, "dana(at)example.com", "name@example.com"},
	} {
		_, err := NormalizeAddress(c.channel, c.in)
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeInvalidRequest {
			t.Fatalf("NormalizeAddress(%s, %q) = %v; want invalid_request", c.channel, c.in, err)
		}
		if msg := e.FieldErrors()["address"]; !strings.Contains(msg, c.example) {
			t.Errorf("NormalizeAddress(%s, %q) says %q on address; want an example like %s", c.channel, c.in, msg, c.example)
		}
	}
	if _, err := NormalizeAddress("", "+4915112345678"); err == nil {
		t.Error("NormalizeAddress without a channel succeeded; want an error")
	}
}

func TestTokenTypeChannel(t *testing.T) {
	for typ, want := range map[TokenType]string{TypeSMS: ChannelSMS, TypeEmail: ChannelEmail, TypeTOTP: "", TypePush: "", TypeFIDO2: ""} {
		if got := typ.Channel(); got != want {
			t.Errorf("%s.Channel() = %q, want %q", typ, got, want)
		}
	}
}

func TestChangeAddressRequestNeedsAnAddress(t *testing.T) {
	if err := (ChangeAddressRequest{Address: " "}).Validate(); err == nil {
		t.Error("Validate of a blank address succeeded; want an error")
	}
	if err := (ChangeAddressRequest{Address: "dana@example.com"}).Validate(); err != nil {
		t.Errorf("Validate = %v; want nil", err)
	}
}

func TestSentCodeTokensCannotResync(t *testing.T) {
	for _, typ := range []TokenType{TypeSMS, TypeEmail} {
		tok := Token{Type: typ, Status: StatusActive, Deletable: true}
		if err := tok.Check(ActionResync); !errors.Is(err, ErrNotSupported) {
			t.Errorf("%s: Check(resync) = %v; want not_supported", typ, err)
		}
		for _, a := range []TokenAction{ActionTest, ActionDisable, ActionRename, ActionDelete} {
			if err := tok.Check(a); err != nil {
				t.Errorf("%s: Check(%s) = %v; want nil", typ, a, err)
			}
		}
		if err := (Token{Type: typ, Status: StatusPending}).Check(ActionActivate); err != nil {
			t.Errorf("%s: Check(activate) of a PENDING token = %v; want nil", typ, err)
		}
	}
}
