package ui

import (
	"context"
	"image/color"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// idleWarning is how long before the idle sign-out the app warns.
const idleWarning = time.Minute

// idleLock signs the user out after a time without input (Options.IdleLock,
// set by IT for shared computers). It ends the session rather than
// locking the window over it: the session token would otherwise stay in
// the keyring of an OS account that several people use, and getting back
// in needs the password anyway. The username stays filled in, so that
// the same person signs in again quickly. A minute before, a banner warns
// and offers to stay signed in.
//
// Input is what reaches the window's background (mouse moves and taps
// outside controls, keys typed outside a field) and every action a
// control starts (UI.run).
type idleLock struct {
	ui     *UI
	limit  time.Duration
	last   atomic.Int64 // UnixNano of the last input
	warned bool         // the warning shows; UI thread only
	stop   context.CancelFunc
}

// newIdleLock starts checking for idleness, about every tenth of limit
// (at most every 15 s), until the window closes.
func newIdleLock(u *UI, limit time.Duration) *idleLock {
	l := &idleLock{ui: u, limit: limit}
	l.touch()
	ctx, stop := context.WithCancel(context.Background())
	l.stop = stop
	u.every(ctx, min(limit/10, 15*time.Second), l.check)
	if c, ok := u.win.Canvas().(desktop.Canvas); ok {
		c.SetOnKeyDown(func(*fyne.KeyEvent) { l.touch() })
	}
	return l
}

// touch notes input now.
func (l *idleLock) touch() {
	l.last.Store(l.ui.now().UnixNano())
}

// idle is how long there has been no input.
func (l *idleLock) idle() time.Duration {
	return l.ui.now().Sub(time.Unix(0, l.last.Load()))
}

// check warns, or signs out, when the signed-in window has had no input
// for long enough. It runs on the UI thread.
func (l *idleLock) check() {
	m, ok := l.ui.current.(*mainScreen)
	if !ok {
		l.touch() // only a signed-in window counts down
		return
	}
	idle := l.idle()
	switch {
	case idle >= l.limit:
		l.signOut(m)
	case idle >= l.limit-idleWarning && !l.warned:
		l.warn()
	case idle < l.limit-idleWarning && l.warned:
		l.warned = false
		l.ui.notice.hide()
	}
}

// warn shows the warning that the sign-out comes in a minute.
func (l *idleLock) warn() {
	l.warned = true
	l.ui.notice.show(bannerWarning,
		lang.L("No activity for a while: for your security you will be signed out in a minute."),
		lang.L("Stay signed in"), l.stay)
}

// stay is the warning's button: input, and the warning goes.
func (l *idleLock) stay() {
	l.touch()
	l.warned = false
	l.ui.notice.hide()
}

// signOut ends the session and shows the sign-in screen saying why.
func (l *idleLock) signOut(m *mainScreen) {
	if l.warned {
		l.warned = false
		l.ui.notice.hide()
	}
	minutes := int(l.limit.Round(time.Minute) / time.Minute)
	message := lang.N("You were signed out after {{.Count}} minutes without activity. Sign in again to continue.",
		minutes, map[string]any{"Count": minutes})
	m.setAccountBusy(true)
	l.ui.run(m.ctx, m.progress, func(ctx context.Context) error {
		return l.ui.session.Logout(ctx)
	}, func(error) {
		l.ui.showSignIn(message)
	})
}

// activityLayer lies under the window's content and notes the input that
// reaches it: mouse moves and taps where no control takes them.
type activityLayer struct {
	widget.BaseWidget
	touch func()
}

func newActivityLayer(touch func()) *activityLayer {
	a := &activityLayer{touch: touch}
	a.ExtendBaseWidget(a)
	return a
}

func (a *activityLayer) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}

func (a *activityLayer) MouseIn(*desktop.MouseEvent)    { a.touch() }
func (a *activityLayer) MouseMoved(*desktop.MouseEvent) { a.touch() }
func (a *activityLayer) MouseOut()                      {}
func (a *activityLayer) Tapped(*fyne.PointEvent)        { a.touch() }
