// Package server is the Selfservice reference backend: the JSON API under
// /api/v1 (see api/openapi.yaml), its authentication (password, then a
// one-time code or a FIDO2 security key; or a passkey alone), the token
// rules, the approval process (a policy per approvable operation: a
// step-up with one of the user's tokens, or approval requests decided by
// approvers), the WebAuthn relying party (go-webauthn), and the SQLite
// store behind the Store interface.
//
// Build a server with New, mount Handler, and run it with Serve; StartLocal
// does all of that on a loopback port for the desktop app's demo mode.
package server
