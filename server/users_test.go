package server

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"selfservice/api"
)

func TestAddUser(t *testing.T) {
	store := openStore(t, filepath.Join(t.TempDir(), "selfservice.db"))
	ctx := context.Background()
	tests := []struct {
		name                            string
		username, display, role, passwd string
		wantField                       string // "" for success
	}{
		{"employee", "alice", "Alice A.", RoleEmployee, testPassword, ""},
		{"helpdesk with default display name", "hd.1", "", RoleHelpdesk, testPassword, ""},
		{"upper-case username", "Bob", "", RoleEmployee, testPassword, "username"},
		{"empty username", "", "", RoleEmployee, testPassword, "username"},
		{"username with a space", "bo b", "", RoleEmployee, testPassword, "username"},
		{"unknown role", "carol", "", "admin", testPassword, "role"},
		{"empty password", "carol", "", RoleEmployee, "", "password"},
		{"short password", "carol", "", RoleEmployee, "1234567", "password"},
		{"long password", "carol", "", RoleEmployee, strings.Repeat("x", api.MaxPasswordLen+1), "password"},
		{"control character in display name", "carol", "Carol\n", RoleEmployee, testPassword, ""},
		{"control character inside display name", "dave", "Da\x00ve", RoleEmployee, testPassword, "display_name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := AddUser(ctx, store, tt.username, tt.display, tt.role, tt.passwd)
			if tt.wantField != "" {
				var apiErr *api.Error
				if !errors.As(err, &apiErr) || apiErr.FieldErrors()[tt.wantField] == "" {
					t.Fatalf("error %v, want a message for %s", err, tt.wantField)
				}
				if apiErr.Message != apiErr.FieldErrors()[tt.wantField] {
					t.Errorf("message %q, want the field's message", apiErr.Message)
				}
				return
			}
			if err != nil {
				t.Fatalf("AddUser: %v", err)
			}
			stored, err := store.UserByUsername(ctx, tt.username)
			if err != nil {
				t.Fatal(err)
			}
			want := api.User{ID: stored.ID, Username: tt.username, DisplayName: strings.TrimSpace(tt.display), Role: tt.role, Enrollment: api.EnrollmentPartial}
			if want.DisplayName == "" {
				want.DisplayName = tt.username
			}
			if !reflect.DeepEqual(u, want) {
				t.Errorf("user = %+v, want %+v", u, want)
			}
			if !strings.HasPrefix(stored.PasswordHash, "$argon2id$v=19$") || strings.Contains(stored.PasswordHash, tt.passwd) {
				t.Errorf("stored password %q is not an argon2id hash", stored.PasswordHash)
			}
		})
	}

	_, err := AddUser(ctx, store, "alice", "", RoleEmployee, testPassword)
	if !errors.Is(err, &api.Error{Code: api.CodeConflict}) || !strings.Contains(err.Error(), "already taken") {
		t.Errorf("adding alice again: %v, want a conflict saying the name is taken", err)
	}
}

func TestPasswordHashing(t *testing.T) {
	hash := hashPassword("s3cret password")
	if ok, err := checkPassword(hash, "s3cret password"); !ok || err != nil {
		t.Errorf("right password: %v, %v; want true", ok, err)
	}
	if ok, err := checkPassword(hash, "s3cret passwore"); ok || err != nil {
		t.Errorf("wrong password: %v, %v; want false", ok, err)
	}
	if other := hashPassword("s3cret password"); other == hash {
		t.Error("two hashes of one password are equal; the salt is missing")
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=18$m=64,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=64,t=0,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=64,t=1,p=1$!!$a2V5"} {
		if _, err := checkPassword(bad, "x"); err == nil {
			t.Errorf("checkPassword(%q) accepted a malformed hash", bad)
		}
	}
}

func TestProductionPasswordCost(t *testing.T) {
	// The fast cost tests use must never be the default.
	if productionCost.memory < 19*1024 || productionCost.time < 2 {
		t.Errorf("production argon2id cost %+v is below OWASP's minimum (19 MiB, 2 passes)", productionCost)
	}
	c, _, _, err := parseHash("$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U")
	if err != nil || c != productionCost {
		t.Errorf("parsed cost %+v (%v), want %+v", c, err, productionCost)
	}
}

func TestSeedDemoIsIdempotent(t *testing.T) {
	store := openStore(t, filepath.Join(t.TempDir(), "selfservice.db"))
	ctx := context.Background()
	first, err := SeedDemo(ctx, store)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ username, password, role string }{
		{"demo", "demo-password", RoleEmployee},
		{"helpdesk", "helpdesk-password", RoleHelpdesk},
	}
	if len(first.Users) != len(want) {
		t.Fatalf("seeded %+v, want %d users", first.Users, len(want))
	}
	for i, w := range want {
		got := first.Users[i]
		if got.Username != w.username || got.Password != w.password || len(got.TOTPSecret) != 32 {
			t.Errorf("user %d = %+v, want %s / %s with a base32 secret", i, got, w.username, w.password)
		}
		u, err := store.UserByUsername(ctx, w.username)
		if err != nil || u.Role != w.role {
			t.Fatalf("user %s: %+v, %v; want role %s", w.username, u, err, w.role)
		}
		if ok, _ := checkPassword(u.PasswordHash, w.password); !ok {
			t.Errorf("%s's password is not %s", w.username, w.password)
		}
		tokens, _ := store.Tokens(ctx, u.ID)
		if len(tokens) != 1 || tokens[0].Status != "ACTIVE" || tokens[0].Type != api.TypeTOTP || secretBase32(tokens[0].Secret) != got.TOTPSecret {
			t.Errorf("%s's tokens = %+v, want one ACTIVE TOTP token with the returned secret", w.username, tokens)
		}
	}

	second, err := SeedDemo(ctx, store)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(second, first) {
		t.Errorf("second SeedDemo = %+v, want %+v", second, first)
	}
	for _, w := range want {
		u, _ := store.UserByUsername(ctx, w.username)
		if tokens, _ := store.Tokens(ctx, u.ID); len(tokens) != 1 {
			t.Errorf("%s has %d tokens after a second SeedDemo, want 1", w.username, len(tokens))
		}
	}
}
