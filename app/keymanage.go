package app

import (
	"encoding/base64"
	"strings"

	"selfservice/api"
)

// CredentialIDs is a set of credential IDs, to tell which passkeys on a
// key belong to the signed-in account.
type CredentialIDs map[string]struct{}

// AccountCredentials returns the credential IDs of the FIDO2 tokens
// among tokens (api.Credential.ID, base64url).
func AccountCredentials(tokens []api.Token) CredentialIDs {
	ids := CredentialIDs{}
	for _, t := range tokens {
		if t.Type != api.TypeFIDO2 || t.Credential == nil {
			continue
		}
		id, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(t.Credential.ID, "="))
		if err != nil || len(id) == 0 {
			continue
		}
		ids[string(id)] = struct{}{}
	}
	return ids
}

// Contains reports whether id, as the key lists it, is in the set.
func (c CredentialIDs) Contains(id []byte) bool {
	_, ok := c[string(id)]
	return ok
}
