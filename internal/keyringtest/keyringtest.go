// Package keyringtest helps tests that use the real Secret Service.
package keyringtest

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// childEnv marks a test process started by InOwnProcess.
const childEnv = "SELFSERVICE_KEYRING_CHILD"

// InOwnProcess runs the current test again in a new test process, and
// fails when it does not pass there, unless this is that process: then it
// returns false and the test goes on. The D-Bus library keeps one
// session-bus connection per process, which the tests of the no-keyring
// path must never find left over.
//
//	if keyringtest.InOwnProcess(t) { return }
func InOwnProcess(t *testing.T) bool {
	t.Helper()
	if os.Getenv(childEnv) != "" {
		return false
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.v")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("%s in its own process: %v\n%s", t.Name(), err, out)
	}
	return true
}

// Lookup reads the keyring entry of service and account as other
// programs see it (secret-tool); "" when there is none.
func Lookup(t *testing.T, service, account string) string {
	t.Helper()
	out, err := exec.Command("secret-tool", "lookup", "service", service, "username", account).Output()
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return "" // secret-tool exits 1 when nothing matches
	}
	if err != nil {
		t.Fatalf("secret-tool: %v", err)
	}
	return string(out)
}
