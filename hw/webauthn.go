package hw

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// ErrRPIDMismatch: the relying party ID is not the origin's host or a
// parent domain of it, so no relying party could accept the answer. It
// points at the server's configuration.
var ErrRPIDMismatch = errors.New("relying party id does not match the origin")

// Register creates a credential on a as navigator.credentials.create would
// in a browser at origin, and returns the PublicKeyCredential JSON the
// relying party verifies (RegistrationResponseJSON).
//
// optionsJSON is PublicKeyCredentialCreationOptions in its JSON form, or
// an object holding it under "publicKey". An empty origin means
// "https://<rp.id>". pin may be empty; a key that needs one reports
// PINNeeded and the call returns ErrPINRequired, to be repeated with the
// PIN. The options' timeout bounds the wait for the key (ErrTimeout).
// When the relying party asks for no attestation ("none", the default) the
// attestation statement is dropped, as browsers do.
func Register(ctx context.Context, a Authenticator, optionsJSON []byte, origin, pin string, events func(Event)) ([]byte, error) {
	var opts creationOptions
	if err := parseOptions(optionsJSON, &opts); err != nil {
		return nil, fmt.Errorf("read creation options: %w", err)
	}
	origin, err := resolveOrigin(origin, opts.RP.ID)
	if err != nil {
		return nil, err
	}
	return register(ctx, a, opts, origin, pin, events)
}

// register is Register after the origin check.
func register(ctx context.Context, a Authenticator, opts creationOptions, origin, pin string, events func(Event)) ([]byte, error) {
	if len(opts.Challenge) == 0 || len(opts.User.ID) == 0 {
		return nil, errors.New("read creation options: challenge and user id are required")
	}
	ctx, cancel := withTimeoutMillis(ctx, opts.Timeout)
	defer cancel()

	info, err := a.Info(ctx)
	if err != nil {
		return nil, err
	}
	sel := opts.AuthenticatorSelection
	uv, err := wantUserVerification(sel.UserVerification, info)
	if err != nil {
		return nil, err
	}
	rk := sel.ResidentKey == "required" || (sel.ResidentKey == "" && sel.RequireResidentKey) ||
		(sel.ResidentKey == "preferred" && info.SupportsResidentKeys())
	if rk && !info.SupportsResidentKeys() {
		return nil, fmt.Errorf("discoverable credential: %w", ErrNotSupported)
	}

	clientData, err := clientDataJSON("webauthn.create", opts.Challenge, origin)
	if err != nil {
		return nil, err
	}
	hash := sha256.Sum256(clientData)
	req := MakeCredentialRequest{
		ClientDataHash:   hash[:],
		RP:               RelyingParty{ID: opts.RP.ID, Name: opts.RP.Name},
		User:             User{ID: opts.User.ID, Name: opts.User.Name, DisplayName: opts.User.DisplayName},
		ResidentKey:      rk,
		UserVerification: uv,
		PIN:              pin,
	}
	for _, p := range opts.PubKeyCredParams {
		if p.Type == "public-key" {
			req.Algorithms = append(req.Algorithms, p.Alg)
		}
	}
	for _, c := range opts.ExcludeCredentials {
		req.Exclude = append(req.Exclude, c.ID)
	}

	att, err := a.MakeCredential(ctx, req, events)
	if err != nil {
		return nil, err
	}
	if opts.Attestation == "" || opts.Attestation == "none" {
		att = att.WithoutStatement()
	}
	object, err := att.Object()
	if err != nil {
		return nil, err
	}
	transports := info.Transports
	if transports == nil {
		transports = []string{}
	}
	return json.Marshal(newPublicKeyCredential(att.CredentialID, attestationResponse{
		ClientDataJSON:    clientData,
		AttestationObject: object,
		Transports:        transports,
	}))
}

// Authenticate signs in with a credential on a as navigator.credentials.get
// would in a browser at origin, and returns the PublicKeyCredential JSON
// the relying party verifies (AuthenticationResponseJSON).
//
// optionsJSON is PublicKeyCredentialRequestOptions in its JSON form, or an
// object holding it under "publicKey". With no allowCredentials the key
// uses a discoverable credential (username-less sign-in) and the response
// carries its userHandle. An empty origin means "https://<rpId>"; an empty
// rpId means the origin's host. pin, events and the timeout work as in
// Register.
func Authenticate(ctx context.Context, a Authenticator, optionsJSON []byte, origin, pin string, events func(Event)) ([]byte, error) {
	var opts requestOptions
	if err := parseOptions(optionsJSON, &opts); err != nil {
		return nil, fmt.Errorf("read request options: %w", err)
	}
	if opts.RPID == "" && origin != "" {
		u, err := url.Parse(origin)
		if err != nil {
			return nil, fmt.Errorf("origin %q: %w", origin, err)
		}
		opts.RPID = u.Hostname()
	}
	origin, err := resolveOrigin(origin, opts.RPID)
	if err != nil {
		return nil, err
	}
	return authenticate(ctx, a, opts, origin, pin, events)
}

// authenticate is Authenticate after the origin check.
func authenticate(ctx context.Context, a Authenticator, opts requestOptions, origin, pin string, events func(Event)) ([]byte, error) {
	if len(opts.Challenge) == 0 {
		return nil, errors.New("read request options: challenge is required")
	}
	ctx, cancel := withTimeoutMillis(ctx, opts.Timeout)
	defer cancel()

	info, err := a.Info(ctx)
	if err != nil {
		return nil, err
	}
	uv, err := wantUserVerification(opts.UserVerification, info)
	if err != nil {
		return nil, err
	}
	clientData, err := clientDataJSON("webauthn.get", opts.Challenge, origin)
	if err != nil {
		return nil, err
	}
	hash := sha256.Sum256(clientData)
	req := GetAssertionRequest{RPID: opts.RPID, ClientDataHash: hash[:], UserVerification: uv, PIN: pin}
	for _, c := range opts.AllowCredentials {
		req.Allow = append(req.Allow, c.ID)
	}

	assertion, err := a.GetAssertion(ctx, req, events)
	if err != nil {
		return nil, err
	}
	return json.Marshal(newPublicKeyCredential(assertion.CredentialID, assertionResponse{
		ClientDataJSON:    clientData,
		AuthenticatorData: assertion.AuthData,
		Signature:         assertion.Signature,
		UserHandle:        assertion.UserHandle,
	}))
}

// wantUserVerification turns a UserVerificationRequirement into whether to
// ask the key to verify the user: "required" needs a key that can,
// "preferred" (the default) verifies when the key can, "discouraged" never.
func wantUserVerification(requirement string, info Info) (bool, error) {
	switch requirement {
	case "required":
		switch {
		case info.CanVerifyUser():
			return true, nil
		case info.SupportsPIN():
			return false, ErrPINNotSet
		default:
			return false, fmt.Errorf("user verification: %w", ErrNotSupported)
		}
	case "discouraged":
		return false, nil
	default:
		return info.CanVerifyUser(), nil
	}
}

// resolveOrigin returns the origin to put in the client data: origin
// without a trailing slash, or "https://<rpID>" when origin is empty. It
// refuses an RP ID that is neither the origin's host nor a parent domain of
// it, as browsers do. (Like a browser without the public suffix list, it
// does not stop an RP ID such as "com".)
func resolveOrigin(origin, rpID string) (string, error) {
	if rpID == "" {
		return "", errors.New("read options: relying party id is required")
	}
	if origin == "" {
		return "https://" + rpID, nil
	}
	origin = strings.TrimSuffix(origin, "/")
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", fmt.Errorf("origin %q is not an http(s) origin", origin)
	}
	host := strings.ToLower(u.Hostname())
	id := strings.ToLower(rpID)
	if host != id && !strings.HasSuffix(host, "."+id) {
		return "", fmt.Errorf("rp id %q, origin %q: %w", rpID, origin, ErrRPIDMismatch)
	}
	return origin, nil
}

// withTimeoutMillis bounds ctx by a WebAuthn timeout in milliseconds; zero
// or less leaves it as is.
func withTimeoutMillis(ctx context.Context, millis int) (context.Context, context.CancelFunc) {
	if millis <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, time.Duration(millis)*time.Millisecond)
}
