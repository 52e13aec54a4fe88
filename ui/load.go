package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2/lang"
)

// loadState is what loadWithRetry remembers of an area's loads: when
// what it shows was loaded, so that a failed refresh keeps it and says
// how old it is, and which load is the latest, so that only its answer
// counts. Its zero value is an area that has not loaded yet.
type loadState struct {
	at     time.Time // when the content shown was loaded; zero before
	loads  int       // loads started
	ended  int       // the latest load that ended
	failed bool      // message tells of the last load's failure

	// onEnd, when set, runs on the UI thread when the latest load ends,
	// failed or not, before its answer is shown.
	onEnd func()
}

// current reports whether what is shown is the answer of the latest
// load.
func (l *loadState) current() bool {
	return l.ended == l.loads && !l.failed && !l.at.IsZero()
}

// stale reports whether the content shown is older than the last load
// tried: that load failed.
func (l *loadState) stale() bool { return l.failed && !l.at.IsZero() }

// loadWithRetry is how an area loads what it shows: fetch runs off the
// UI thread with progress on bar; on the UI thread show gets the result,
// or message says what failed with "Try again", which runs retry (the
// screen's load, so that it uses the screen's context of that moment).
// A failure keeps what was shown before, and the message then says it
// is what was loaded at that time. When loads overlap only the latest
// one's answer counts. A success hides the message of an earlier
// failure; other messages stay: callers hide them first unless they
// tell of what they just did.
func loadWithRetry[T any](u *UI, ctx context.Context, bar *busyBar, message *banner, state *loadState, retry func(),
	fetch func(context.Context) (T, error), show func(T)) {
	state.loads++
	this := state.loads
	var out T
	u.run(ctx, bar, func(ctx context.Context) error {
		var err error
		out, err = fetch(ctx)
		return err
	}, func(err error) {
		if this != state.loads {
			return // a later load shows its answer
		}
		state.ended = this
		if state.onEnd != nil {
			state.onEnd()
		}
		if err != nil {
			state.failed = true
			kind, text := loadFailure(u, state, err)
			message.show(kind, text, lang.L("Try again"), retry)
			return
		}
		if state.failed {
			message.hide()
		}
		state.at, state.failed = u.now(), false
		show(out)
	})
}

// loadFailure says why a load failed, as an error; when something was
// loaded before, as a warning that it is still shown and from when.
func loadFailure(u *UI, state *loadState, err error) (bannerKind, string) {
	if state.at.IsZero() {
		return bannerError, errorMessage(err)
	}
	at := u.dates.dateTime(state.at)
	if u.dates.date(state.at) == u.dates.date(u.now()) {
		at = u.dates.clock(state.at)
	}
	return bannerWarning, lang.L("Couldn't refresh — showing what was loaded at {{.Time}}. {{.Reason}}", map[string]any{
		"Time": at, "Reason": errorMessage(err),
	})
}
