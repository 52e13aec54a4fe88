package ui

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
	"selfservice/app"
)

// qrSize is the largest side of the sign-in QR code.
const qrSize = 240

// maxQRRenewals is how often an expired sign-in QR code is replaced
// without the user asking: a screen left alone stops asking the server
// for new ones after that, and offers a button instead.
const maxQRRenewals = 3

// qrState is what the QR sign-in shows.
type qrState int

const (
	qrLoading qrState = iota // asking the server for a QR code
	qrWaiting                // the QR code, waiting for the phone
	qrRefused                // the user refused on the phone
	qrExpired                // the QR code expired and was not renewed
	qrFailed                 // the server could not be asked; the message says why
)

// qrSignIn is the sign-in screen's passwordless sign-in with the
// authenticator app: the app on the phone reads a QR code from the
// screen, the user confirms there, and the desktop signs in as the
// phone's user. It polls the server while the code is shown and replaces
// an expired code itself a few times.
type qrSignIn struct {
	ui *UI
	// formError goes back to the password form to show an error that is
	// about its fields (the server address).
	formError func(err error)
	back      *widget.Button

	code     *fyne.Container // the QR code, or what became of it
	left     *widget.RichText
	bar      *countdown
	clock    *fyne.Container
	message  *banner
	renew    *widget.Button
	copy     *widget.Button // demo mode only: the link, for the command-line authenticator
	progress *busyBar

	ctx       context.Context // the screen's
	serverURL string
	state     qrState
	login     *app.QRLogin // the QR code shown; nil while there is none
	issued    time.Time    // when it was shown, for the bar
	qr        *qrCode
	stop      context.CancelFunc // ends the clock and the polling of login
	renewals  int                // automatic renewals since the user last asked
}

// newQRSignIn builds the view; onBack returns to the password form.
func newQRSignIn(u *UI, onBack func(), formError func(error)) *qrSignIn {
	q := &qrSignIn{
		ui:        u,
		formError: formError,
		code:      container.NewStack(),
		left:      hint(""),
		bar:       newCountdown(),
		message:   newBanner(),
		progress:  newBusyBar(),
	}
	q.left.Wrapping = fyne.TextWrapOff
	q.clock = container.NewBorder(nil, nil, nil, q.left, q.bar)
	q.renew = widget.NewButtonWithIcon(lang.L("New QR code"), theme.ViewRefreshIcon(), q.onRenew)
	q.copy = widget.NewButtonWithIcon(lang.L("Copy link"), theme.ContentCopyIcon(), func() {
		if q.login != nil {
			u.copyText(q.copy, q.login.URI)
		}
	})
	if len(u.opts.Demo) == 0 {
		q.copy.Hide()
	}
	q.back = widget.NewButtonWithIcon(lang.L("Sign in with a password instead"), theme.NavigateBackIcon(), func() {
		q.end()
		onBack()
	})
	return q
}

func (q *qrSignIn) content() fyne.CanvasObject {
	steps := paragraph(lang.L("Open the Selfservice authenticator app on your phone, choose Scan, and point the camera at this code. Then confirm the sign-in on your phone."))
	// The code sits on a fixed square so that the card keeps its size
	// whatever is shown in its place.
	square := container.NewGridWrap(fyne.NewSquareSize(qrSize+2*theme.Padding()), q.code)
	return container.NewVBox(
		steps,
		q.message,
		container.NewCenter(square),
		q.clock,
		container.NewCenter(container.NewHBox(q.renew, q.copy)),
		q.progress,
		widget.NewSeparator(),
		q.back,
	)
}

// start shows a QR code for the server at serverURL; ctx is the screen's.
func (q *qrSignIn) start(ctx context.Context, serverURL string) {
	q.ctx, q.serverURL = ctx, serverURL
	q.renewals = 0
	q.begin()
}

// end stops waiting for the phone: the view is left.
func (q *qrSignIn) end() {
	q.halt()
	q.login = nil
}

// halt stops the clock and the polling of the QR code shown.
func (q *qrSignIn) halt() {
	if q.stop != nil {
		q.stop()
		q.stop = nil
	}
}

// begin asks the server for a new QR code and shows it.
func (q *qrSignIn) begin() {
	q.halt()
	q.login = nil
	q.message.hide()
	q.setState(qrLoading)
	var login *app.QRLogin
	q.ui.run(q.ctx, q.progress, func(ctx context.Context) error {
		var err error
		login, err = q.ui.session.BeginQRLogin(ctx, q.serverURL)
		return err
	}, func(err error) {
		if err != nil {
			q.failed(err)
			return
		}
		q.show(login)
	})
}

// show shows login's QR code and waits for the phone.
func (q *qrSignIn) show(login *app.QRLogin) {
	qr, err := newQRCode(login.URI, qrSize)
	if err != nil {
		q.failed(err)
		return
	}
	q.login, q.qr, q.issued = login, qr, q.ui.now()
	q.setState(qrWaiting)
	q.code.Objects = []fyne.CanvasObject{container.NewCenter(qr)}
	q.code.Refresh()
	q.wait()
}

// wait runs the clock and polls the server until the phone answers, the
// code expires or the view is left.
func (q *qrSignIn) wait() {
	q.halt()
	ctx, cancel := context.WithCancel(q.ctx)
	q.stop = cancel
	login := q.login
	q.tick()
	q.ui.every(ctx, time.Second, q.tick)
	q.ui.waitForPhone(ctx, func(ctx context.Context) error {
		return q.ui.session.FinishQRLogin(ctx, login)
	}, q.answered)
}

// tick shows the time left; at the end the code is renewed, or marked
// expired.
func (q *qrSignIn) tick() {
	if q.state != qrWaiting || q.login == nil {
		return
	}
	now := q.ui.now()
	left := q.login.ExpiresAt.Sub(now)
	if left <= 0 {
		q.expired()
		return
	}
	seconds := int(left.Round(time.Second) / time.Second)
	setStyledText(q.left, lang.L("{{.Time}} left", map[string]any{"Time": fmt.Sprintf("%d:%02d", seconds/60, seconds%60)}))
	if total := q.login.ExpiresAt.Sub(q.issued); total > 0 {
		q.bar.set(float64(left) / float64(total))
	}
}

// answered takes the phone's answer, or why there is none.
func (q *qrSignIn) answered(err error) {
	q.halt()
	switch {
	case err == nil:
		q.ui.showMain()
	case errors.Is(err, api.ErrPushDenied):
		q.refused()
	case errors.Is(err, api.ErrPushExpired), errors.Is(err, api.ErrNotFound):
		q.expired()
	default:
		// The code may still be answered: wait for it again on Retry.
		q.failed(err)
	}
}

// expired replaces an expired code, a few times without asking.
func (q *qrSignIn) expired() {
	q.halt()
	if q.renewals < maxQRRenewals {
		q.renewals++
		q.begin()
		return
	}
	q.login = nil
	q.setState(qrExpired)
	q.showOutcome(theme.NewWarningThemedResource(theme.HistoryIcon()),
		lang.L("This QR code has expired"),
		lang.L("Make a new one when you have your phone at hand."))
}

// refused says that the user refused the sign-in on the phone.
func (q *qrSignIn) refused() {
	q.login = nil
	q.setState(qrRefused)
	q.showOutcome(theme.NewErrorThemedResource(theme.CancelIcon()),
		lang.L("Refused on the phone"),
		lang.L("The sign-in was refused in the authenticator app. If that was not you, tell your helpdesk."))
}

// showOutcome shows in the code's place what became of it.
func (q *qrSignIn) showOutcome(icon fyne.Resource, title, text string) {
	img := canvas.NewImageFromResource(icon)
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSquareSize(56))
	head := widget.NewLabelWithStyle(title, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	head.SizeName = theme.SizeNameSubHeadingText
	body := widget.NewLabelWithStyle(text, fyne.TextAlignCenter, fyne.TextStyle{})
	body.Wrapping = fyne.TextWrapWord
	q.code.Objects = []fyne.CanvasObject{container.NewVBox(layout.NewSpacer(), container.NewCenter(img), head, body, layout.NewSpacer())}
	q.code.Refresh()
}

// failed says why there is no code, or why waiting for the phone
// stopped; Retry waits for the code shown again, or asks for a new one.
// Errors about the server address go back to the form.
func (q *qrSignIn) failed(err error) {
	var e *api.Error
	if len(fieldErrors(err)) > 0 || (errors.As(err, &e) && e.Code == api.CodeInsecureURL) {
		q.end()
		q.formError(err)
		return
	}
	q.setState(qrFailed)
	if msg := errorMessage(err); msg != "" {
		q.message.show(bannerError, msg, lang.L("Retry"), q.retry)
	}
}

// retry waits again for the code shown, or makes a new one.
func (q *qrSignIn) retry() {
	q.message.hide()
	if q.login == nil {
		q.begin()
		return
	}
	q.setState(qrWaiting)
	q.wait()
}

// onRenew makes a new code at the user's request.
func (q *qrSignIn) onRenew() {
	if q.renew.Disabled() {
		return
	}
	q.renewals = 0
	q.begin()
}

// setState shows what belongs to state.
func (q *qrSignIn) setState(state qrState) {
	q.state = state
	q.renew.Enable()
	q.renew.Importance = widget.MediumImportance
	q.renew.SetText(lang.L("New QR code"))
	setEnabled(q.copy, state == qrWaiting)
	switch state {
	case qrLoading:
		q.renew.Disable()
		q.code.Objects = []fyne.CanvasObject{container.NewCenter(muted(lang.L("Making a QR code…")))}
		q.code.Refresh()
		q.clock.Hide()
	case qrWaiting:
		q.clock.Show()
	case qrRefused:
		q.renew.SetText(lang.L("Try again"))
		q.renew.Importance = widget.HighImportance
		q.clock.Hide()
	case qrExpired:
		q.renew.Importance = widget.HighImportance
		q.clock.Hide()
	case qrFailed:
		q.clock.Hide()
		if q.login == nil {
			q.code.Objects = nil
			q.code.Refresh()
		}
	}
	q.renew.Refresh()
}
