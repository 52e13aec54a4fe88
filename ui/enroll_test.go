package ui

import (
	"image"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"selfservice/api"
)

// appWizard opens the authenticator app wizard of templateID.
func (f *fixture) appWizard(s *tokensScreen, templateID string) *enrollWizard {
	f.t.Helper()
	f.chooseTemplate(s, templateID)
	w := s.wizard
	if w == nil {
		f.t.Fatal("no enrollment wizard")
	}
	return w
}

// startEnrollment opens the wizard of the TOTP template, names the token
// and creates it.
func startEnrollment(t *testing.T, f *fixture, s *tokensScreen, name string) *enrollWizard {
	t.Helper()
	w := f.appWizard(s, "totp-app")
	test.Type(w.name, name)
	test.Tap(w.next)
	// The demo server asks the demo user to confirm the enrollment (a
	// user without an active token has nothing to confirm it with).
	f.waitFor("the step-up or the next step", func() bool { return w.stepUp != nil || w.step == stepScan || w.message.message() != "" })
	if w.stepUp != nil {
		f.confirmStepUp(func() *stepUpDialog { return w.stepUp }, stepUpCode(f, f.demoUser("demo").TOTPSecret))
	}
	f.waitFor("the QR step", func() bool { return w.step == stepScan || w.message.message() != "" })
	if w.step != stepScan {
		t.Fatalf("creating the token failed: %s", w.message.message())
	}
	return w
}

func TestEnrollmentWizardActivatesANewToken(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("demo")
	s := m.tokens
	w := startEnrollment(t, f, s, "Backup phone")

	secret := strings.ReplaceAll(w.secret.Text, " ", "")
	if len(secret) < 16 {
		t.Fatalf("setup key %q is too short", w.secret.Text)
	}
	test.Tap(w.next)
	if w.step != stepActivate {
		t.Fatalf("step %d after Next, want %d", w.step, stepActivate)
	}

	test.Type(w.code, wrongCode(t, secret))
	test.Tap(w.next)
	f.waitFor("the code error", func() bool { return w.codeErr.Visible() })
	if w.step != stepActivate {
		t.Errorf("a wrong code moved the wizard to step %d", w.step)
	}

	w.code.SetText(code(t, secret, time.Now()))
	test.Tap(w.next)
	f.waitFor("the last step", func() bool { return w.step == stepDone || w.message.message() != "" })
	if w.step != stepDone {
		t.Fatalf("activation failed: %s", w.message.message())
	}
	test.Tap(w.next)
	f.waitFor("the list with two tokens", func() bool { return len(s.tokens) == 2 })

	var added *api.Token
	for i := range s.tokens {
		if s.tokens[i].Description == "Backup phone" {
			added = &s.tokens[i]
		}
	}
	if added == nil {
		t.Fatalf("the new token is not listed: %+v", s.tokens)
	}
	if added.Status != api.StatusActive {
		t.Errorf("new token is %s, want ACTIVE", added.Status)
	}
	if s.rule.message() != "" {
		t.Errorf("the one-active-token hint stays with two active tokens: %q", s.rule.message())
	}
}

// TestAddedMethodIsScrolledToAndHighlighted: after the wizard, the list
// scrolls to the new method, out of view in a small window, and lights
// it up.
func TestAddedMethodIsScrolledToAndHighlighted(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("demo")
	s := m.tokens
	f.ui.win.Resize(fyne.NewSize(800, 420))

	w := startEnrollment(t, f, s, "Backup phone")
	test.Tap(w.next)
	w.code.SetText(code(t, w.created.Provisioning.Secret, time.Now()))
	test.Tap(w.next)
	f.waitFor("the last step", func() bool { return w.step == stepDone || w.message.message() != "" })
	test.Tap(w.next)
	f.waitFor("the list with two tokens", func() bool { return len(s.tokens) == 2 && !s.progress.Visible() })

	if s.highlighted != w.created.Token.ID {
		t.Errorf("highlighted %q, want the new method %s", s.highlighted, w.created.Token.ID)
	}
	row := s.list.Objects[slices.IndexFunc(s.tokens, func(tok api.Token) bool { return tok.ID == w.created.Token.ID })]
	top, bottom := row.Position().Y, row.Position().Y+row.MinSize().Height
	if top < s.scroll.Offset.Y || bottom > s.scroll.Offset.Y+s.scroll.Size().Height+1 {
		t.Errorf("the new method is at %v to %v, the list shows %v to %v", top, bottom, s.scroll.Offset.Y, s.scroll.Offset.Y+s.scroll.Size().Height)
	}
	if s.scroll.Offset.Y == 0 {
		t.Error("the list did not scroll: the test needs a smaller window")
	}
}

func TestEnrollmentCancelDeletesThePendingToken(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("demo")
	s := m.tokens
	w := startEnrollment(t, f, s, "Never finished")

	test.Tap(w.cancelBtn)
	f.waitFor("the list reloaded", func() bool { return s.wizard == nil && s.loaded && !s.progress.Visible() })

	tokens, err := f.session.Tokens(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(tokens) != 1 {
		t.Errorf("%d tokens on the server after cancelling, want 1: %+v", len(tokens), tokens)
	}
}

func TestEnrollmentQRCodeDecodesToTheSetupLink(t *testing.T) {
	if _, err := exec.LookPath("zbarimg"); err != nil {
		t.Fatal("zbarimg is needed to decode the QR code (package zbar-tools)")
	}
	f := newFixture(t, Options{})
	m := f.signIn("demo")
	w := startEnrollment(t, f, m.tokens, "Scanned")
	want := w.created.Provisioning.OTPAuthURI

	// The dark theme's QR is drawn dark on light as well, so plain scanning works.
	for name, variant := range map[string]fyne.ThemeVariant{"light theme": theme.VariantLight, "dark theme": theme.VariantDark} {
		t.Run(name, func(t *testing.T) {
			th := theme.DefaultTheme()
			img := qrImage(w.qr.modules, th.Color(theme.ColorNameForeground, variant), th.Color(theme.ColorNameBackground, variant))
			path := filepath.Join(t.TempDir(), "qr.png")
			writeScaledPNG(t, path, img, 8)

			out, err := exec.Command("zbarimg", "-q", "--raw", path).Output()
			if err != nil {
				t.Fatalf("zbarimg: %v", err)
			}
			got := strings.TrimSpace(string(out))
			if got != want {
				t.Errorf("QR decodes to a different link (%d characters, want %d)", len(got), len(want))
			}
			// The app lists it under the organisation, the user and the
			// method's name.
			if u, err := url.Parse(got); err != nil || u.Path != "/Example Corp:demo (Scanned)" || u.Query().Get("issuer") != "Example Corp" {
				t.Errorf("the QR code's label is %q, issuer %q; want Example Corp:demo (Scanned)", u.Path, u.Query().Get("issuer"))
			}
		})
	}
}

// writeScaledPNG writes img enlarged by factor, one block per pixel, as a
// screen shows it.
func writeScaledPNG(t *testing.T, path string, img image.Image, factor int) {
	t.Helper()
	b := img.Bounds()
	big := image.NewNRGBA(image.Rect(0, 0, b.Dx()*factor, b.Dy()*factor))
	for y := 0; y < big.Bounds().Dy(); y++ {
		for x := 0; x < big.Bounds().Dx(); x++ {
			big.Set(x, y, img.At(b.Min.X+x/factor, b.Min.Y+y/factor))
		}
	}
	file, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	if err := png.Encode(file, big); err != nil {
		t.Fatal(err)
	}
}

// TestHOTPHelpNamesOnlyAppsWithCounterCodes: the counter-based app's
// steps do not send the user to Microsoft Authenticator, which has no
// such codes; the time-based one's may.
func TestHOTPHelpNamesOnlyAppsWithCounterCodes(t *testing.T) {
	test.NewTempApp(t)
	hotp := appsHint(api.TypeHOTP)
	if !contains(hotp, "counter-based") || !contains(hotp, "Aegis") || !contains(hotp, "FreeOTP") {
		t.Errorf("HOTP help %q, want counter-based apps such as Aegis and FreeOTP", hotp)
	}
	if contains(strings.ReplaceAll(hotp, "Microsoft Authenticator and Authy cannot", ""), "Microsoft") {
		t.Errorf("HOTP help %q recommends Microsoft Authenticator", hotp)
	}
	if !contains(appsHint(api.TypeTOTP), "Microsoft Authenticator") {
		t.Errorf("TOTP help %q, want the common apps", appsHint(api.TypeTOTP))
	}
}
