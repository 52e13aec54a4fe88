package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"selfservice/api"
)

// DemoAccounts are the accounts SeedDemo made, with what a newcomer needs
// to sign in. They are demo data: never use them on a real server.
type DemoAccounts struct {
	Users    []DemoUser
	Hardware []DemoHardwareToken
}

// DemoUser is one demo account. TOTPSecret is the base32 secret of its
// ACTIVE TOTP token (SHA1, 6 digits, 30 s).
type DemoUser struct {
	Username, Password, TOTPSecret string
}

// DemoHardwareToken is one demo hardware token in the inventory, not
// held by anyone until a user claims it. Secret is its base32 secret: a
// TOTP token (SHA1, 6 digits, 30 s), so that the demo can show the code
// the device would.
type DemoHardwareToken struct {
	Serial, Secret string
}

// demoUsers are the seeded accounts.
var demoUsers = []struct {
	username, displayName, role, password string
	fields                                map[string]string // profile fields set by the organisation (demo_tenant.json)
	contacts                              []ContactRecord   // by the contact fields of demo_tenant.json
}{
	{"demo", "Demo Employee", RoleEmployee, "demo-password",
		map[string]string{"job_title": "Sales representative", "department": "Sales Europe"},
		[]ContactRecord{
			{FieldID: "work_email", Value: "demo@example.com", Preferred: true},
			{FieldID: "mobile", Value: "+4915112345678"},
			{FieldID: "postal_address", Value: "Musterstraße 1, 10115 Berlin"},
		}},
	{"helpdesk", "Demo Helpdesk", RoleHelpdesk, "helpdesk-password",
		map[string]string{"job_title": "IT support specialist", "department": "IT Service Desk"},
		[]ContactRecord{{FieldID: "work_email", Value: "helpdesk@example.com", Preferred: true}}},
}

// demoContacts gives a demo user the contact values of contacts, the
// email addresses and phone numbers verified, unless the user has
// contact values already.
func demoContacts(ctx context.Context, store Store, userID string, contacts []ContactRecord) error {
	have, err := store.Contacts(ctx, userID)
	if err != nil || len(have) > 0 {
		return err
	}
	now := time.Now().UTC()
	for _, c := range contacts {
		c.UserID, c.UpdatedAt = userID, now
		if strings.Contains(c.Value, "@") || strings.HasPrefix(c.Value, "+") {
			c.VerifiedAt = now
		}
		if err := store.SetContact(ctx, c); err != nil {
			return fmt.Errorf("demo contact details: %w", err)
		}
		if c.Preferred {
			if err := store.SetPreferredContact(ctx, userID, c.FieldID); err != nil {
				return fmt.Errorf("demo contact details: %w", err)
			}
		}
	}
	return nil
}

// templateTOTP is the id of the default TOTP template (see migrations).
const templateTOTP = "totp-app"

// SeedDemo makes the demo accounts, each with an ACTIVE TOTP token (and
// the employee with two documents), and imports the demo hardware
// tokens, unless they exist; either way it
// returns the passwords and the secrets. The token templates come with
// every database (migrations).
func SeedDemo(ctx context.Context, store Store) (DemoAccounts, error) {
	var out DemoAccounts
	for _, d := range demoUsers {
		id, err := demoUserID(ctx, store, d.username, d.displayName, d.role, d.password)
		if err != nil {
			return DemoAccounts{}, err
		}
		if err := demoProfile(ctx, store, id, d.fields); err != nil {
			return DemoAccounts{}, err
		}
		secret, err := demoSecret(ctx, store, id)
		if err != nil {
			return DemoAccounts{}, err
		}
		if err := demoContacts(ctx, store, id, d.contacts); err != nil {
			return DemoAccounts{}, err
		}
		if d.role == RoleEmployee {
			if err := seedDemoDocuments(ctx, store, id); err != nil {
				return DemoAccounts{}, err
			}
			if err := seedDemoSessions(ctx, store, id); err != nil {
				return DemoAccounts{}, err
			}
			if err := seedDemoInvitations(ctx, store, id); err != nil {
				return DemoAccounts{}, err
			}
		}
		out.Users = append(out.Users, DemoUser{Username: d.username, Password: d.password, TOTPSecret: secret})
	}
	for _, d := range demoHardware {
		h, err := demoHardwareToken(ctx, store, d.serial, d.secret)
		if err != nil {
			return DemoAccounts{}, err
		}
		out.Hardware = append(out.Hardware, h)
	}
	return out, nil
}

// demoHardware are the seeded hardware tokens: two, so that one is still
// free to claim while the other is held (or being taken back by the
// helpdesk account, which may unassign but not claim). Their secrets are
// fixed and say what they are; they are TOTP, whose codes the demo can
// show at any time (an HOTP code depends on presses nobody makes).
var demoHardware = []struct{ serial, secret string }{
	{"DEMO-HW-1", "DEMO-HW-1 not secret"}, // 20 bytes, as SHA1 wants
	{"DEMO-HW-2", "DEMO-HW-2 not secret"},
}

// demoHardwareToken imports the demo hardware token serial unless it is
// there; held or not, it stays as it is. It returns the secret the
// server holds, so that the codes shown are the ones it accepts.
func demoHardwareToken(ctx context.Context, store Store, serial, secret string) (DemoHardwareToken, error) {
	rec := HardwareTokenRecord{
		Serial:     serial,
		Type:       api.TypeTOTP,
		Secret:     []byte(secret),
		Algorithm:  "SHA1",
		Digits:     6,
		Period:     defaultHardwarePeriod,
		ImportedAt: time.Now().UTC(),
	}
	err := store.AddHardwareToken(ctx, rec)
	if errors.Is(err, ErrConflict) {
		rec, err = store.HardwareToken(ctx, serial)
	}
	if err != nil {
		return DemoHardwareToken{}, fmt.Errorf("seed demo hardware token %s: %w", serial, err)
	}
	return DemoHardwareToken{Serial: rec.Serial, Secret: secretBase32(rec.Secret)}, nil
}

// demoUserID finds the demo user or creates it.
func demoUserID(ctx context.Context, store Store, username, displayName, role, password string) (string, error) {
	u, err := store.UserByUsername(ctx, username)
	if err == nil {
		return u.ID, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return "", err
	}
	created, err := AddUser(ctx, store, username, displayName, role, password)
	if err != nil {
		return "", fmt.Errorf("seed demo user %s: %w", username, err)
	}
	return created.ID, nil
}

// demoProfile sets the profile fields of a demo user that have no value
// yet.
func demoProfile(ctx context.Context, store Store, userID string, fields map[string]string) error {
	_, err := store.UpdateProfile(ctx, userID, func(p *ProfileRecord) error {
		for id, value := range fields {
			if p.Fields[id] == "" {
				p.Fields[id] = value
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("seed demo profile: %w", err)
	}
	return nil
}

// demoSecret returns the secret of the user's first ACTIVE TOTP token,
// making one when there is none.
func demoSecret(ctx context.Context, store Store, userID string) (string, error) {
	tokens, err := store.Tokens(ctx, userID)
	if err != nil {
		return "", err
	}
	for _, t := range tokens {
		if t.Type == api.TypeTOTP && t.Status == api.StatusActive {
			return secretBase32(t.Secret), nil
		}
	}
	tpl, err := store.Template(ctx, templateTOTP)
	if err != nil {
		return "", fmt.Errorf("seed demo token: template %s: %w", templateTOTP, err)
	}
	t := newToken(userID, tpl, "Demo authenticator", api.StatusActive, time.Now().UTC())
	if err := store.CreateToken(ctx, t, 0); err != nil {
		return "", fmt.Errorf("seed demo token: %w", err)
	}
	return secretBase32(t.Secret), nil
}
