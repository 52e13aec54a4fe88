package keyring_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"selfservice/app"
	"selfservice/app/keyring"
	"selfservice/internal/keyringtest"
)

func TestKeyringSecretService(t *testing.T) {
	if os.Getenv("SELFSERVICE_KEYRING_TEST") != "1" {
		t.Skip("set SELFSERVICE_KEYRING_TEST=1, with a Secret Service on the session bus, to test the OS keyring")
	}
	if keyringtest.InOwnProcess(t) {
		return
	}

	secrets := keyring.New(10 * time.Second)
	account := "https://selfservice.test " + "keyring-test-" + time.Now().Format("150405.000000000")
	t.Cleanup(func() { _ = secrets.Delete(app.AppID, account) })

	if _, err := secrets.Get(app.AppID, account); !errors.Is(err, app.ErrSecretNotFound) {
		t.Fatalf("Get before Set: error = %v; want ErrSecretNotFound", err)
	}
	for _, value := range []string{"first-session-token", "second-session-token"} {
		if err := secrets.Set(app.AppID, account, value); err != nil {
			t.Fatalf("Set: %v", err)
		}
		got, err := secrets.Get(app.AppID, account)
		if err != nil || got != value {
			t.Fatalf("Get = %q, %v; want %q", got, err, value)
		}
		if got := keyringtest.Lookup(t, app.AppID, account); got != value {
			t.Errorf("secret-tool lookup = %q; want %q", got, value)
		}
	}

	if err := secrets.Delete(app.AppID, account); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := secrets.Get(app.AppID, account); !errors.Is(err, app.ErrSecretNotFound) {
		t.Errorf("Get after Delete: error = %v; want ErrSecretNotFound", err)
	}
	if got := keyringtest.Lookup(t, app.AppID, account); got != "" {
		t.Errorf("secret-tool lookup after Delete = %q; want nothing", got)
	}
	if err := secrets.Delete(app.AppID, account); !errors.Is(err, app.ErrSecretNotFound) {
		t.Errorf("second Delete: error = %v; want ErrSecretNotFound", err)
	}
}

func TestKeyringWithoutSessionBus(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
	const timeout = 10 * time.Second
	secrets := keyring.New(timeout)

	for name, call := range map[string]func() error{
		"Get":    func() error { _, err := secrets.Get(app.AppID, "https://selfservice.test alice"); return err },
		"Set":    func() error { return secrets.Set(app.AppID, "https://selfservice.test alice", "session-token") },
		"Delete": func() error { return secrets.Delete(app.AppID, "https://selfservice.test alice") },
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			err := call()
			if !errors.Is(err, app.ErrSecretsUnavailable) || errors.Is(err, app.ErrSecretNotFound) {
				t.Fatalf("error = %v; want ErrSecretsUnavailable", err)
			}
			if elapsed := time.Since(start); elapsed >= timeout {
				t.Errorf("took %s; want a quick failure, not the timeout", elapsed)
			}
			if strings.Contains(err.Error(), "session-token") {
				t.Errorf("error %q contains the secret", err)
			}
		})
	}
}
