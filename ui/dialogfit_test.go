package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"selfservice/api"
)

// At 150 % (FYNE_SCALE=1.5) on a 1024×768 screen the window has
// 1024/1.5 × 768/1.5 units: every dialog of the sign-in methods must fit
// in them, as its buttons are out of reach otherwise.
const (
	fitScale             = 1.5
	fitWidth, fitHeight  = 1024, 768
	fitUnitsW, fitUnitsH = fitWidth / fitScale, fitHeight / fitScale
)

// checkFits fails when what, whose smallest size is min, does not fit a
// 1024×768 screen at 150 %.
func checkFits(t *testing.T, what string, min fyne.Size) {
	t.Helper()
	t.Logf("%s: %.0f×%.0f pixels at 150 %%", what, min.Width*fitScale, min.Height*fitScale)
	if min.Width > fitUnitsW || min.Height > fitUnitsH {
		t.Errorf("%s needs %.0f×%.0f pixels at 150 %%, more than %d×%d", what, min.Width*fitScale, min.Height*fitScale, fitWidth, fitHeight)
	}
}

// checkInWindow fails when o (a dialog's buttons) ends outside the
// window, which has the room of a 1024×768 screen at 150 %.
func checkInWindow(t *testing.T, what string, c fyne.Canvas, o fyne.CanvasObject) {
	t.Helper()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	end := pos.Add(o.Size())
	if o.Size().IsZero() || end.X > c.Size().Width || end.Y > c.Size().Height {
		t.Errorf("%s end at %v in a window of %v", what, end, c.Size())
	}
}

func TestSignInMethodDialogsFitAt150Percent(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("demo")
	s := m.tokens
	f.ui.win.Resize(fyne.NewSize(fitUnitsW, fitUnitsH))

	c := f.openChooser(s)
	checkFits(t, "the choice of what to add", c.dlg.MinSize())
	c.dlg.Hide()

	// The authenticator app wizard, step by step.
	w := startEnrollment(t, f, s, "Fits")
	checkFits(t, "the QR code step", w.dlg.MinSize())
	checkInWindow(t, "the QR code step's buttons", f.ui.win.Canvas(), w.buttons)
	test.Tap(w.next)
	checkFits(t, "the first code step", w.dlg.MinSize())
	w.code.SetText(code(t, w.created.Provisioning.Secret, time.Now()))
	test.Tap(w.next)
	f.waitFor("the last step", func() bool { return w.step == stepDone || w.message.message() != "" })
	checkFits(t, "the done step", w.dlg.MinSize())
	test.Tap(w.next)
	f.waitFor("two tokens", func() bool { return len(s.tokens) == 2 && !s.progress.Visible() })

	for _, tpl := range []string{"hotp-app", "sms-otp", "push-app"} {
		f.chooseTemplate(s, tpl)
		var frame *wizardFrame
		switch {
		case s.wizard != nil:
			frame = s.wizard.wizardFrame
		case s.codeWizard != nil:
			frame = s.codeWizard.wizardFrame
		case s.pushWizard != nil:
			frame = s.pushWizard.wizardFrame
		default:
			t.Fatalf("%s opened no wizard", tpl)
		}
		checkFits(t, "the first step of "+tpl, frame.dlg.MinSize())
		checkInWindow(t, "the buttons of "+tpl, f.ui.win.Canvas(), frame.buttons)
		test.Tap(frame.cancelBtn)
		f.waitFor("the wizard closed", func() bool { return s.wizard == nil && s.codeWizard == nil && s.pushWizard == nil })
	}

	row := s.rows[s.tokens[0].ID]
	for _, a := range []api.TokenAction{api.ActionTest, api.ActionResync, api.ActionRename, api.ActionDelete} {
		tapAction(t, row, a)
		if s.dialog == nil {
			t.Fatalf("%s opened no dialog", a)
		}
		checkFits(t, "the "+string(a)+" dialog", s.dialog.dlg.MinSize())
		test.Tap(s.dialog.dismiss)
	}

	tapAction(t, row, api.ActionDisable)
	d := f.stepUpDialogOf(func() *stepUpDialog { return s.stepUp })
	checkFits(t, "the step-up", d.dlg.MinSize())
}
