package hw

import (
	"context"
	"crypto/sha256"
	"testing"
)

// BenchmarkSoftwareCeremonies measures the virtual security key's two
// ceremonies: registering a credential and signing in with it.
func BenchmarkSoftwareCeremonies(b *testing.B) {
	ctx := context.Background()
	hash := sha256.Sum256([]byte(`{"type":"webauthn.create"}`))
	rp := RelyingParty{ID: "localhost", Name: "Selfservice"}
	user := User{ID: []byte("user-handle"), Name: "demo", DisplayName: "Demo"}

	b.Run("MakeCredential", func(b *testing.B) {
		key, err := NewSoftware(SoftwareOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := key.MakeCredential(ctx, MakeCredentialRequest{ClientDataHash: hash[:], RP: rp, User: user}, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("GetAssertion", func(b *testing.B) {
		key, err := NewSoftware(SoftwareOptions{})
		if err != nil {
			b.Fatal(err)
		}
		att, err := key.MakeCredential(ctx, MakeCredentialRequest{ClientDataHash: hash[:], RP: rp, User: user}, nil)
		if err != nil {
			b.Fatal(err)
		}
		req := GetAssertionRequest{RPID: rp.ID, ClientDataHash: hash[:], Allow: [][]byte{att.CredentialID}}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := key.GetAssertion(ctx, req, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
