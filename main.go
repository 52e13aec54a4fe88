// Command selfservice is the Selfservice desktop app, with which employees
// manage how they sign in. With --demo, or when no server is configured
// yet, it starts the reference server in-process with demo accounts.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	fyneapp "fyne.io/fyne/v2/app"

	"selfservice/app"
	"selfservice/app/keyring"
	"selfservice/client"
	"selfservice/hw"
	"selfservice/internal/demomessages"
	"selfservice/server"
	"selfservice/ui"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "selfservice:", err)
		os.Exit(1)
	}
}

func run() error {
	demo := flag.Bool("demo", false, "start the built-in demo server and connect to it")
	serverURL := flag.String("server", "", "address of the Selfservice server to offer when none is saved yet, e.g. https://selfservice.example.com")
	flag.Parse()

	a := fyneapp.NewWithID(app.AppID)
	session := app.NewSession(connector(app.DeviceName(a.Metadata().Version)), keyring.New(3*time.Second), a.Preferences())
	if *serverURL != "" {
		session.SetDefaultServerURL(*serverURL, true)
	}

	var opts ui.Options
	providers := []hw.Provider{hw.Libfido2{}}
	if *demo || session.ServerURL() == "" {
		dir, err := demoDir()
		if err != nil {
			return err
		}
		local, err := startDemoServer(dir)
		if err != nil {
			return err
		}
		defer local.Close()
		session.SetDefaultServerURL(local.URL, false)
		for _, u := range local.Demo.Users {
			opts.Demo = append(opts.Demo, ui.DemoInfo{Username: u.Username, Password: u.Password, TOTPSecret: u.TOTPSecret})
		}
		for _, h := range local.Demo.Hardware {
			opts.DemoHardware = append(opts.DemoHardware, ui.DemoHardwareToken{Serial: h.Serial, Secret: h.Secret})
		}
		opts.DemoMessages = demomessages.Reader(local.MessagesDir)
		key, err := virtualKey(dir)
		if err != nil {
			return err
		}
		providers = append(providers, key)
	}
	opts.Keys = app.NewKeys(providers...)

	ui.New(a, session, opts).ShowAndRun()
	return nil
}

// connector makes the API clients for server addresses; they name this
// computer and app to the server as device.
func connector(device string) app.Connector {
	return func(serverURL string) (app.Backend, error) {
		backend, err := client.New(serverURL, client.Options{Device: device})
		if err != nil {
			return nil, err
		}
		return backend, nil
	}
}

// demoDir is where the demo keeps its server database and virtual key:
// a directory in the user's cache directory.
func demoDir() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find the cache directory for the demo: %w", err)
	}
	dir := filepath.Join(cache, "selfservice")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create the demo's directory: %w", err)
	}
	return dir, nil
}

// virtualKey is the demo's "virtual security key": a software key whose
// state is kept in dir. It waits a second for its "touch", so that the
// app's "touch your key" step can be seen.
func virtualKey(dir string) (*hw.Software, error) {
	return hw.NewSoftware(hw.SoftwareOptions{
		Store: hw.FileStore(filepath.Join(dir, "virtual-key.json")),
		Presence: func(ctx context.Context) error {
			t := time.NewTimer(time.Second)
			defer t.Stop()
			select {
			case <-t.C:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		},
	})
}

// startDemoServer runs the reference server on a loopback port, with its
// database in dir.
func startDemoServer(dir string) (*server.Local, error) {
	local, err := server.StartLocal(context.Background(), filepath.Join(dir, "demo.db"), server.Config{})
	if err != nil {
		return nil, fmt.Errorf("start the demo server: %w", err)
	}
	return local, nil
}
