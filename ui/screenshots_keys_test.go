package ui

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestScreenshotsOfSecurityKeys(t *testing.T) {
	f := newFixture(t, keysOptions(newVirtualKey(t, nil)))
	m := f.signIn("demo")

	var shots []string
	capture := func(name string) error {
		shots = append(shots, name)
		return nil
	}
	wait := func(what string, cond func() bool) error {
		if !f.queue.waitUntil(15*time.Second, cond) {
			return errors.New("timed out waiting for " + what)
		}
		return nil
	}
	codes := newDemoCodes()
	codes.use(m.tokens.tokens[0].ID, f.demoUser("demo").TOTPSecret)
	codes.last[f.demoUser("demo").TOTPSecret] = time.Now().Unix() / demoStep // the sign-in's code
	if err := screenshotSecurityKeys(m, codes.stepUp(f.session), capture, wait); err != nil {
		t.Fatal(err)
	}

	if want := []string{"security-keys", "security-keys-passkeys"}; !slices.Equal(shots, want) {
		t.Errorf("shots %v, want %v", shots, want)
	}
	p := m.keys.key.passkeys
	if len(p.rows) != 2 || !slices.ContainsFunc(p.rows, func(r *passkeyRow) bool { return r.mine }) {
		t.Errorf("the passkeys shot lists %d passkeys; want 2, one of them the account's", len(p.rows))
	}
}
