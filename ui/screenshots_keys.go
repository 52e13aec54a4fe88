package ui

import (
	"context"
	"crypto/sha256"
	"errors"
	"slices"

	"fyne.io/fyne/v2/lang"

	"selfservice/api"
	"selfservice/app"
	"selfservice/hw"
)

// screenshotKeyPIN is the PIN of the screenshots' virtual key.
const screenshotKeyPIN = "2468"

// screenshotSecurityKeys shows the Security keys area of the main window
// and captures "security-keys" (the key's overview) and
// "security-keys-passkeys" (its passkeys, unlocked). So that they show a
// key as a user has it, it puts a virtual key of its own in the window's
// options: with a PIN, a passkey of the signed-in account (a security key
// token enrolled on the server's passwordless template, confirmed by
// stepUp when the server asks) and one of another website.
func screenshotSecurityKeys(main *mainScreen, stepUp stepUpRunner, capture func(string) error, wait func(string, func() bool) error) error {
	u := main.ui
	if main.keys == nil {
		return errors.New("screenshots of the Security keys need access to keys")
	}
	key, err := screenshotKey(u.session, stepUp)
	if err != nil {
		return err
	}
	u.opts.Keys = app.NewKeys(key)

	main.nav.Select(main.areaIndex(lang.L("Security keys")))
	s := main.keys
	if err := wait("the virtual key", func() bool { return s.key != nil && s.key.tabs != nil }); err != nil {
		return err
	}
	if err := capture("security-keys"); err != nil {
		return err
	}

	d := s.key
	d.tabs.SelectIndex(1)
	p := d.passkeys
	p.gate.pin.SetText(screenshotKeyPIN)
	p.gate.unlock.OnTapped()
	if err := wait("the passkeys", func() bool { return p.loaded || p.gate.pinErr.Visible() }); err != nil {
		return err
	}
	if !p.loaded {
		return errors.New("the virtual key's passkeys could not be listed: " + p.gate.pinErr.Text)
	}
	return capture("security-keys-passkeys")
}

// screenshotKey is a virtual key with a fingerprint sensor and a PIN,
// holding a passkey of another website and one of the signed-in account.
func screenshotKey(session *app.Session, stepUp stepUpRunner) (*hw.Software, error) {
	ctx := context.Background()
	key, err := hw.NewSoftware(hw.SoftwareOptions{Fingerprints: true})
	if err != nil {
		return nil, err
	}
	if err := key.SetPIN(ctx, screenshotKeyPIN); err != nil {
		return nil, err
	}
	hash := sha256.Sum256([]byte("screenshot"))
	if _, err := key.MakeCredential(ctx, hw.MakeCredentialRequest{
		ClientDataHash:   hash[:],
		RP:               hw.RelyingParty{ID: "wiki.example.com", Name: "Example Wiki"},
		User:             hw.User{ID: []byte("jdoe"), Name: "jdoe@example.com", DisplayName: "J. Doe"},
		ResidentKey:      true,
		UserVerification: true,
		PIN:              screenshotKeyPIN,
	}, nil); err != nil {
		return nil, err
	}

	templates, err := session.Templates(ctx)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(templates, func(t api.TokenTemplate) bool {
		return t.Type == api.TypeFIDO2 && t.WebAuthn != nil && t.WebAuthn.Passwordless && t.Available()
	})
	if i < 0 {
		return nil, errors.New("no passkey template to enroll the virtual key on")
	}
	var enrollment *app.KeyEnrollment
	err = stepUp(ctx, func(ctx context.Context) error {
		var err error
		enrollment, err = session.EnrollKey(ctx, templates[i].ID, "Virtual key")
		return err
	})
	if err != nil {
		return nil, err
	}
	if _, err := session.RegisterKey(ctx, enrollment, key, screenshotKeyPIN, nil); err != nil {
		return nil, err
	}
	return key, nil
}
