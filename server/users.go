package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"selfservice/api"
)

// AddUser creates a user with an argon2id hash of password. role is
// RoleEmployee or RoleHelpdesk; an empty displayName becomes the
// username. Invalid input fails with an invalid_request *api.Error, a
// taken username with a conflict one; their messages say what to fix.
func AddUser(ctx context.Context, store Store, username, displayName, role, password string) (api.User, error) {
	username = strings.TrimSpace(username)
	displayName = strings.TrimSpace(displayName)
	if displayName == "" {
		displayName = username
	}
	fields := map[string]string{}
	if !api.ValidUsername(username) {
		fields["username"] = "The username must be 1 to 64 characters: lower-case letters, digits, '.', '_', '-' or '@'."
	}
	if utf8.RuneCountInString(displayName) > api.MaxDisplayNameLen || strings.IndexFunc(displayName, unicode.IsControl) >= 0 {
		fields["display_name"] = "The display name must be at most 100 characters, without control characters."
	}
	if _, ok := rolePrivileges[role]; !ok {
		fields["role"] = fmt.Sprintf("The role must be one of: %s.", strings.Join(Roles(), ", "))
	}
	switch {
	case password == "":
		fields["password"] = "The password is empty. Enter a password."
	case len(password) < api.MinPasswordLen:
		fields["password"] = fmt.Sprintf("The password is too short: use at least %d characters.", api.MinPasswordLen)
	case len(password) > api.MaxPasswordLen:
		fields["password"] = fmt.Sprintf("The password is too long: use at most %d characters.", api.MaxPasswordLen)
	}
	if len(fields) > 0 {
		return api.User{}, fieldsError(fields, "username", "display_name", "role", "password")
	}

	u := UserRecord{
		ID:           uuid.NewString(),
		Username:     username,
		DisplayName:  displayName,
		Role:         role,
		PasswordHash: hashPassword(password),
		CreatedAt:    time.Now().UTC(),
	}
	err := store.CreateUser(ctx, u)
	if errors.Is(err, ErrConflict) {
		return api.User{}, &api.Error{
			Code:    api.CodeConflict,
			Message: fmt.Sprintf("The username %q is already taken. Choose another one.", username),
		}
	}
	if err != nil {
		return api.User{}, fmt.Errorf("add user: %w", err)
	}
	return apiUser(u, true), nil
}

// fieldsError is an invalid_request error whose message lists the field
// messages in the given order, so that it reads well on its own too.
func fieldsError(fields map[string]string, order ...string) error {
	e := api.FieldError(fields)
	var msgs []string
	for _, name := range order {
		if msg, ok := fields[name]; ok {
			msgs = append(msgs, msg)
		}
	}
	e.Message = strings.Join(msgs, " ")
	return e
}
