package server

import (
	"context"
	"errors"
	"fmt"
	"time"

	"selfservice/api"
)

// DemoAccounts are the accounts SeedDemo made, with what a newcomer needs
// to sign in. They are demo data: never use them on a real server.
type DemoAccounts struct {
	Users []DemoUser
}

// DemoUser is one demo account. TOTPSecret is the base32 secret of its
// ACTIVE TOTP token (SHA1, 6 digits, 30 s).
type DemoUser struct {
	Username, Password, TOTPSecret string
}

// demoUsers are the seeded accounts.
var demoUsers = []struct {
	username, displayName, role, password string
}{
	{"demo", "Demo Employee", RoleEmployee, "demo-password"},
	{"helpdesk", "Demo Helpdesk", RoleHelpdesk, "helpdesk-password"},
}

// templateTOTP is the id of the default TOTP template (see migrations).
const templateTOTP = "totp-app"

// SeedDemo makes the demo accounts, each with an ACTIVE TOTP token, unless
// they exist; either way it returns their passwords and token secrets.
// The token templates come with every database (migrations).
func SeedDemo(ctx context.Context, store Store) (DemoAccounts, error) {
	var out DemoAccounts
	for _, d := range demoUsers {
		id, err := demoUserID(ctx, store, d.username, d.displayName, d.role, d.password)
		if err != nil {
			return DemoAccounts{}, err
		}
		secret, err := demoSecret(ctx, store, id)
		if err != nil {
			return DemoAccounts{}, err
		}
		out.Users = append(out.Users, DemoUser{Username: d.username, Password: d.password, TOTPSecret: secret})
	}
	return out, nil
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
