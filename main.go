// Command selfservice is the Selfservice desktop app, with which employees
// manage how they sign in. With --demo, or when no server is configured
// yet, it starts the reference server in-process with demo accounts,
// unless the managed configuration IT installed turns the demo off.
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

	managed, problem := loadManaged(app.ManagedConfigPath())
	a := fyneapp.NewWithID(app.AppID)
	session := app.NewSession(connector(app.DeviceName(a.Metadata().Version), managed), keyring.New(3*time.Second), a.Preferences())
	if *serverURL != "" {
		session.SetDefaultServerURL(*serverURL, true)
	}
	session.ApplyManaged(managed)

	opts := ui.Options{
		ManagedProblem: problem,
		IdleLock:       time.Duration(managed.IdleLockMinutes) * time.Minute,
		// A computer whose managed configuration is broken is still one IT
		// manages: no demo there either.
		NoDemo: managed.DisableDemo || problem != nil,
	}
	if *demo && opts.NoDemo {
		return fmt.Errorf("the demo is turned off on this computer (disable_demo in %s)", app.ManagedConfigPath())
	}
	providers := []hw.Provider{hw.Libfido2{}}
	if !opts.NoDemo && (*demo || session.ServerURL() == "") {
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

// loadManaged reads the managed configuration at path and checks its
// addresses and CA bundle as the client will use them. On an error it
// returns the zero Managed: nothing of a broken file applies.
func loadManaged(path string) (app.Managed, error) {
	m, err := app.LoadManaged(path)
	if err != nil {
		return app.Managed{}, err
	}
	checks := []struct {
		field string
		opts  client.Options
		url   string
	}{
		{"server_url", client.Options{}, m.ServerURL},
		{"ca_bundle", client.Options{CABundle: m.CABundle}, ""},
		{"proxy", client.Options{Proxy: m.Proxy}, ""},
	}
	for _, c := range checks {
		if c.url == "" {
			c.url = "https://selfservice.example.com"
		}
		if _, err := client.New(c.url, c.opts); err != nil {
			return app.Managed{}, fmt.Errorf("%s: %s: %w", path, c.field, err)
		}
	}
	return m, nil
}

// connector makes the API clients for server addresses; they name this
// computer and app to the server as device, and trust and reach the
// server as IT configured.
func connector(device string, managed app.Managed) app.Connector {
	return func(serverURL string) (app.Backend, error) {
		backend, err := client.New(serverURL, client.Options{Device: device, CABundle: managed.CABundle, Proxy: managed.Proxy})
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
