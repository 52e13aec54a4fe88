package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"selfservice/api"
)

// pendingEvery is how often the number of requests waiting for the
// user's decision is counted again while they are signed in.
const pendingEvery = 30 * time.Second

// pendingWatch counts, in the background, the requests waiting for the
// user's decision, for the badge of the To approve area, and sends a
// desktop notification when the number grows. It also looks for the
// user's own requests that approvers decided since the app last told
// them, and tells them once: a desktop notification and onDecided.
type pendingWatch struct {
	ui        *UI
	onCount   func(count int, changed bool)       // on the UI thread after each count; nil: the user approves nothing
	onDecided func(decided []api.ApprovalRequest) // on the UI thread when requests were decided; nil: the user makes none
	send      func(*fyne.Notification)            // the desktop notification

	ctx      context.Context // set by start
	count    int
	known    bool // count holds a first result
	checking bool
	again    bool // a count was asked for while one ran
}

func newPendingWatch(u *UI, onCount func(count int, changed bool), onDecided func([]api.ApprovalRequest)) *pendingWatch {
	return &pendingWatch{ui: u, onCount: onCount, onDecided: onDecided, send: u.app.SendNotification}
}

// start counts at once and then every pendingEvery until ctx ends (the
// main window goes away).
func (w *pendingWatch) start(ctx context.Context) {
	w.ctx = ctx
	w.check()
	w.ui.every(ctx, pendingEvery, w.check)
}

// check counts again and looks for decisions; while that runs, it checks
// once more after it. It runs on the UI thread. A failed check changes
// nothing: the next one tries again.
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
	var countErr error
	var decided []api.ApprovalRequest
	w.ui.run(w.ctx, nil, func(ctx context.Context) error {
		if w.onCount != nil {
			n, countErr = w.ui.session.AwaitingDecision(ctx)
		}
		if w.onDecided == nil {
			return nil
		}
		var err error
		decided, err = w.ui.session.NewlyDecided(ctx)
		return err
	}, func(err error) {
		w.checking = false
		if w.onCount != nil && countErr == nil {
			w.update(n)
		}
		if err == nil && len(decided) > 0 {
			w.tell(decided)
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

// tell sends one desktop notification of the user's requests just
// decided and passes them to onDecided.
func (w *pendingWatch) tell(decided []api.ApprovalRequest) {
	w.send(fyne.NewNotification(lang.L("Your request was decided"), decidedText(decided)))
	w.onDecided(decided)
}

// decidedText says what became of the user's requests just decided: the
// one request and its outcome, or how many there are.
func decidedText(decided []api.ApprovalRequest) string {
	if len(decided) > 1 {
		return lang.N("{{.Count}} of your requests were decided. See My requests.", len(decided), map[string]any{"Count": len(decided)})
	}
	r := decided[0]
	vars := map[string]any{"Request": requestTitle(r)}
	switch {
	case r.Status == api.RequestRejected:
		return lang.L("Declined: {{.Request}}. My requests says why.", vars)
	case r.AwaitsRequester():
		return lang.L("Approved: {{.Request}}. Finish it under My requests.", vars)
	}
	return lang.L("Approved and done: {{.Request}}.", vars)
}
