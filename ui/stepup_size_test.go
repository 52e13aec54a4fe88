package ui

import (
	"context"
	"fmt"
	"testing"
	"time"

	"selfservice/api"
)

// TestStepUpWithManyMethodsKeepsItsButtonsInTheWindow: a user with many
// sign-in methods gets a step-up dialog no taller than the window, its
// methods scrolling, so that Confirm and Cancel stay reachable.
func TestStepUpWithManyMethodsKeepsItsButtonsInTheWindow(t *testing.T) {
	f := newFixture(t, Options{})
	f.signIn("demo")
	step := api.StepUp{ApprovalID: "approval", ExpiresAt: time.Now().Add(5 * time.Minute)}
	for i := range 16 {
		step.Methods = append(step.Methods, api.LoginMethod{TokenID: fmt.Sprint(i), Type: api.TypeSMS, Label: fmt.Sprintf("SMS-%d", i), Hint: "+49 •••• ••12"})
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d := newStepUpDialog(f.ui, ctx, "Deleting a sign-in method needs your confirmation.", step, func(stepUpResult) {})
	d.dlg.Show()
	d.fit()

	window := f.ui.win.Canvas().Size().Height
	if got := d.form.MinSize().Height; got <= window {
		t.Fatalf("the form is %v high in a window of %v: the test needs more methods", got, window)
	}
	// Inside the dialog, the buttons end within the window's height, and
	// the form scrolls in the room above them.
	if bottom := d.buttons.Position().Y + d.buttons.Size().Height; d.buttons.Size().Height == 0 || bottom > window {
		t.Errorf("the buttons end at %v in a window %v high", bottom, window)
	}
	if d.scroll.Size().Height >= d.form.MinSize().Height {
		t.Errorf("the form has %v of the %v it needs: it should scroll", d.scroll.Size().Height, d.form.MinSize().Height)
	}
}
