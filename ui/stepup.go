package ui

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
	"selfservice/hw"
)

// Step-up: the server asks the user to confirm an approvable action
// (enroll, disable or delete a token) with one of their active sign-in
// methods. approvable wraps the action's work so that the step-up dialog
// opens when the server asks for it, and the action runs again, once,
// with the confirmed approval; the caller sees only the final outcome.

// approvable returns work made approvable: when work fails with
// approval_required, the step-up dialog (saying purpose) opens on the UI
// thread and work runs again, once, with the confirmed approval. When
// the user cancels, or the confirmation can no longer succeed, it fails
// with an error whose message says that nothing changed. opened, when not
// nil, is told about the dialog on the UI thread (screens keep it). Like
// work, the result runs off the UI thread.
func (u *UI) approvable(purpose string, opened func(*stepUpDialog), work func(ctx context.Context) error) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		err := work(ctx)
		step, ok := api.ApprovalRequired(err)
		if !ok {
			return err
		}
		result := make(chan stepUpResult, 1)
		u.do(func() {
			if ctx.Err() != nil {
				return
			}
			if u.stepUp != nil {
				// One confirmation at a time: two dialogs asking the
				// same thing would only confuse.
				result <- stepUpResult{err: errStepUpBusy()}
				return
			}
			d := newStepUpDialog(u, ctx, purpose, *step, func(r stepUpResult) { result <- r })
			u.stepUp = d
			context.AfterFunc(d.ctx, func() {
				u.do(func() {
					if u.stepUp == d {
						u.stepUp = nil
					}
				})
			})
			if opened != nil {
				opened(d)
			}
			d.show()
		})
		select {
		case <-ctx.Done():
			return ctx.Err()
		case r := <-result:
			if r.err != nil {
				return r.err
			}
			return work(api.WithApproval(ctx, r.approvalID))
		}
	}
}

// stepUpResult is how a step-up dialog ended: a confirmed approval, or
// the error that explains why the action did not run.
type stepUpResult struct {
	approvalID string
	err        error
}

// errStepUpCancelled and errStepUpExpired end an action whose step-up
// did not succeed; their messages say that nothing changed.
func errStepUpCancelled() error {
	return &api.Error{Code: api.CodeApprovalRequired, Message: lang.L("You did not confirm it's you, so nothing was changed.")}
}

func errStepUpExpired() error {
	return &api.Error{Code: api.CodeApprovalExpired, Message: lang.L("The time to confirm it's you has run out, so nothing was changed. Try again.")}
}

func errStepUpBusy() error {
	return &api.Error{Code: api.CodeApprovalRequired, Message: lang.L("Another change is waiting for you to confirm it's you. Finish that one first, then try again; nothing was changed.")}
}

func errStepUpFailed() error {
	return &api.Error{Code: api.CodeApprovalInvalid, Message: lang.L("It could not be confirmed that it's you, so nothing was changed. Try again.")}
}

// stepUpDialog asks the user to confirm an action: choose one of their
// active sign-in methods, then enter its code or use the security key,
// before the approval expires.
type stepUpDialog struct {
	ui     *UI
	ctx    context.Context
	cancel context.CancelFunc
	dlg    *dialog.CustomDialog
	step   api.StepUp
	done   func(stepUpResult) // called once
	ended  bool

	intro   *widget.Label
	message *banner
	methods *methodPicker // nil when there is only one method
	chosen  api.LoginMethod
	proof   *fyne.Container // the code panel, the emergency code field or the security key prompt
	code    *entry
	codeErr fieldError
	// panel asks for a code, shows where a code was sent, or waits for the
	// phone to confirm a push.
	panel *methodProof
	// emergency is the field of an emergency access code.
	emergency    *entry
	emergencyErr fieldError
	timeLeft     *widget.RichText
	bar          *countdown
	progress     *busyBar
	buttons      *fyne.Container
	dismiss      *widget.Button
	confirm      *widget.Button
	other        *widget.Button    // back to the list of methods from the security key
	form         *fyne.Container   // the dialog's content above the buttons
	scroll       *container.Scroll // scrolls form when it is taller than the window
	choice       *fyne.Container   // the method or the list of methods; hidden while a key is used
	demo         *demoPanel        // nil outside demo mode
	demoBox      fyne.CanvasObject

	busy     bool
	opened   time.Time  // when the dialog opened, for the countdown
	prepared string     // the token id whose proof is ready; "" while preparing
	prompt   *keyPrompt // the ceremony with the chosen security key, while it runs
	over     error      // why the approval can no longer be confirmed; nil while it can
}

func newStepUpDialog(u *UI, parent context.Context, purpose string, step api.StepUp, done func(stepUpResult)) *stepUpDialog {
	ctx, cancel := context.WithCancel(parent)
	d := &stepUpDialog{
		ui:       u,
		ctx:      ctx,
		cancel:   cancel,
		step:     step,
		done:     done,
		opened:   u.now(),
		intro:    paragraph(purpose + " " + lang.L("Confirm it's you with one of your sign-in methods.")),
		message:  newBanner(),
		proof:    container.NewStack(),
		code:     newCodeEntry(),
		codeErr:  newFieldError(),
		timeLeft: hint(""),

		emergency:    newEmergencyCodeEntry(),
		emergencyErr: newFieldError(),
		bar:          newCountdown(),
		progress:     newBusyBar(),
	}
	d.timeLeft.Wrapping = fyne.TextWrapOff
	d.code.OnSubmitted = func(string) { d.onConfirm() }
	d.panel = newMethodProof(u, d.code, field(lang.L("Code"), d.code, d.codeErr), d.progress, lang.L("Confirm on your phone that it's you."))
	d.panel.prepare = func(ctx context.Context, tokenID string) (api.ChallengeResponse, error) {
		return u.session.PrepareStepUp(ctx, step.ApprovalID, tokenID)
	}
	d.panel.poll = func(ctx context.Context, tokenID, pushID string) error {
		_, err := u.session.VerifyStepUpPush(ctx, step.ApprovalID, tokenID, pushID)
		return err
	}
	d.panel.onChange = func() {
		d.updateConfirm()
		if d.dlg != nil {
			d.fit()
		}
	}
	d.panel.hidePushClock() // the approval's countdown is the one that counts
	d.panel.onSubmit = d.onConfirm
	d.panel.report = d.fail
	d.panel.onPushed = func(err error) {
		if err != nil {
			d.fail(err)
			return
		}
		d.succeed()
	}
	d.emergency.OnSubmitted = func(string) { d.onConfirm() }
	d.dismiss = widget.NewButton(lang.L("Cancel"), d.onCancel)
	d.confirm = widget.NewButtonWithIcon(lang.L("Confirm"), theme.ConfirmIcon(), d.onConfirm)
	d.confirm.Importance = widget.HighImportance
	d.other = widget.NewButton(lang.L("Use another method"), d.choose)
	d.buttons = buttonRow(d.dismiss, d.confirm)
	if len(step.Methods) > 1 {
		d.methods = newMethodPicker(step.Methods, func(m api.LoginMethod) (methodText, bool) {
			return methodText{name: lang.L("Use an emergency access code")}, m.Type == api.TypeEmergency
		})
		d.methods.onChanged = func(api.LoginMethod) { d.choose() }
	}
	for _, info := range u.opts.Demo {
		if info.Username == u.session.User().Username {
			d.demo = newDemoPanel(u, []DemoInfo{info}, heldDemoHardware(u, step.Methods), nil)
		}
	}

	d.dlg = dialog.NewCustomWithoutButtons(lang.L("Confirm it's you"), d.content(), u.win)
	// The screen went away: close too; the action reports nothing.
	context.AfterFunc(ctx, func() { u.do(d.dlg.Hide) })
	return d
}

func (d *stepUpDialog) content() fyne.CanvasObject {
	label := widget.NewLabelWithStyle(lang.L("Sign-in method"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	switch {
	case len(d.step.Methods) == 0:
		d.choice = container.NewVBox(paragraph(lang.L("You have no active sign-in method to confirm with. Add or activate one first, then try again.")))
	case d.methods != nil:
		d.choice = container.NewVBox(label, d.methods)
	default:
		m := d.step.Methods[0]
		d.choice = container.NewVBox(label, methodSummary(m.Type, describeMethod(m), false))
	}
	d.form = container.NewVBox(d.intro, d.message, d.choice, d.proof,
		container.NewBorder(nil, nil, nil, d.timeLeft, d.bar), d.progress)
	if d.demo != nil {
		d.demoBox = d.demo.content()
		d.form.Add(d.demoBox)
	}
	// The scroll clips at its edges: a little room keeps the entries'
	// focus outlines whole.
	edge := 2 * theme.InputBorderSize()
	d.scroll = container.NewVScroll(container.New(layout.NewCustomPaddedLayout(edge, edge, edge, edge), d.form))
	return container.NewBorder(nil, d.buttons, nil, nil, d.scroll)
}

// fit gives the dialog the height its content needs now, at most the
// window's (the form scrolls then, and the buttons stay in view). Wrapped
// text knows its height once it has its width.
func (d *stepUpDialog) fit() {
	d.form.Resize(fyne.NewSize(stepUpWidth-4*theme.Padding(), d.form.MinSize().Height))
	height := d.dlg.MinSize().Height - d.scroll.MinSize().Height + d.scroll.Content.MinSize().Height
	if limit := d.ui.win.Canvas().Size().Height - 4*theme.Padding(); limit > 0 && height > limit {
		height = limit
	}
	d.dlg.Resize(fyne.NewSize(stepUpWidth, height))
}

// showMessage shows a message above the form.
func (d *stepUpDialog) showMessage(message string) {
	d.message.show(bannerError, message, "", nil)
	d.fit()
}

func (d *stepUpDialog) show() {
	d.ui.keys.showDialog(d.dlg, d.dismiss)
	d.tick()
	d.startClock()
	if d.demo != nil {
		d.demo.start(d.ctx)
	}
	switch {
	case len(d.step.Methods) == 0:
		d.confirm.Hide()
	case d.methods != nil:
		d.methods.selectID(preferred(d.step.Methods).TokenID) // calls choose
	default:
		d.choose()
	}
	d.fit()
}

// stepUpWidth is the width of the step-up dialog.
const stepUpWidth = 480

// startClock updates the time left every second while the dialog is open.
func (d *stepUpDialog) startClock() {
	d.ui.every(d.ctx, time.Second, d.tick)
}

// tick shows the time left to confirm, and ends the dialog's inputs when
// it has run out.
func (d *stepUpDialog) tick() {
	if d.ended || d.over != nil {
		return
	}
	now := d.ui.now()
	left := d.step.ExpiresAt.Sub(now)
	if left <= 0 {
		setStyledText(d.timeLeft, "")
		d.bar.set(0)
		d.showMessage(errorMessage(errStepUpExpired()))
		d.expire(errStepUpExpired())
		return
	}
	seconds := int(left.Round(time.Second) / time.Second)
	setStyledText(d.timeLeft, lang.L("{{.Time}} left", map[string]any{"Time": fmt.Sprintf("%d:%02d", seconds/60, seconds%60)}))
	if total := d.step.ExpiresAt.Sub(d.opened); total > 0 {
		d.bar.set(float64(left) / float64(total))
	}
}

// chosenMethod is the method picked in the list, or the only one.
func (d *stepUpDialog) chosenMethod() api.LoginMethod {
	if d.methods != nil {
		return d.methods.selected()
	}
	if len(d.step.Methods) == 0 {
		return api.LoginMethod{}
	}
	return d.step.Methods[0]
}

// choose prepares the chosen method: the server sends a code or asks the
// phone where the type needs it; a security key waits for Confirm.
func (d *stepUpDialog) choose() {
	if d.ended || d.over != nil {
		return
	}
	if d.prompt != nil {
		p := d.prompt
		d.prompt = nil
		p.stop()
	}
	d.panel.reset()
	d.message.hide()
	d.codeErr.set("")
	d.emergencyErr.set("")
	d.choice.Show()
	if d.demoBox != nil {
		d.demoBox.Show()
	}
	d.chosen = d.chosenMethod()
	d.prepared = ""
	d.setButtons(d.confirm)
	defer d.fit()
	if d.chosen.Type == api.TypeFIDO2 {
		d.setProof(paragraph(lang.L("Have your security key ready, then choose Use security key.")))
		d.prepared = d.chosen.TokenID
		d.setBusy(false)
		return
	}
	if d.chosen.Type == api.TypeEmergency {
		// Nothing to prepare: the code is typed as helpdesk gave it.
		d.emergency.SetText("")
		d.setProof(field(lang.L("Emergency access code"), d.emergency, d.emergencyErr))
		d.prepared = d.chosen.TokenID
		d.setBusy(false)
		d.ui.win.Canvas().Focus(d.emergency)
		return
	}
	d.code.SetText("")
	d.setProof(d.panel.content())
	if d.panel.resume(d.ctx, d.chosen.TokenID) {
		// A code sent or a push asked for this method still works.
		d.prepared = d.chosen.TokenID
		d.setBusy(false)
		d.panel.focus()
		return
	}
	if d.chosen.Type == api.TypePush {
		d.panel.hide() // nothing is sent before Send request
		d.setBusy(false)
		return
	}
	d.send()
}

// send prepares the chosen method: a code is sent, the phone asked, or
// nothing for an authenticator app. Send again does it once more.
func (d *stepUpDialog) send() {
	if d.ended || d.over != nil {
		return
	}
	d.message.hide()
	d.codeErr.set("")
	tokenID := d.chosen.TokenID
	d.prepared = ""
	d.panel.preparing(tokenID, d.chosen.Type)
	d.setBusy(true)
	var resp api.ChallengeResponse
	d.ui.run(d.ctx, d.progress, func(ctx context.Context) error {
		var err error
		resp, err = d.panel.prepare(ctx, tokenID)
		return err
	}, func(err error) {
		if d.chosen.TokenID != tokenID {
			return // another method was chosen meanwhile
		}
		d.setBusy(false)
		if err != nil {
			d.panel.failed(d.ctx, err)
			d.fail(err)
			return
		}
		d.prepared = tokenID
		d.panel.show(d.ctx, tokenID, resp)
		d.panel.focus()
	})
}

// updateConfirm fits the main button to the chosen method: Confirm a
// code, use the security key, wait for the phone, or send the push again
// once it is over.
func (d *stepUpDialog) updateConfirm() {
	setPushButton(d.confirm, d.chosen.Type, d.panel, lang.L("Confirm"))
	setEnabled(d.confirm, !d.busy && d.over == nil && !d.panel.waiting())
}

func (d *stepUpDialog) setProof(o fyne.CanvasObject) {
	d.proof.Objects = []fyne.CanvasObject{o}
	d.proof.Refresh()
}

func (d *stepUpDialog) setButtons(buttons ...fyne.CanvasObject) {
	d.buttons.Objects = buttonRow(append([]fyne.CanvasObject{d.dismiss}, buttons...)...).Objects
	d.buttons.Refresh()
}

func (d *stepUpDialog) onConfirm() {
	if d.ended || d.over != nil || d.confirm.Disabled() || !d.confirm.Visible() {
		return
	}
	switch {
	case d.prepared == "", d.chosen.Type == api.TypePush:
		d.send() // preparing failed, or the push is over: again
		return
	case d.chosen.Type == api.TypeFIDO2:
		d.useKey()
		return
	}
	d.message.hide()
	d.codeErr.set("")
	d.emergencyErr.set("")
	d.setBusy(true)
	approvalID, tokenID, code := d.step.ApprovalID, d.chosen.TokenID, d.panel.entry().Text
	if d.chosen.Type == api.TypeEmergency {
		code = d.emergency.Text
	}
	d.ui.run(d.ctx, d.progress, func(ctx context.Context) error {
		_, err := d.ui.session.VerifyStepUp(ctx, approvalID, tokenID, code)
		return err
	}, func(err error) {
		d.setBusy(false)
		if err != nil {
			d.fail(err)
			return
		}
		d.succeed()
	})
}

// useKey runs the ceremony with the chosen security key in the dialog.
func (d *stepUpDialog) useKey() {
	if d.ui.opts.Keys == nil {
		d.showMessage(errorMessage(hw.ErrNotCompiledIn))
		return
	}
	d.message.hide()
	approvalID, tokenID := d.step.ApprovalID, d.chosen.TokenID
	var p *keyPrompt
	p = newKeyPrompt(d.ui, keyCeremony{
		purpose: lang.L("Your security key confirms it's you."),
		op: func(ctx context.Context, a hw.Authenticator, pin string, events func(hw.Event)) error {
			_, err := d.ui.session.VerifyStepUpWithKey(ctx, approvalID, tokenID, a, pin, events)
			return err
		},
		final: stepUpOver,
		done: func(err error) {
			if d.prompt != p {
				return // stopped for another method, or the dialog ended
			}
			d.prompt = nil
			switch {
			case err == nil:
				d.succeed()
			case errors.Is(err, hw.ErrCancelled):
			default:
				d.choose()
				d.fail(err)
			}
		},
	})
	d.prompt = p
	// The ceremony takes the place of the list; Use another method
	// brings it back.
	d.choice.Hide()
	if d.demoBox != nil {
		d.demoBox.Hide()
	}
	// The dialog takes the size of the tallest state, the PIN, at once,
	// so that it does not change size while the key asks for things.
	d.setProof(container.New(&growLayout{}, container.NewCenter(p.content())))
	p.show(promptPIN)
	d.fit()
	d.fit() // again, now that its wrapped text knows its width
	d.ui.win.Canvas().Unfocus()
	if d.methods != nil {
		d.setButtons(d.other, p.action)
	} else {
		d.setButtons(p.action)
	}
	p.start(d.ctx)
	d.fit()
}

// stepUpOver reports errors after which the approval cannot be confirmed
// any more: start the action again.
func stepUpOver(err error) bool {
	return errors.Is(err, api.ErrApprovalExpired) || errors.Is(err, api.ErrApprovalUsed) ||
		errors.Is(err, api.ErrApprovalInvalid) || errors.Is(err, api.ErrNotFound) ||
		errors.Is(err, api.ErrInvalidState)
}

// fail shows why a confirmation did not work: next to the code when the
// code was wrong, otherwise above the form.
func (d *stepUpDialog) fail(err error) {
	emergency := d.chosen.Type == api.TypeEmergency
	switch {
	case emergency && errors.Is(err, api.ErrOTPInvalid):
		d.emergencyErr.set(lang.L("That emergency access code is not correct. Check it and type it again."))
		d.ui.win.Canvas().Focus(d.emergency)
	case emergency && firstOf(fieldErrors(err), "emergency_code", "token_id") != "":
		d.emergencyErr.set(firstOf(fieldErrors(err), "emergency_code", "token_id"))
		d.ui.win.Canvas().Focus(d.emergency)
	case d.panel.showError(err): // about a sent code
	case errors.Is(err, api.ErrOTPInvalid), errors.Is(err, api.ErrOTPReplayed):
		d.codeErr.set(errorMessage(err))
		d.code.SetText("")
		d.ui.win.Canvas().Focus(d.code)
	case fieldErrors(err)["otp"] != "":
		d.codeErr.set(fieldErrors(err)["otp"])
		d.ui.win.Canvas().Focus(d.code)
	case stepUpOver(err):
		d.showMessage(errorMessage(err) + " " + lang.L("Nothing was changed."))
		d.expire(errStepUpFailed())
	default:
		d.showMessage(errorMessage(err))
	}
	d.fit()
}

// expire ends a step-up that can no longer succeed, after the message
// says why: the user can only close the dialog, and the action reports
// err.
func (d *stepUpDialog) expire(err error) {
	d.over = err
	if d.prompt != nil {
		p := d.prompt
		d.prompt = nil
		p.stop()
	}
	d.panel.reset()
	d.choice.Show()
	d.proof.Objects = nil
	d.proof.Refresh()
	d.setButtons()
	d.confirm.Hide()
	d.dismiss.SetText(lang.L("Close"))
	d.setBusy(true)
	d.fit()
}

// succeed closes the dialog; the action runs again with the approval.
func (d *stepUpDialog) succeed() {
	d.end(stepUpResult{approvalID: d.step.ApprovalID})
}

// onCancel closes the dialog; the action does not run.
func (d *stepUpDialog) onCancel() {
	if d.over != nil {
		d.end(stepUpResult{err: d.over})
		return
	}
	d.end(stepUpResult{err: errStepUpCancelled()})
}

func (d *stepUpDialog) end(r stepUpResult) {
	if d.ended {
		return
	}
	d.ended = true
	if d.prompt != nil {
		p := d.prompt
		d.prompt = nil
		p.stop()
	}
	d.panel.reset()
	d.cancel()
	d.code.SetText("") // the codes are not needed any more
	d.emergency.SetText("")
	d.dlg.Hide()
	d.done(r)
}

func (d *stepUpDialog) setBusy(busy bool) {
	d.busy = busy
	d.panel.setEnabled(!busy && d.over == nil)
	setEnabled(d.emergency, !busy && d.over == nil)
	if d.methods != nil {
		setEnabled(d.methods, !busy && d.over == nil)
	}
	d.updateConfirm()
}

// enrollPreset finishes an enrollment that approvers approved: the
// template and name they approved, sent with the approved request's id.
type enrollPreset struct {
	templateID  string
	description string
	requestID   string
}

// presetFor is the preset that finishes the approved enrollment req.
func presetFor(req api.ApprovalRequest) *enrollPreset {
	templateID := req.Parameters["template_id"]
	if templateID == "" {
		templateID = req.Target
	}
	return &enrollPreset{templateID: templateID, description: req.Parameters["description"], requestID: req.ID}
}

// finishApprovedEnrollment opens the enrollment wizard of the approved
// enrollment req (one that awaits the requester): the security key or
// authenticator app wizard by the template's type, preset with what was
// approved. Once the token is set up, the sign-in methods are shown.
func (u *UI) finishApprovedEnrollment(req api.ApprovalRequest) {
	main, ok := u.current.(*mainScreen)
	if !ok || main.tokens == nil {
		return
	}
	main.tokens.finishEnrollment(presetFor(req), func() {
		main.selectArea(lang.L("Sign-in methods"))
	})
}

// sentText tells the requester that an action went to the approvers.
func sentText(req api.ApprovalRequest) string {
	if req.Operation == api.OpTokenEnroll {
		return lang.L("Sent for approval — see My requests. Once it is approved, finish adding “{{.Name}}” there.", map[string]any{"Name": req.TargetLabel})
	}
	return lang.L("Sent for approval — see My requests. It is done once your approvers approve it.")
}

// withRequest runs work with the approved request requestID, whose
// action the requester finishes.
func withRequest(requestID string, work func(context.Context) error) func(context.Context) error {
	return func(ctx context.Context) error { return work(api.WithApproval(ctx, requestID)) }
}

// selectMethod chooses the method of tokenID, as the user does in the
// list.
func (d *stepUpDialog) selectMethod(tokenID string) {
	if d.methods != nil {
		d.methods.selectID(tokenID)
	}
}

// growLayout stacks its objects and never shrinks: a container with it
// keeps the largest size its objects have needed.
type growLayout struct{ min fyne.Size }

func (l *growLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	for _, o := range objects {
		if o.Visible() {
			l.min = l.min.Max(o.MinSize())
		}
	}
	return l.min
}

func (l *growLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}
