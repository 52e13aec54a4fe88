// Command selfservice-screenshots renders the desktop app's main screens
// to PNG files, without a display: it starts the reference server with
// its demo accounts on a temporary database and drives the real user
// interface with the Fyne test driver.
//
//	selfservice-screenshots -out docs/screenshots
package main

import (
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"selfservice/app"
	"selfservice/authenticator"
	"selfservice/client"
	"selfservice/hw"
	"selfservice/internal/demomessages"
	"selfservice/server"
	"selfservice/ui"
)

func main() {
	out := flag.String("out", "docs/screenshots", "directory to write the PNG files to")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "selfservice-screenshots:", err)
		os.Exit(1)
	}
}

// darkScreens are the screens also taken in the dark theme, as
// <name>-dark.png: enough to see that every kind of widget reads well.
var darkScreens = map[string]bool{
	"signin": true, "second-factor": true, "tokens": true, "enroll-qr": true, "stepup": true,
	"to-approve": true, "privacy": true, "security-keys": true, "sessions": true,
}

func run(out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := shoot(out, theme.VariantLight, func(name string) string { return name }); err != nil {
		return err
	}
	return shoot(out, theme.VariantDark, func(name string) string {
		if !darkScreens[name] {
			return ""
		}
		return name + "-dark"
	})
}

// shoot drives the app through its screens in the theme variant v, on a
// fresh demo server, and writes the screens that file names (to "" for
// those it skips).
func shoot(out string, v fyne.ThemeVariant, file func(screen string) string) error {
	tmp, err := os.MkdirTemp("", "selfservice-screenshots-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	quiet := slog.New(slog.DiscardHandler)
	// The screenshots show the step-up that the grace after the sign-in
	// they just made would spare.
	tenant, noGrace := server.DemoTenant(), 0
	tenant.StepUp.GraceSeconds = &noGrace
	local, err := server.StartLocal(context.Background(), filepath.Join(tmp, "demo.db"), server.Config{Logger: quiet, Tenant: tenant})
	if err != nil {
		return err
	}
	defer local.Close()

	a := test.NewApp()
	a.Settings().SetTheme(variantTheme{theme.DefaultTheme(), v})
	session := app.NewSession(connect, app.NewMemorySecrets(), a.Preferences())
	session.SetDefaultServerURL(local.URL, false)
	var opts ui.Options
	for _, u := range local.Demo.Users {
		opts.Demo = append(opts.Demo, ui.DemoInfo{Username: u.Username, Password: u.Password, TOTPSecret: u.TOTPSecret})
	}
	for _, h := range local.Demo.Hardware {
		opts.DemoHardware = append(opts.DemoHardware, ui.DemoHardwareToken{Serial: h.Serial, Secret: h.Secret})
	}
	// A virtual security key that is never touched: the screenshots show
	// it waiting for the touch.
	key, err := hw.NewSoftware(hw.SoftwareOptions{Presence: func(ctx context.Context) error {
		<-ctx.Done()
		return ctx.Err()
	}})
	if err != nil {
		return err
	}
	opts.Keys = app.NewKeys(key)
	opts.DemoMessages = demomessages.Reader(local.MessagesDir)

	// The phone that signs in by push: the authenticator app's logic,
	// registered from the provisioning link the app shows.
	phone := func(ctx context.Context, uri string) error {
		_, err := authenticator.Provision(ctx, uri, "Pixel 8")
		return err
	}

	return ui.Screenshots(a, session, opts, phone, func(name string, w fyne.Window) error {
		name = file(name)
		if name == "" {
			return nil
		}
		path := filepath.Join(out, name+".png")
		c := w.Canvas()
		// Twice: wrapped text knows its height once it has its width.
		for range 2 {
			layoutAll(c.Content())
			for _, o := range c.Overlays().List() {
				layoutAll(o)
			}
		}
		if err := writePNG(path, c.Capture()); err != nil {
			return err
		}
		fmt.Println("wrote", path)
		return nil
	})
}

// screenshotDevice is how the computer of the screenshots names itself:
// fixed, so that the pictures do not show the host they were taken on.
const screenshotDevice = "Selfservice 1.2 on Linux (WS-0142)"

func connect(serverURL string) (app.Backend, error) {
	backend, err := client.New(serverURL, client.Options{Device: screenshotDevice})
	if err != nil {
		return nil, err
	}
	return backend, nil
}

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// layoutAll lays out o and everything in it again. A real window does so
// whenever something's minimum size changes (for example a message that
// appears); the test driver's canvas does not.
func layoutAll(o fyne.CanvasObject) {
	switch o := o.(type) {
	case *fyne.Container:
		if o.Layout != nil {
			o.Layout.Layout(o.Objects, o.Size())
		}
		for _, child := range o.Objects {
			layoutAll(child)
		}
	case fyne.Widget:
		r := test.WidgetRenderer(o)
		r.Layout(o.Size())
		for _, child := range r.Objects() {
			layoutAll(child)
		}
	}
}

// variantTheme is the default theme in one variant, light or dark,
// whatever the test driver's settings say.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t variantTheme) Color(name fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(name, t.variant)
}
