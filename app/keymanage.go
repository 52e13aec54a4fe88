package app

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"

	"selfservice/api"
	"selfservice/hw"
)

// Scan lists the keys present now, like Devices, and also returns the
// errors of the providers that failed, even when others found keys: a
// key this user may not open (no permission, needs administrator) is
// worth telling while the virtual key is listed.
func (k *Keys) Scan(ctx context.Context) ([]hw.DeviceInfo, error) {
	var devices []hw.DeviceInfo
	var errs []error
	for _, p := range k.providers {
		d, err := p.Devices(ctx)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		devices = append(devices, d...)
	}
	return devices, errors.Join(errs...)
}

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
