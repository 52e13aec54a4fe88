package app

import (
	"errors"
	"sync"
)

// AppID identifies the desktop app. It is also the keyring service name
// under which sessions are saved; keep it in sync with FyneApp.toml.
const AppID = "io.selfservice.desktop"

var (
	// ErrSecretNotFound is returned by Secrets for a missing entry.
	ErrSecretNotFound = errors.New("secret not found")
	// ErrSecretsUnavailable is wrapped by Secrets errors when there is no
	// usable keyring: no session bus, no Secret Service, a locked
	// keyring, or one that does not answer in time.
	ErrSecretsUnavailable = errors.New("the system keyring is not available")
)

// NewMemorySecrets returns Secrets kept in memory only, for the current
// run of the app: used when the OS keyring is unavailable, and by tests.
func NewMemorySecrets() Secrets {
	return &memorySecrets{entries: map[memoryKey]string{}}
}

type memoryKey struct{ service, account string }

type memorySecrets struct {
	mu      sync.Mutex
	entries map[memoryKey]string
}

func (m *memorySecrets) Get(service, account string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	secret, ok := m.entries[memoryKey{service, account}]
	if !ok {
		return "", ErrSecretNotFound
	}
	return secret, nil
}

func (m *memorySecrets) Set(service, account, secret string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries[memoryKey{service, account}] = secret
	return nil
}

func (m *memorySecrets) Delete(service, account string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	key := memoryKey{service, account}
	if _, ok := m.entries[key]; !ok {
		return ErrSecretNotFound
	}
	delete(m.entries, key)
	return nil
}
