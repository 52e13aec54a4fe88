package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

// pendingEvery is how often the number of requests waiting for the
// user's decision is counted again while they are signed in.
const pendingEvery = 30 * time.Second

// pendingWatch counts, in the background, the requests waiting for the
// user's decision, for the badge of the To approve area, and sends a
// desktop notification when the number grows.
type pendingWatch struct {
	ui      *UI
	onCount func(count int, changed bool) // on the UI thread after each count
	send    func(*fyne.Notification)      // the desktop notification

	ctx      context.Context // set by start
	count    int
	known    bool // count holds a first result
	checking bool
	again    bool // a count was asked for while one ran
}

func newPendingWatch(u *UI, onCount func(count int, changed bool)) *pendingWatch {
	return &pendingWatch{ui: u, onCount: onCount, send: u.app.SendNotification}
}

// start counts at once and then every pendingEvery until ctx ends (the
// main window goes away).
func (w *pendingWatch) start(ctx context.Context) {
	w.ctx = ctx
	w.check()
	go func() {
		t := time.NewTicker(pendingEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				w.ui.do(w.check)
			}
		}
	}()
}

// check counts again; while a count runs, it counts once more after it.
// It runs on the UI thread. A failed count changes nothing: the next one
// tries again.
func (w *pendingWatch) check() {
	if w.ctx == nil {
		return
	}
	if w.checking {
		w.again = true
		return
	}
	w.checking = true
	var n int
	w.ui.run(w.ctx, nil, func(ctx context.Context) error {
		var err error
		n, err = w.ui.session.AwaitingDecision(ctx)
		return err
	}, func(err error) {
		w.checking = false
		if err == nil {
			w.update(n)
		}
		if w.again {
			w.again = false
			w.check()
		}
	})
}

// update takes a new count: a notification when it grew, then the badge.
func (w *pendingWatch) update(n int) {
	changed := w.known && n != w.count
	if w.known && n > w.count {
		w.send(fyne.NewNotification(lang.L("New request to approve"),
			lang.N("{{.Count}} requests wait for your decision in Selfservice.", n, map[string]any{"Count": n})))
	}
	w.count, w.known = n, true
	w.onCount(n, changed)
}
