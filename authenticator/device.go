// Package authenticator is the logic of the Selfservice Authenticator app
// on the phone, without its screens: it registers the phone from a
// provisioning payload (a QR code or link the desktop gives), keeps the
// device key, lists the push requests waiting for the user and answers
// them, and confirms a passwordless sign-in read from the desktop's QR
// code. Everything it sends after the registration is signed with the
// device key; the server keeps only the public half.
//
// The command selfservice-authenticator wraps it for the command line,
// and tests and the demo use it to approve pushes.
package authenticator

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"time"

	"selfservice/api"
	"selfservice/client"
)

// Device is the authenticator app registered on one phone for one push
// token. Its methods are safe for concurrent use.
type Device struct {
	ServerURL string // the server's address, e.g. https://selfservice.example.com
	DeviceID  string // the push token's id
	Username  string // whose token it is
	Label     string // the token's label, as the desktop shows it

	// Now dates the signed requests for the pending list; nil means
	// time.Now. The server refuses a time more than 5 minutes from its
	// own, so a test server with an injected clock needs it here too.
	Now func() time.Time

	key  *ecdsa.PrivateKey
	conn *connection
}

// connection is the Device's client, made on first use.
type connection struct {
	once    sync.Once
	backend *client.Client
	err     error
}

func newDevice(serverURL, deviceID, username, label string, key *ecdsa.PrivateKey) *Device {
	return &Device{ServerURL: serverURL, DeviceID: deviceID, Username: username, Label: label, key: key, conn: &connection{}}
}

// backend returns the client of the device's server.
func (d *Device) backend() (*client.Client, error) {
	d.conn.once.Do(func() {
		d.conn.backend, d.conn.err = newClient(d.ServerURL)
	})
	return d.conn.backend, d.conn.err
}

func newClient(serverURL string) (*client.Client, error) {
	return client.New(serverURL, client.Options{UserAgent: "Selfservice-Authenticator"})
}

// Provision registers this phone with the provisioning payload uri
// (selfservice-push://provision?server=…&code=…, read from the desktop's
// QR code, an email or an SMS link) under deviceName: it makes a new
// P-256 device key and sends its public half with the one-time code,
// which activates the push token. Save the Device afterwards; the key
// exists nowhere else. A used or expired payload fails with an *api.Error
// provisioning_invalid.
func Provision(ctx context.Context, uri, deviceName string) (*Device, error) {
	p, err := parseProvisioning(uri)
	if err != nil {
		return nil, err
	}
	backend, err := newClient(p.server)
	if err != nil {
		return nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("make the device key: %w", err)
	}
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("encode the device key: %w", err)
	}
	out, err := backend.RegisterDevice(ctx, api.DeviceRegistration{
		Code:       p.code,
		PublicKey:  base64.StdEncoding.EncodeToString(der),
		DeviceName: strings.TrimSpace(deviceName),
	})
	if err != nil {
		return nil, err
	}
	d := newDevice(p.server, out.DeviceID, out.Username, out.Label, key)
	d.conn.once.Do(func() { d.conn.backend = backend })
	return d, nil
}

// sign signs the SHA-256 of payload with the device key (ASN.1 ECDSA)
// and returns it in base64, as the server expects.
func (d *Device) sign(payload []byte) (string, error) {
	sum := sha256.Sum256(payload)
	sig, err := ecdsa.SignASN1(rand.Reader, d.key, sum[:])
	if err != nil {
		return "", fmt.Errorf("sign with the device key: %w", err)
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}

func (d *Device) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}
