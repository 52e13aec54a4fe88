package ui

import (
	"context"
	"errors"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
	"selfservice/resources"
)

// pushPollEvery is how often the app asks whether the phone has answered
// a push request, or has registered as a push token.
const pushPollEvery = 1500 * time.Millisecond

// methodProof asks for the proof of a sign-in method once the server has
// prepared it; the second-factor screen and the step-up dialog both use
// it, so that a sent code and a push look and behave the same in both.
//
//   - An authenticator app: the owner's code field.
//   - An SMS or email token: the sent code (sentCode, as everywhere a code
//     is sent): where it went, the code field, and Send again, disabled
//     with a live countdown until the server allows another code.
//   - A push token: the waiting state (what to confirm, the phone
//     pulsing, time left) while the server is asked in the background
//     whether the phone has answered (waitForPhone); once the phone
//     refused or the time ran out, the reason. The owner's main button
//     then offers to send it again.
//
// The owner prepares the method (the challenge call) and hands the answer
// to show; it keeps its buttons in step with waiting and pushOver through
// onChange. Everything runs on the UI thread; polling and the clocks stop
// when the method changes (reset) or the owner's context ends.
type methodProof struct {
	ui        *UI
	ask       string            // what to do on the phone, in words
	code      *entry            // the owner's entry for codes the token shows
	codeField fyne.CanvasObject // the owner's field around it
	progress  *busyBar          // the owner's, while a code is sent again
	// prepare is the owner's challenge call for tokenID; Send again of a
	// sent code calls it (off the UI thread).
	prepare func(ctx context.Context, tokenID string) (api.ChallengeResponse, error)
	// poll asks once whether the phone confirmed the push request pushID
	// of the token tokenID: nil when it did, api.ErrPushPending while it
	// has not answered.
	poll     func(ctx context.Context, tokenID, pushID string) error
	onChange func()          // the state changed: the owner updates its buttons
	onSubmit func()          // Enter in the entry of a sent code
	report   func(err error) // shows why Send again of a sent code failed
	// onPushed is told how a push ended, unless the phone refused or the
	// time ran out (shown here): nil when it was confirmed, or an error.
	onPushed func(err error)

	status  *widget.RichText // "Sending a code…", while the method is prepared
	sent    *sentCode        // the code sent, while one is shown
	sentBox *fyne.Container

	pulse    *keyPulse // the phone, pulsing while it is asked
	waitText *widget.Label
	// number is the number of number matching, which the user picks on
	// the phone; hidden for a push without one.
	number    *canvas.Text
	numberBox *fyne.Container
	left      *widget.RichText
	bar       *countdown
	clock     *fyne.Container // the bar and the time left of a push
	waitBox   *fyne.Container
	ended     *banner // why the push is over

	box *fyne.Container

	tokenID string
	shown   api.ChallengeResponse // the prepared proof shown; Proof is "" while none
	shownAt time.Time             // when the push was asked, for its bar
	over    error                 // why the push ended; nil while it waits or for a code
	stop    context.CancelFunc    // ends the clocks and the polling of what is shown
	// prepared keeps the proofs prepared for each token, so that choosing a
	// method again shows its code or push again instead of sending another
	// one while the first still works.
	prepared map[string]preparedProof
}

// preparedProof is a proof prepared for a token and when.
type preparedProof struct {
	resp api.ChallengeResponse
	at   time.Time
}

// newMethodProof builds the panel around the owner's code entry and its
// field (label, entry, error); progress is the owner's busy bar. ask says
// what to do on the phone while a push waits ("Confirm on your phone:
// Sign in as demo"). The owner sets the functions before it shows
// anything.
func newMethodProof(u *UI, code *entry, codeField fyne.CanvasObject, progress *busyBar, ask string) *methodProof {
	p := &methodProof{
		ui:        u,
		ask:       ask,
		code:      code,
		codeField: codeField,
		progress:  progress,
		status:    muted(""),
		sentBox:   container.NewStack(),
		pulse:     newKeyPulse(theme.NewPrimaryThemedResource(tokenIcon(api.TypePush))),
		waitText:  widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		left:      hint(""),
		bar:       newCountdown(),
		ended:     newBanner(),
		prepared:  map[string]preparedProof{},
	}
	p.waitText.Wrapping = fyne.TextWrapWord
	p.left.Wrapping = fyne.TextWrapOff
	p.number = canvas.NewText("", theme.Color(theme.ColorNamePrimary))
	p.number.TextSize = 3 * theme.TextHeadingSize()
	p.number.TextStyle = fyne.TextStyle{Bold: true}
	p.number.Alignment = fyne.TextAlignCenter
	pick := widget.NewLabelWithStyle(lang.L("Pick it on your phone"), fyne.TextAlignCenter, fyne.TextStyle{})
	pick.SizeName = theme.SizeNameCaptionText
	p.numberBox = container.NewVBox(container.NewCenter(p.number), pick)

	phone := container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(72), p.pulse))
	text := container.NewVBox(p.waitText, hint(lang.L("Open the request in the Selfservice authenticator app, pick the number shown here and tap Approve.")))
	p.clock = container.NewBorder(nil, nil, nil, p.left, p.bar)
	p.waitBox = container.NewVBox(container.NewBorder(nil, nil, phone, p.numberBox, text), p.clock)
	p.box = container.NewVBox(p.status, p.codeField, p.sentBox, p.waitBox, p.ended)
	p.only(p.codeField)
	return p
}

func (p *methodProof) content() fyne.CanvasObject { return p.box }

// hidePushClock hides the time left of a push, for an owner that shows a
// countdown of its own (the step-up's): two would confuse. A push that
// runs out first says so when it does.
func (p *methodProof) hidePushClock() { p.clock.Hide() }

// only shows the given parts of the panel and hides the others.
func (p *methodProof) only(parts ...fyne.CanvasObject) {
	for _, o := range p.box.Objects {
		o.Hide()
	}
	for _, o := range parts {
		o.Show()
	}
	p.box.Show()
}

// reset ends what is shown: its clocks and polling stop. A sent code is
// kept (with a later Send again) to be shown again.
func (p *methodProof) reset() {
	if p.stop != nil {
		p.stop()
		p.stop = nil
	}
	if p.sent != nil {
		if pp, ok := p.prepared[p.tokenID]; ok && pp.resp.Delivery != nil {
			d := p.sent.delivery
			pp.resp.Delivery = &d
			p.prepared[p.tokenID] = pp
		}
		p.sent = nil
		p.sentBox.Objects = nil
	}
	p.pulse.setPulsing(false)
	p.shown = api.ChallengeResponse{}
	p.over = nil
	p.tokenID = ""
}

// hide hides the panel, for a method that needs no code (a security key)
// or its own field (an emergency access code).
func (p *methodProof) hide() {
	p.reset()
	p.box.Hide()
	p.codeField.Hide()
	p.changed()
}

// showCode asks for a code the user reads from their token.
func (p *methodProof) showCode() {
	p.reset()
	p.only(p.codeField)
	p.changed()
}

// preparing says that the method tokenID of type kind is being prepared.
func (p *methodProof) preparing(tokenID string, kind api.TokenType) {
	p.reset()
	p.tokenID = tokenID
	switch kind {
	case api.TypeSMS, api.TypeEmail:
		setStyledText(p.status, lang.L("Sending a code…"))
		p.only(p.status)
	case api.TypePush:
		setStyledText(p.status, lang.L("Asking your phone…"))
		p.only(p.status)
	default:
		p.only(p.codeField) // nothing is sent: the token shows the code
	}
	p.changed()
}

// failed ends preparing after err. Asked too soon for another code while
// the one sent before still works, that one is shown again, counting
// down to when the server allows another, until ctx ends.
func (p *methodProof) failed(ctx context.Context, err error) {
	var e *api.Error
	if errors.As(err, &e) && e.Code == api.CodeResendTooSoon && e.RetryAfter > 0 {
		if last, ok := p.prepared[p.tokenID]; ok && p.stillWorks(last) && last.resp.Delivery != nil {
			last.resp.Delivery.ResendAt = p.ui.now().Add(e.RetryAfter)
			p.show(ctx, p.tokenID, last.resp)
			return
		}
	}
	p.only()
	p.box.Hide()
	p.changed()
}

// resume shows again the proof prepared for tokenID, when it still works,
// and reports whether it did.
func (p *methodProof) resume(ctx context.Context, tokenID string) bool {
	last, ok := p.prepared[tokenID]
	if !ok || !p.stillWorks(last) {
		return false
	}
	p.show(ctx, tokenID, last.resp)
	return true
}

// stillWorks reports whether a prepared proof can still be used.
func (p *methodProof) stillWorks(pp preparedProof) bool {
	now := p.ui.now()
	switch {
	case pp.resp.Delivery != nil:
		return now.Before(pp.resp.Delivery.ExpiresAt)
	case pp.resp.Push != nil:
		return now.Before(pp.resp.Push.ExpiresAt)
	}
	return false
}

// show shows the prepared proof resp of tokenID: a sent code or a push
// request, which it then waits for until ctx ends. Other proofs ask for
// the code.
func (p *methodProof) show(ctx context.Context, tokenID string, resp api.ChallengeResponse) {
	keep, known := p.prepared[tokenID]
	p.reset()
	p.tokenID = tokenID
	if resp.Delivery == nil && resp.Push == nil {
		p.showCode()
		return
	}
	if !known || resp.Push == nil || keep.resp.Push == nil || keep.resp.Push.ID != resp.Push.ID {
		keep.at = p.ui.now()
	}
	keep.resp = resp
	p.prepared[tokenID] = keep
	p.shown, p.shownAt = resp, keep.at
	clock, cancel := context.WithCancel(ctx)
	p.stop = cancel
	if resp.Delivery != nil {
		p.showSent(clock, *resp.Delivery)
	} else {
		p.showPush(clock, *resp.Push)
	}
	p.changed()
}

// showSent shows where the code went, with its entry and Send again.
func (p *methodProof) showSent(ctx context.Context, d api.CodeDelivery) {
	tokenID := p.tokenID
	p.sent = newSentCode(p.ui, ctx, p.progress, d, func(ctx context.Context) (api.CodeDelivery, error) {
		resp, err := p.prepare(ctx, tokenID)
		if err == nil && resp.Delivery == nil {
			err = &api.Error{Code: api.CodeBadResponse}
		}
		if err != nil {
			return api.CodeDelivery{}, err
		}
		return *resp.Delivery, nil
	}, p.report)
	p.sent.code.OnSubmitted = func(string) { p.onSubmit() }
	p.sentBox.Objects = []fyne.CanvasObject{p.sent.content()}
	p.sentBox.Refresh()
	p.only(p.sentBox)
}

// showPush shows the waiting state and polls until the phone answers.
func (p *methodProof) showPush(ctx context.Context, push api.PushChallenge) {
	p.waitText.SetText(p.ask)
	p.number.Text = ""
	p.numberBox.Hide()
	if push.Number != 0 {
		p.number.Text = strconv.Itoa(push.Number)
		p.number.Color = theme.Color(theme.ColorNamePrimary)
		p.numberBox.Show()
	}
	p.number.Refresh()
	p.only(p.waitBox)
	p.pulse.setPulsing(true)
	p.tick()
	p.ui.every(ctx, time.Second, p.tick)
	p.startPolling(ctx, p.tokenID, push.ID)
}

// startPolling waits for the phone's answer to the push request pushID
// of tokenID, until what is shown changes (ctx ends).
func (p *methodProof) startPolling(ctx context.Context, tokenID, pushID string) {
	p.ui.waitForPhone(ctx, func(ctx context.Context) error { return p.poll(ctx, tokenID, pushID) }, p.pushed)
}

// waitForPhone is the one way the app waits for a phone to answer a push
// request: off the UI thread it calls check every pushPollEvery while
// check fails with api.ErrPushPending, then calls done on the UI thread
// with check's last answer (nil: confirmed). It stops silently when ctx
// ends.
func (u *UI) waitForPhone(ctx context.Context, check func(ctx context.Context) error, done func(err error)) {
	go repeat(ctx, pushPollEvery, func() bool {
		err := check(ctx)
		if errors.Is(err, api.ErrPushPending) || ctx.Err() != nil {
			return true
		}
		u.do(func() {
			if ctx.Err() == nil {
				done(err)
			}
		})
		return false
	})
}

// pushed takes the end of the push request shown.
func (p *methodProof) pushed(err error) {
	if errors.Is(err, api.ErrPushDenied) || errors.Is(err, api.ErrPushExpired) {
		p.end(err)
		return
	}
	if p.stop != nil {
		p.stop()
		p.stop = nil
	}
	p.pulse.setPulsing(false)
	if err == nil {
		delete(p.prepared, p.tokenID) // used up
	}
	// Otherwise the request may still be answered: choosing the method
	// again (the owner's retry) waits for it again. Meanwhile the owner
	// says what went wrong.
	p.shown = api.ChallengeResponse{}
	if err != nil {
		p.only()
		p.box.Hide()
	}
	p.changed()
	p.onPushed(err)
}

// end shows that the push request is over (refused or timed out); the
// owner offers to send another.
func (p *methodProof) end(err error) {
	if p.stop != nil {
		p.stop()
		p.stop = nil
	}
	p.pulse.setPulsing(false)
	delete(p.prepared, p.tokenID)
	p.over = err
	kind := bannerWarning
	if errors.Is(err, api.ErrPushDenied) {
		kind = bannerError
	}
	p.ended.show(kind, errorMessage(err), "", nil)
	p.only(p.ended)
	p.changed()
}

// tick shows the time left of the push request shown.
func (p *methodProof) tick() {
	push := p.shown.Push
	if push == nil || p.over != nil {
		return
	}
	left := max(push.ExpiresAt.Sub(p.ui.now()), 0)
	setStyledText(p.left, lang.L("{{.Time}} left", map[string]any{"Time": clockDuration(left)}))
	if total := push.ExpiresAt.Sub(p.shownAt); total > 0 {
		p.bar.set(float64(left) / float64(total))
	}
}

// waiting reports whether a push request waits for the phone.
func (p *methodProof) waiting() bool { return p.shown.Push != nil && p.over == nil }

// pushOver reports whether the push request shown is over: the owner's
// main button sends another.
func (p *methodProof) pushOver() bool { return p.over != nil }

// hasCode reports whether a sent code is shown.
func (p *methodProof) hasCode() bool { return p.sent != nil }

// entry is the entry the code is typed into: the sent code's, or the
// owner's.
func (p *methodProof) entry() *entry {
	if p.sent != nil {
		return p.sent.code
	}
	return p.code
}

// showError shows next to a sent code a failed check that is about the
// code, and reports whether it did. A code that no longer works is
// forgotten: choosing the method again sends a new one.
func (p *methodProof) showError(err error) bool {
	if p.sent == nil {
		return false
	}
	if errors.Is(err, api.ErrCodeExpired) {
		delete(p.prepared, p.tokenID)
	}
	if !p.sent.showError(err) {
		return false
	}
	p.sent.code.SetText("")
	p.ui.win.Canvas().Focus(p.sent.code)
	return true
}

// setEnabled enables or disables the panel's inputs while the owner is
// busy.
func (p *methodProof) setEnabled(enabled bool) {
	setEnabled(p.code, enabled)
	if p.sent != nil {
		p.sent.setBusy(!enabled)
	}
}

// focus puts the cursor in the code's entry, when one is shown.
func (p *methodProof) focus() {
	if p.shown.Push != nil || !p.box.Visible() {
		return
	}
	if e := p.entry(); e.Visible() && !e.Disabled() {
		p.ui.win.Canvas().Focus(e)
	}
}

// shownNumber is the number of the push request waiting, 0 for none.
func (p *methodProof) shownNumber() int {
	if !p.waiting() {
		return 0
	}
	return p.shown.Push.Number
}

// setPushButton fits an owner's main button b to the chosen method's kind
// and the state of p: confirm (the owner's word for checking a code),
// use the security key, Send request (choosing a push sends nothing by
// itself), wait for the phone, or Send again once the request is over.
func setPushButton(b *widget.Button, kind api.TokenType, p *methodProof, confirm string) {
	switch {
	case kind == api.TypeFIDO2:
		b.SetText(lang.L("Use security key"))
		b.SetIcon(resources.SecurityKeyIcon)
	case kind != api.TypePush:
		b.SetText(confirm)
		b.SetIcon(theme.ConfirmIcon())
	case p.waiting():
		b.SetText(lang.L("Waiting for your phone…"))
		b.SetIcon(theme.HistoryIcon())
	case p.pushOver():
		b.SetText(lang.L("Send again"))
		b.SetIcon(theme.MailSendIcon())
	default:
		b.SetText(lang.L("Send request"))
		b.SetIcon(theme.MailSendIcon())
	}
}

func (p *methodProof) changed() {
	if p.onChange != nil {
		p.onChange()
	}
}
