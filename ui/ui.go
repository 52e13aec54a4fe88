// Package ui is the Selfservice desktop app's user interface: one file per
// screen (sign-in, second factor, main window, tokens, enrollment), the QR
// code widget, and the mapping of errors to messages. It talks to the
// server only through *app.Session.
package ui

import (
	"context"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"selfservice/app"
	"selfservice/resources"
)

// Options changes how the app behaves.
type Options struct {
	// Demo lists the accounts of the embedded demo server. When it is not
	// empty, the sign-in and second-factor screens show a "Demo mode"
	// panel with these accounts and their current codes. Leave it empty
	// outside demo mode.
	Demo []DemoInfo

	// DemoHardware lists the hardware tokens of the embedded demo server,
	// which the demo panel and the Add hardware token form show with
	// their current codes. Leave it empty outside demo mode.
	DemoHardware []DemoHardwareToken

	// Keys reaches the security keys on this computer. Leave it nil to
	// hide every security-key feature.
	Keys *app.Keys

	// DemoMessages lists the messages (codes, links) the embedded demo
	// server wrote to its folder instead of sending them. When it is set,
	// wherever a code was sent the app shows what the newest one says.
	// Leave it nil outside demo mode. It may read files: it is called off
	// the UI thread.
	DemoMessages func() ([]DemoMessage, error)

	// ManagedProblem says why the managed configuration IT installed
	// cannot be used; the app shows it until dismissed.
	ManagedProblem error

	// NoDemo says that IT turned the demo off: without a server address,
	// the sign-in screen tells the user to ask IT for it.
	NoDemo bool

	// IdleLock signs the user out after that long without input; zero
	// never does.
	IdleLock time.Duration
}

// DemoMessage is one message of the demo server: an SMS or email that
// was written to a folder instead of being sent.
type DemoMessage struct {
	Channel, To, Subject, Body string // Channel is "sms" or "email"
	At                         time.Time
}

// DemoInfo is one demo account: its credentials and the secret of its
// authenticator app token.
type DemoInfo struct {
	Username, Password, TOTPSecret string
}

// DemoHardwareToken is one hardware token of the demo server: its serial
// number and the base32 secret of its codes (TOTP, SHA1, 6 digits, 30 s).
type DemoHardwareToken struct {
	Serial, Secret string
}

// UI is the app's main window and the navigation between its screens.
type UI struct {
	app     fyne.App
	win     fyne.Window
	session *app.Session
	opts    Options

	// do applies a change to widgets from a goroutine (fyne.Do outside
	// tests); now is the clock; after runs f on the UI thread once d has
	// passed (a fake timer in tests).
	do    func(func())
	now   func() time.Time
	after func(d time.Duration, f func())

	copied map[*widget.Button]*copiedButton // copy buttons saying "Copied", see copyText
	// lastCopied is what copyText last put on the clipboard, for Sign out
	// and wipe to clear while the clipboard still holds it.
	lastCopied string

	// dates writes dates and times as the signed-in user chose (see
	// applyPreferences); changed on the UI thread only.
	dates dates

	notice *banner         // app-wide, non-blocking messages
	keys   *keyboard       // Escape, F1 and the screen's shortcuts
	body   *fyne.Container // holds the current screen

	cancelScreen context.CancelFunc // ends the current screen's work
	current      any                // the current screen, for tests
	stepUp       *stepUpDialog      // the step-up dialog open, if any: one at a time

	idle *idleLock // nil without Options.IdleLock
	tray *tray     // nil where the system has no tray
}

var loadTranslations sync.Once

// New builds the main window. It starts resuming a saved session at once;
// the sign-in screen follows if there is none.
func New(a fyne.App, session *app.Session, opts Options) *UI {
	return newUI(a, session, opts, fyne.Do, time.Now)
}

func newUI(a fyne.App, session *app.Session, opts Options, do func(func()), now func() time.Time) *UI {
	loadTranslations.Do(func() {
		if err := resources.LoadTranslations(); err != nil {
			fyne.LogError("loading translations", err)
		}
	})

	u := &UI{app: a, session: session, opts: opts, do: do, now: now, dates: computerDates(), copied: map[*widget.Button]*copiedButton{}}
	u.after = func(d time.Duration, f func()) { time.AfterFunc(d, func() { u.do(f) }) }
	u.win = a.NewWindow("")
	u.win.SetIcon(resources.Icon)
	u.win.SetMaster()
	u.win.Resize(windowSize(session))
	u.win.SetOnClosed(func() {
		size := u.win.Canvas().Size()
		session.SetWindowSize(size.Width, size.Height)
		u.close()
	})
	u.keys = newKeyboard(u.win.Canvas(), u.showShortcuts)
	u.tray = newTray(a, func() {
		u.win.Show()
		u.win.RequestFocus()
	})

	u.notice = newBanner()
	u.body = container.NewStack()
	content := container.NewBorder(u.notice, nil, nil, nil, u.body)
	if opts.IdleLock > 0 {
		u.idle = newIdleLock(u, opts.IdleLock)
		content = container.NewStack(newActivityLayer(u.idle.touch), content)
	}
	u.win.SetContent(content)

	u.watchPreferences()
	u.win.SetTitle(lang.L("Selfservice"))
	u.showManagedProblem()
	session.OnExpired(func() {
		u.do(func() {
			u.showSignIn(lang.L("Your session has expired. Sign in again."))
		})
	})
	u.start()
	return u
}

// windowSize is the size the main window had when the app was last
// closed, else 960×640.
func windowSize(session *app.Session) fyne.Size {
	if w, h, ok := session.WindowSize(); ok {
		return fyne.NewSize(w, h)
	}
	return fyne.NewSize(960, 640)
}

// Window is the app's main window.
func (u *UI) Window() fyne.Window { return u.win }

// ShowAndRun shows the window and runs the app until it is closed.
func (u *UI) ShowAndRun() {
	u.win.ShowAndRun()
	u.close()
}

// close ends the current screen's work and the idle lock's, and forgets
// the window's keyboard.
func (u *UI) close() {
	u.endScreen()
	u.keys.release()
	if u.idle != nil {
		u.idle.stop()
	}
}

// start shows a progress state while a saved session is resumed, then
// the main screen or the sign-in screen.
func (u *UI) start() {
	s := newStartingScreen()
	ctx := u.newScreen(s)
	var resumed bool
	u.run(ctx, s.progress, func(ctx context.Context) error {
		var err error
		resumed, err = u.session.Resume(ctx)
		return err
	}, func(err error) {
		u.showKeyringProblem()
		if resumed {
			u.showMain()
			return
		}
		message := errorMessage(err)
		if message == "" && u.opts.NoDemo && u.session.ServerURL() == "" {
			message = lang.L("Enter the address of your organisation's Selfservice server. If you do not know it, ask IT.")
		}
		u.showSignIn(message)
	})
}

// showSignIn replaces the current screen with the sign-in screen, with an
// optional message explaining why.
func (u *UI) showSignIn(message string) {
	// Whoever signed out, by any way, leaves no setup key or code of
	// theirs on the clipboard for the next person.
	u.clearCopied()
	s := newSignInScreen(u, message)
	s.ctx = u.newScreen(s)
	s.start()
}

func (u *UI) showSecondFactor(ch *app.Challenge, username string) {
	s := newSecondFactorScreen(u, ch, username)
	s.ctx = u.newScreen(s)
	s.start()
}

func (u *UI) showMain() {
	u.showMainAt(0)
}

// showMainAt shows the main screen with the area at index open.
func (u *UI) showMainAt(index int) {
	u.showKeyringProblem()
	s := newMainScreen(u)
	s.first = min(index, max(len(s.areas)-1, 0))
	s.ctx = u.newScreen(s)
	s.start()
}

// screen is what every screen provides to the window.
type screen interface {
	content() fyne.CanvasObject
}

// newScreen ends the current screen's work and shows s. The returned
// context lives as long as s is shown.
func (u *UI) newScreen(s screen) context.Context {
	u.endScreen()
	u.keys.use(nil)
	u.tray.setPending(0, nil) // the main screen counts again
	ctx, cancel := context.WithCancel(context.Background())
	u.cancelScreen = cancel
	u.current = s
	u.body.Objects = []fyne.CanvasObject{s.content()}
	u.body.Refresh()
	return ctx
}

func (u *UI) endScreen() {
	if u.cancelScreen != nil {
		u.cancelScreen()
		u.cancelScreen = nil
	}
}

// run calls work off the UI thread and then done with its error on the UI
// thread; bar, when not nil, runs meanwhile. When ctx ends first (the
// screen was replaced), done is not called: the result no longer has
// anywhere to go.
func (u *UI) run(ctx context.Context, bar *busyBar, work func(ctx context.Context) error, done func(err error)) {
	if bar != nil {
		bar.set(true)
	}
	if u.idle != nil {
		u.idle.touch() // a control started this
	}
	go func() {
		err := work(ctx)
		u.do(func() {
			if bar != nil {
				bar.set(false)
			}
			if ctx.Err() != nil {
				return
			}
			done(err)
		})
	}()
}

// showKeyringProblem tells the user, once, that the session cannot be
// kept in the system keyring.
func (u *UI) showKeyringProblem() {
	if u.session.KeyringProblem() == nil {
		return
	}
	u.notice.show(bannerWarning,
		lang.L("Your system keyring is not available, so Selfservice cannot remember that you are signed in. You will need to sign in again each time you start the app."),
		lang.L("Dismiss"), u.notice.hide)
}
