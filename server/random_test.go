package server

import (
	"strings"
	"testing"
)

// Ids are pasted into command lines (selfservice-authenticator approve
// ID): none may look like an option.
func TestRandomTokensNeverStartWithADash(t *testing.T) {
	for range 10_000 {
		if tok := randomToken(16); strings.HasPrefix(tok, "-") || len(tok) != 22 {
			t.Fatalf("randomToken(16) = %q; want 22 characters, not starting with -", tok)
		}
	}
}
