package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
)

// wizardFrame is what every enrollment wizard shares, so that each one
// only says what its steps show and do: a dialog with "Step n of N ·
// Title", a message banner, the step's body, a busy bar and Back, Cancel
// and Next; the context that ends the wizard's work when it closes; the
// approvable enrollment call; and the end of the wizard, which tells
// onClose once, and deletes a token that was made but not finished.
type wizardFrame struct {
	ui      *UI
	ctx     context.Context
	cancel  context.CancelFunc
	dlg     *dialog.CustomDialog
	size    fyne.Size
	steps   int
	onClose func(activated bool)

	step      int
	stepText  *widget.RichText
	body      *fyne.Container
	message   *banner
	progress  *busyBar
	buttons   *fyne.Container
	back      *widget.Button
	cancelBtn *widget.Button
	next      *widget.Button

	// forward and backward are what Next and Back do; the wizard sets
	// them. Next runs forward only while it is shown and enabled, as the
	// Return key in an entry also calls it.
	forward, backward func()
	// stopping, when set, runs first when the user cancels: it stops
	// what the wizard waits for (a security key).
	stopping func()
	// abandon, set while a token exists that the wizard made but has not
	// finished, removes it; Cancel runs it in the background.
	abandon func(ctx context.Context) error

	activated bool
	ended     bool

	// Finishing an approved enrollment, or sending one for approval.
	preset *enrollPreset             // nil for a new enrollment
	onSent func(api.ApprovalRequest) // told when the enrollment went to approvers
	stepUp *stepUpDialog             // the last step-up dialog opened
}

// newWizardFrame builds the frame of a wizard of steps steps, titled
// title; onClose is called once, when the wizard is finished or
// cancelled, on the UI thread.
func newWizardFrame(u *UI, parent context.Context, title string, steps int, size fyne.Size, onClose func(activated bool)) *wizardFrame {
	ctx, cancel := context.WithCancel(parent)
	f := &wizardFrame{
		ui:       u,
		ctx:      ctx,
		cancel:   cancel,
		size:     size,
		steps:    steps,
		onClose:  onClose,
		stepText: styledText("", theme.ColorNamePrimary, theme.SizeNameText),
		body:     container.NewStack(),
		message:  newBanner(),
		progress: newBusyBar(),
	}
	f.back = widget.NewButtonWithIcon(lang.L("Back"), theme.NavigateBackIcon(), func() {
		if f.backward != nil {
			f.backward()
		}
	})
	f.cancelBtn = widget.NewButton(lang.L("Cancel"), f.onCancel)
	f.next = widget.NewButton(lang.L("Next"), f.onNext)
	f.next.Importance = widget.HighImportance
	f.buttons = container.NewHBox()

	top := container.NewVBox(f.stepText, f.message)
	content := container.NewBorder(top, container.NewVBox(f.progress, f.buttons), nil, nil, f.body)
	f.dlg = dialog.NewCustomWithoutButtons(title, content, u.win)
	// The screen went away (for example the session expired): close too.
	// Tied to the wizard's own context, so that nothing keeps the wizard
	// once it is closed.
	context.AfterFunc(ctx, func() { u.do(f.dlg.Hide) })
	return f
}

// open shows the dialog.
func (f *wizardFrame) open() {
	f.dlg.Resize(f.size)
	f.ui.keys.showDialog(f.dlg, f.cancelBtn)
}

// showStep shows step n, titled title, with body. Back is hidden; Cancel
// and Next (labelled "Next", enabled) are shown. The wizard changes the
// buttons after it as the step needs.
func (f *wizardFrame) showStep(n int, title string, body fyne.CanvasObject) {
	f.step = n
	f.message.hide()
	setStyledText(f.stepText, lang.L("Step {{.Step}} of {{.Steps}} · {{.Title}}", map[string]any{"Step": n, "Steps": f.steps, "Title": title}))
	f.body.Objects = []fyne.CanvasObject{container.NewVScroll(body)}
	f.body.Refresh()
	f.back.Hide()
	f.cancelBtn.Show()
	f.next.SetText(lang.L("Next"))
	f.next.Show()
	f.next.Enable()
	f.setActions(f.next)
}

// showDone shows the last step: a success mark, headline and more
// below it; Next becomes Done and Cancel goes.
func (f *wizardFrame) showDone(headline string, more ...fyne.CanvasObject) {
	icon := widget.NewIcon(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
	text := widget.NewLabelWithStyle(headline, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	text.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(64), icon)), text)
	for _, o := range more {
		box.Add(o)
	}
	f.showStep(f.steps, lang.L("Done"), container.NewCenter(withWidth(400, box)))
	f.cancelBtn.Hide()
	f.next.SetText(lang.L("Done"))
}

// centered is wrapped text centred under a headline.
func centered(text string) *widget.Label {
	l := paragraph(text)
	l.Alignment = fyne.TextAlignCenter
	return l
}

// setActions puts the step's main action (Next or what replaces it) after
// Back and Cancel.
func (f *wizardFrame) setActions(main fyne.CanvasObject) {
	f.buttons.Objects = []fyne.CanvasObject{layout.NewSpacer(), f.back, f.cancelBtn, main}
	f.buttons.Refresh()
}

func (f *wizardFrame) onNext() {
	if f.next.Disabled() || !f.next.Visible() || f.forward == nil {
		return
	}
	f.forward()
}

// setBusy disables Next and Back while a call runs; enabled says whether
// Next may be used once it is over.
func (f *wizardFrame) setBusy(busy, enabled bool) {
	setEnabled(f.next, !busy && enabled)
	setEnabled(f.back, !busy)
}

// run runs work for the wizard with its busy bar; done is not called
// once the wizard is closed.
func (f *wizardFrame) run(work func(ctx context.Context) error, done func(err error)) {
	f.ui.run(f.ctx, f.progress, work, done)
}

// enroll runs an enrollment call: with the approved request of a preset,
// or else approvable (purpose says what the user confirms). When the
// enrollment went to approvers the wizard closes and says so; done gets
// every other outcome.
func (f *wizardFrame) enroll(purpose string, work func(ctx context.Context) error, done func(err error)) {
	if f.preset != nil {
		work = withRequest(f.preset.requestID, work)
	} else {
		work = f.ui.approvable(purpose, func(d *stepUpDialog) { f.stepUp = d }, work)
	}
	f.run(work, func(err error) {
		if req, ok := api.ApprovalPending(err); ok {
			f.close()
			if f.onSent != nil {
				f.onSent(*req)
			}
			return
		}
		done(err)
	})
}

// createToken is the first call of every enrollment wizard: it makes the
// PENDING token with make, approvable as enroll runs it, while setBusy
// (the wizard's) says it is busy. Field errors go next to their fields
// (fields names them by the request's field), any other error to the
// banner; on success done gets what make returned.
func createToken[T any](f *wizardFrame, setBusy func(bool), purpose string, fields map[string]fieldError, make func(ctx context.Context) (T, error), done func(T)) {
	for _, e := range fields {
		e.set("")
	}
	setBusy(true)
	var out T
	f.enroll(purpose, func(ctx context.Context) error {
		var err error
		out, err = make(ctx)
		return err
	}, func(err error) {
		setBusy(false)
		if err == nil {
			done(out)
			return
		}
		shown := false
		for name, msg := range fieldErrors(err) {
			if e, ok := fields[name]; ok {
				e.set(msg)
				shown = true
			}
		}
		if !shown {
			f.message.show(bannerError, errorMessage(err), "", nil)
		}
	})
}

// onCancel closes the wizard; a token made but not finished is removed
// in the background, and onClose is told once that is over.
func (f *wizardFrame) onCancel() {
	if f.stopping != nil {
		f.stopping()
	}
	f.cancel()
	f.dlg.Hide()
	abandon := f.abandon
	f.abandon = nil
	if abandon == nil || f.activated {
		f.end()
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		// When this fails the token stays, not activated, in the list,
		// which offers to delete it.
		_ = abandon(ctx)
		f.ui.do(f.end)
	}()
}

// close ends a finished wizard.
func (f *wizardFrame) close() {
	f.cancel()
	f.dlg.Hide()
	f.end()
}

// end tells onClose, once.
func (f *wizardFrame) end() {
	if f.ended {
		return
	}
	f.ended = true
	f.onClose(f.activated)
}

// templateSummary is the top of a wizard's first step: the kind of token
// being added, with its icon, name and the administrator's description.
func templateSummary(t api.TokenTemplate) fyne.CanvasObject {
	icon := container.NewGridWrap(fyne.NewSquareSize(40), widget.NewIcon(templateIcon(t)))
	name := widget.NewLabelWithStyle(t.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Wrapping = fyne.TextWrapWord
	text := container.NewVBox(name)
	if t.Description != "" {
		text.Add(hint(t.Description))
	}
	return container.NewBorder(nil, nil, container.NewVBox(icon), nil, text)
}
