package authenticator

import (
	"errors"
	"net/url"
	"strings"
)

// The URIs the desktop hands the app, in QR codes and links.
const (
	scheme        = "selfservice-push"
	hostProvision = "provision" // selfservice-push://provision?server=…&code=…&user=…
	hostLogin     = "login"     // selfservice-push://login?server=…&request=…&challenge=…
)

// provisioning is a parsed provisioning payload.
type provisioning struct {
	server, code, user string
}

// qrLogin is a parsed QR sign-in.
type qrLogin struct {
	server, request, challenge string
}

// Errors for URIs that are not what the call needs. Their messages say
// what to do.
var (
	ErrNotAuthenticatorURI = errors.New("this is not a Selfservice Authenticator code: it must start with " + scheme + "://. Scan the QR code the Selfservice app on your computer shows")
	ErrLoginURI            = errors.New("this QR code signs in on a computer; it does not set up the app. Use scan with it, or ask the desktop for the set-up QR code")
	ErrProvisioningURI     = errors.New("this QR code sets up the app; it does not sign in. Use provision with it")
)

// parseURI checks the scheme and kind (host) of an app URI and returns
// its query.
func parseURI(raw, wantHost string) (url.Values, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || !strings.EqualFold(u.Scheme, scheme) {
		return nil, ErrNotAuthenticatorURI
	}
	switch host := strings.ToLower(u.Host); {
	case host == wantHost:
		return u.Query(), nil
	case host == hostLogin:
		return nil, ErrLoginURI
	case host == hostProvision:
		return nil, ErrProvisioningURI
	}
	return nil, ErrNotAuthenticatorURI
}

func parseProvisioning(raw string) (provisioning, error) {
	q, err := parseURI(raw, hostProvision)
	if err != nil {
		return provisioning{}, err
	}
	p := provisioning{server: q.Get("server"), code: q.Get("code"), user: q.Get("user")}
	if p.server == "" || p.code == "" {
		return provisioning{}, errors.New("the set-up code is incomplete (no server or code). Scan the whole QR code again, or ask the desktop for a new one")
	}
	return p, nil
}

func parseQRLogin(raw string) (qrLogin, error) {
	q, err := parseURI(raw, hostLogin)
	if err != nil {
		return qrLogin{}, err
	}
	l := qrLogin{server: q.Get("server"), request: q.Get("request"), challenge: q.Get("challenge")}
	if l.server == "" || l.request == "" || l.challenge == "" {
		return qrLogin{}, errors.New("the sign-in QR code is incomplete. Scan the whole code again, or show a new one on the computer")
	}
	return l, nil
}

// sameServer reports whether two server addresses name the same server.
func sameServer(a, b string) bool {
	norm := func(s string) string { return strings.ToLower(strings.TrimRight(strings.TrimSpace(s), "/")) }
	return norm(a) == norm(b)
}
