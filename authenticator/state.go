package authenticator

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// stateVersion is the version of the state file's layout.
const stateVersion = 1

// stateFile is the JSON a Device is saved as. It holds the device key:
// the file is readable by its owner only.
type stateFile struct {
	Version    int    `json:"version"`
	ServerURL  string `json:"server_url"`
	DeviceID   string `json:"device_id"`
	Username   string `json:"username"`
	Label      string `json:"label"`
	PrivateKey []byte `json:"private_key"` // PKCS#8 DER (base64 in the JSON)
}

// Save writes the device, with its private key, to path as JSON: the
// file gets mode 0600 and a directory it creates mode 0700. It replaces
// the file at once, so that a crash leaves the old or the new one.
func (d *Device) Save(path string) error {
	der, err := x509.MarshalPKCS8PrivateKey(d.key)
	if err != nil {
		return fmt.Errorf("encode the device key: %w", err)
	}
	raw, err := json.MarshalIndent(stateFile{
		Version: stateVersion, ServerURL: d.ServerURL, DeviceID: d.DeviceID,
		Username: d.Username, Label: d.Label, PrivateKey: der,
	}, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("save the authenticator state: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".authenticator-*.json") // mode 0600
	if err != nil {
		return fmt.Errorf("save the authenticator state: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename there is nothing to remove
	if _, err := tmp.Write(append(raw, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("save the authenticator state: %w", err)
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("save the authenticator state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save the authenticator state: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save the authenticator state: %w", err)
	}
	return nil
}

// ErrNoState is returned (wrapped) by Load when there is no state file:
// the app is not set up on this device yet.
var ErrNoState = errors.New("the authenticator is not set up yet: provision it with the QR code or link from the Selfservice app on your computer")

// Load reads a device saved with Save.
func Load(path string) (*Device, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w (no file %s)", ErrNoState, path)
	}
	if err != nil {
		return nil, fmt.Errorf("read the authenticator state: %w", err)
	}
	var st stateFile
	if err := json.Unmarshal(raw, &st); err != nil || st.Version != stateVersion {
		return nil, fmt.Errorf("the authenticator state %s is damaged or from another version; provision the app again", path)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(st.PrivateKey)
	key, ok := parsed.(*ecdsa.PrivateKey)
	if err != nil || !ok || key.Curve != elliptic.P256() || st.ServerURL == "" || st.DeviceID == "" {
		return nil, fmt.Errorf("the authenticator state %s is damaged; provision the app again", path)
	}
	return newDevice(st.ServerURL, st.DeviceID, st.Username, st.Label, key), nil
}
