package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"golang.org/x/text/language"

	"selfservice/api"
)

// ManagedConfigEnv names a managed configuration file to read instead of
// the system one (ManagedConfigPath), for tests and for trying a file out.
const ManagedConfigEnv = "SELFSERVICE_CONFIG"

// MaxIdleLockMinutes bounds Managed.IdleLockMinutes: a day.
const MaxIdleLockMinutes = 24 * 60

// Managed is the configuration IT installs on a computer: a JSON file
// at ManagedConfigPath, read once at start. Every field is optional; the
// zero Managed changes nothing.
type Managed struct {
	// ServerURL is the server to sign in to, preset on the sign-in screen.
	ServerURL string `json:"server_url"`
	// LockServer keeps users from signing in to any other server.
	LockServer bool `json:"lock_server"`
	// CABundle is a PEM file of extra CAs the server's certificate is
	// checked against (an internal CA).
	CABundle string `json:"ca_bundle"`
	// Proxy is the HTTP(S) or SOCKS5 proxy to reach the server through;
	// empty: the environment's (HTTPS_PROXY, NO_PROXY).
	Proxy string `json:"proxy"`
	// IdleLockMinutes signs the user out after that many minutes without
	// input; 0 never does.
	IdleLockMinutes int `json:"idle_lock_minutes"`
	// DisableDemo turns off the embedded demo server: without a server,
	// the app asks the user to ask IT for the address.
	DisableDemo bool `json:"disable_demo"`
	// Language is the language (a BCP 47 tag such as "de") of the app
	// until a user signs in and their own applies.
	Language string `json:"language"`
}

// ManagedConfigPath is where IT installs the managed configuration on
// this OS, unless ManagedConfigEnv names another file:
// /etc/selfservice/config.json on Linux and other Unix systems,
// %ProgramData%\Selfservice\config.json on Windows,
// /Library/Application Support/Selfservice/config.json on macOS.
func ManagedConfigPath() string {
	return managedConfigPath(runtime.GOOS, os.Getenv)
}

func managedConfigPath(goos string, getenv func(string) string) string {
	if p := getenv(ManagedConfigEnv); p != "" {
		return p
	}
	switch goos {
	case "windows":
		dir := getenv("ProgramData")
		if dir == "" {
			dir = `C:\ProgramData`
		}
		return dir + `\Selfservice\config.json`
	case "darwin":
		return "/Library/Application Support/Selfservice/config.json"
	}
	return "/etc/selfservice/config.json"
}

// LoadManaged reads the managed configuration at path. A missing file is
// the zero Managed and no error. Otherwise the file must be one JSON
// object of Managed's fields, each valid: the error names the file and
// the field, and says what is wrong, for IT to fix.
func LoadManaged(path string) (Managed, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Managed{}, nil
	}
	if err != nil {
		return Managed{}, fmt.Errorf("%s cannot be read: %w", path, err)
	}
	m, err := parseManaged(data)
	if err != nil {
		return Managed{}, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

func parseManaged(data []byte) (Managed, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m Managed
	if err := dec.Decode(&m); err != nil {
		return Managed{}, jsonProblem(err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return Managed{}, errors.New("the file must hold one JSON object, and nothing after it")
	}
	return m, m.check()
}

// jsonProblem says in words which field of the file is wrong.
func jsonProblem(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return fmt.Errorf("%s: must be a %s, not a %s", typeErr.Field, jsonKind(typeErr.Type.Kind().String()), typeErr.Value)
	case errors.As(err, &syntaxErr):
		return fmt.Errorf("not valid JSON at byte %d: %w", syntaxErr.Offset, err)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return fmt.Errorf("%s is not a setting Selfservice knows (check the spelling)", strings.TrimPrefix(err.Error(), "json: unknown field "))
	case errors.Is(err, io.EOF):
		return errors.New("the file is empty; write {} for no settings")
	}
	return fmt.Errorf("not a JSON object of settings: %w", err)
}

func jsonKind(kind string) string {
	switch kind {
	case "int":
		return "whole number"
	case "bool":
		return "true or false"
	}
	return kind
}

// check validates the fields that JSON types alone do not: the server
// address and proxy are checked again, fully, by the client that uses
// them.
func (m Managed) check() error {
	switch {
	case m.LockServer && m.ServerURL == "":
		return errors.New("lock_server: needs server_url, the server to lock the app to")
	case m.ServerURL != "" && !strings.HasPrefix(m.ServerURL, "https://") && !strings.HasPrefix(m.ServerURL, "http://"):
		return fmt.Errorf("server_url: %q must start with https://", m.ServerURL)
	case m.CABundle != "" && !filepath.IsAbs(m.CABundle):
		return fmt.Errorf("ca_bundle: %q must be an absolute path", m.CABundle)
	case m.IdleLockMinutes < 0 || m.IdleLockMinutes > MaxIdleLockMinutes:
		return fmt.Errorf("idle_lock_minutes: %d must be between 0 (never) and %d", m.IdleLockMinutes, MaxIdleLockMinutes)
	}
	if m.Language != "" {
		if _, err := language.Parse(m.Language); err != nil {
			return fmt.Errorf("language: %q is not a language tag such as \"de\" or \"fr\"", m.Language)
		}
	}
	return nil
}

// ApplyManaged presets what IT configured: the server address (the only
// one allowed with LockServer: a backend for any other fails with a
// server_url field error) and the language of the screens before a user
// signs in. Call it once, before the first sign-in.
func (s *Session) ApplyManaged(m Managed) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.managedLanguage = m.Language
	if m.ServerURL == "" {
		return
	}
	s.defaultURL = normalizeURL(m.ServerURL)
	s.rememberDefault = true
	if m.LockServer {
		s.serverLocked = true
		locked, connect := s.defaultURL, s.connect
		s.connect = func(serverURL string) (Backend, error) {
			if normalizeURL(serverURL) != locked {
				return nil, api.FieldError(map[string]string{
					"server_url": "This computer signs in to " + locked + " only; IT set it up so.",
				})
			}
			return connect(serverURL)
		}
	}
}

// ServerLocked reports whether IT locked the app to its server: the
// server address is then not the user's to change.
func (s *Session) ServerLocked() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.serverLocked
}
