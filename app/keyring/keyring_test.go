package keyring_test

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"selfservice/app"
	"selfservice/app/keyring"
)

// keyringChildEnv marks the test process started by
// TestKeyringSecretService for itself.
const keyringChildEnv = "SELFSERVICE_KEYRING_CHILD"

// TestKeyringSecretService stores, loads and deletes a secret through the
// real Secret Service and checks the entry with secret-tool. It runs only
// with SELFSERVICE_KEYRING_TEST=1 and a session bus with an unlocked
// keyring (the Makefile starts both).
//
// The D-Bus library keeps one session-bus connection per process, so the
// test runs in a process of its own: the tests of the no-keyring path
// then never find a live connection left over from it.
func TestKeyringSecretService(t *testing.T) {
	if os.Getenv("SELFSERVICE_KEYRING_TEST") != "1" {
		t.Skip("set SELFSERVICE_KEYRING_TEST=1, with a Secret Service on the session bus, to test the OS keyring")
	}
	if os.Getenv(keyringChildEnv) == "" {
		runInOwnProcess(t)
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
		if got := secretToolLookup(t, account); got != value {
			t.Errorf("secret-tool lookup = %q; want %q", got, value)
		}
	}

	if err := secrets.Delete(app.AppID, account); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := secrets.Get(app.AppID, account); !errors.Is(err, app.ErrSecretNotFound) {
		t.Errorf("Get after Delete: error = %v; want ErrSecretNotFound", err)
	}
	if got := secretToolLookup(t, account); got != "" {
		t.Errorf("secret-tool lookup after Delete = %q; want nothing", got)
	}
	if err := secrets.Delete(app.AppID, account); !errors.Is(err, app.ErrSecretNotFound) {
		t.Errorf("second Delete: error = %v; want ErrSecretNotFound", err)
	}
}

// secretToolLookup reads the entry as other programs see it; "" when
// there is none.
func secretToolLookup(t *testing.T, account string) string {
	t.Helper()
	out, err := exec.Command("secret-tool", "lookup", "service", app.AppID, "username", account).Output()
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return "" // secret-tool exits 1 when nothing matches
	}
	if err != nil {
		t.Fatalf("secret-tool: %v", err)
	}
	return string(out)
}

// runInOwnProcess runs the current test again in a new test process and
// fails when it does not pass there.
func runInOwnProcess(t *testing.T) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.v")
	cmd.Env = append(os.Environ(), keyringChildEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("%s in its own process: %v\n%s", t.Name(), err, out)
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
