// Package hw talks to FIDO2 authenticators: security keys attached to this
// computer (through libfido2) and a software authenticator that stands in
// for a key in tests and in the demo ("virtual security key").
//
// The API is synchronous and context-first. Long operations (making a
// credential, getting an assertion, reset, fingerprint enrollment) block
// until the key answers, report progress through an optional
// func(Event) callback, and stop when the context ends: a cancelled
// context gives ErrCancelled, a passed deadline ErrTimeout. Callers add
// their own goroutines. Event callbacks run on the operation's goroutine
// and must return quickly (a UI hands them to its own thread).
//
// Failures a user can act on are typed errors (see errors.go), produced
// the same way by the libfido2 implementation and by the software
// authenticator, so the UI can switch on them with errors.Is and
// errors.As. Their texts are technical; user-facing messages are the
// UI's job.
//
// Register and Authenticate (webauthn.go) are the client side of WebAuthn
// for a native app: they turn a relying party's options JSON into the
// PublicKeyCredential JSON the relying party verifies.
package hw
