// Package keyring keeps the app's secrets in the OS keyring: Secret Service
// on Linux, Keychain on macOS, Credential Manager on Windows. Only main.go
// uses it, so the UI cannot reach the keyring.
package keyring

import (
	"errors"
	"fmt"
	"time"

	gokeyring "github.com/zalando/go-keyring"

	"selfservice/app"
)

// New returns Secrets kept in the OS keyring. Every call
// gives up after timeout, because a locked keyring may wait forever for
// a password prompt; the abandoned call finishes in the background.
//
// Errors: a missing entry is app.ErrSecretNotFound; anything else (no session
// bus, no Secret Service, locked, too slow) wraps app.ErrSecretsUnavailable.
func New(timeout time.Duration) app.Secrets {
	return keyringSecrets{timeout: timeout}
}

type keyringSecrets struct {
	timeout time.Duration
}

func (k keyringSecrets) Get(service, account string) (string, error) {
	return withTimeout(k.timeout, func() (string, error) {
		return gokeyring.Get(service, account)
	})
}

func (k keyringSecrets) Set(service, account, secret string) error {
	_, err := withTimeout(k.timeout, func() (struct{}, error) {
		return struct{}{}, gokeyring.Set(service, account, secret)
	})
	return err
}

func (k keyringSecrets) Delete(service, account string) error {
	_, err := withTimeout(k.timeout, func() (struct{}, error) {
		return struct{}{}, gokeyring.Delete(service, account)
	})
	return err
}

// withTimeout runs call in a goroutine and waits at most timeout for it.
func withTimeout[T any](timeout time.Duration, call func() (T, error)) (T, error) {
	type result struct {
		value T
		err   error
	}
	done := make(chan result, 1) // buffered: a late call must not block forever
	go func() {
		v, err := call()
		done <- result{v, err}
	}()

	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.value, mapError(r.err)
	case <-timer.C:
		var zero T
		return zero, fmt.Errorf("%w: no answer within %s", app.ErrSecretsUnavailable, timeout)
	}
}

// mapError maps go-keyring's errors to app.ErrSecretNotFound and
// app.ErrSecretsUnavailable.
func mapError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gokeyring.ErrNotFound):
		return app.ErrSecretNotFound
	}
	return fmt.Errorf("%w: %w", app.ErrSecretsUnavailable, err)
}
