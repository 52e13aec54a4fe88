package ui

import (
	"context"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"selfservice/app"
	"selfservice/hw"
	"selfservice/server"
)

// addPasskey stores a passkey for another website on key.
func addPasskey(t *testing.T, key *hw.Software, rpID, userName string) {
	t.Helper()
	_, err := key.MakeCredential(context.Background(), hw.MakeCredentialRequest{
		ClientDataHash:   make([]byte, 32),
		RP:               hw.RelyingParty{ID: rpID, Name: rpID},
		User:             hw.User{ID: []byte(userName), Name: userName},
		ResidentKey:      true,
		UserVerification: true,
		PIN:              keyPIN,
	}, nil)
	if err != nil {
		t.Fatalf("store a passkey for %s: %v", rpID, err)
	}
}

// passkeyRowFor finds the row of the passkey for rpID.
func passkeyRowFor(t *testing.T, p *passkeysTab, rpID string) *passkeyRow {
	t.Helper()
	i := slices.IndexFunc(p.rows, func(r *passkeyRow) bool { return r.rp.ID == rpID })
	if i < 0 {
		t.Fatalf("no passkey for %s among %d", rpID, len(p.rows))
	}
	return p.rows[i]
}

func TestPasskeysOfTheAccountAreMarkedAndOthersCanBeDeleted(t *testing.T) {
	key := withPIN(t, newVirtualKey(t, nil))
	f := newFixture(t, keysOptions(key))
	m := f.signIn("demo")

	// The account's passkey, enrolled through the server.
	ctx := context.Background()
	var enrollment *app.KeyEnrollment
	err := f.withStepUp(f.demoUser("demo").TOTPSecret, func(ctx context.Context) error {
		var err error
		enrollment, err = f.session.EnrollKey(ctx, "fido2-passkey", "Desk key")
		return err
	})
	if err != nil {
		t.Fatalf("EnrollKey: %v", err)
	}
	if _, err := f.session.RegisterKey(ctx, enrollment, key, keyPIN, nil); err != nil {
		t.Fatalf("RegisterKey: %v", err)
	}
	addPasskey(t, key, "example.org", "alice@example.org")

	m.nav.Select(m.areaIndex("Security keys"))
	d := f.keyShown(m.keys)
	f.selectTab(d, "Passkeys")
	p := d.passkeys
	f.waitFor("the PIN gate", func() bool { return showsText(p.state, "enter its PIN") })

	f.unlock(p.gate, "0000")
	f.waitFor("the wrong PIN", func() bool { return p.gate.pinErr.Visible() })
	if got, want := p.gate.pinErr.Text, "7 attempts are left"; !contains(got, want) {
		t.Errorf("PIN error %q, want %q", got, want)
	}

	f.unlock(p.gate, keyPIN)
	f.waitFor("the passkeys", func() bool { return p.loaded })
	if len(p.rows) != 2 {
		t.Fatalf("%d passkeys listed, want 2", len(p.rows))
	}
	mine := passkeyRowFor(t, p, server.DefaultRPID)
	other := passkeyRowFor(t, p, "example.org")
	if !mine.mine || other.mine {
		t.Errorf("marked as this account: %s %v, example.org %v; want only the account's passkey", server.DefaultRPID, mine.mine, other.mine)
	}
	if !showsText(p.state, "This account") || !showsText(p.state, "demo") || !showsText(p.state, "alice@example.org") {
		t.Error("the list does not show the users and the This account mark")
	}

	// Deleting the account's passkey warns; cancelling keeps it.
	test.Tap(mine.delete)
	if !showsText(p.dialog.content, "sign-in method of your account") {
		t.Error("deleting the account's passkey does not warn")
	}
	test.Tap(p.dialog.dismiss)

	test.Tap(other.delete)
	test.Tap(p.dialog.confirm)
	f.waitFor("the deletion", func() bool { return p.loaded && len(p.rows) == 1 })
	if got, want := p.notice.message(), "passkey for example.org is deleted"; !contains(got, want) {
		t.Errorf("notice %q, want %q", got, want)
	}
	rps, err := key.Credentials(ctx, keyPIN)
	if err != nil || len(rps) != 1 || rps[0].RP.ID != server.DefaultRPID {
		t.Errorf("passkeys on the key = %+v, %v; want only the account's", rps, err)
	}

	// The PIN was asked once for the key.
	f.selectTab(d, "Fingerprints")
	f.waitFor("the fingerprints", func() bool { return d.fingerprints.loaded })
}

func TestPasskeysAreNotMarkedWhenSignedOut(t *testing.T) {
	key := withPIN(t, newVirtualKey(t, nil))
	f := newFixture(t, keysOptions(key))
	m := f.signIn("demo")
	ctx := context.Background()
	var enrollment *app.KeyEnrollment
	err := f.withStepUp(f.demoUser("demo").TOTPSecret, func(ctx context.Context) error {
		var err error
		enrollment, err = f.session.EnrollKey(ctx, "fido2-passkey", "Desk key")
		return err
	})
	if err != nil {
		t.Fatalf("EnrollKey: %v", err)
	}
	if _, err := f.session.RegisterKey(ctx, enrollment, key, keyPIN, nil); err != nil {
		t.Fatalf("RegisterKey: %v", err)
	}
	test.Tap(m.signOut)

	d := f.keyShown(f.openSecurityKeys())
	f.selectTab(d, "Passkeys")
	f.unlock(d.passkeys.gate, keyPIN)
	f.waitFor("the passkeys", func() bool { return d.passkeys.loaded })
	if len(d.passkeys.rows) != 1 || d.passkeys.rows[0].mine {
		t.Errorf("passkeys %d, first marked %v; want one, not marked while signed out", len(d.passkeys.rows), len(d.passkeys.rows) > 0 && d.passkeys.rows[0].mine)
	}
}

func TestPasskeysNeedAPINFirst(t *testing.T) {
	f := newFixture(t, keysOptions(newVirtualKey(t, nil)))
	d := f.keyShown(f.openSecurityKeys())
	f.selectTab(d, "Passkeys")
	if !showsText(d.passkeys.state, "this key has no PIN yet") {
		t.Error("the Passkeys tab of a key without PIN does not say a PIN is needed")
	}
}
