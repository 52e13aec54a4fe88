package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"selfservice/api"
	"selfservice/app"
)

// A refresh that fails keeps what was shown, says from when it is, and
// offers to try again; the next success takes the warning away. Of
// overlapping loads only the latest counts.
func TestLoadKeepsTheLastListWhenARefreshFails(t *testing.T) {
	test.NewTempApp(t)
	q := newSyncQueue()
	at := time.Date(2026, 3, 14, 14, 32, 0, 0, time.Local)
	now := at
	u := newUI(fyne.CurrentApp(), app.NewSession(connect, app.NewMemorySecrets(), &mapPrefs{}), Options{}, q.do, func() time.Time { return now })
	message := newBanner()
	var state loadState
	var shown []string
	answers := make(chan error, 4)
	retries := 0
	load := func() {
		loadWithRetry(u, context.Background(), nil, message, &state, func() { retries++ }, func(context.Context) (string, error) {
			err := <-answers
			return "list", err
		}, func(s string) { shown = append(shown, s) })
	}
	wait := func(what string, cond func() bool) {
		t.Helper()
		if !q.waitUntil(10*time.Second, cond) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}

	answers <- api.ErrUnreachable
	load()
	wait("the first failure", func() bool { return message.message() != "" })
	if message.kind != bannerError || strings.Contains(message.message(), "showing") || len(shown) != 0 {
		t.Errorf("a first load that failed: %v %q, shown %v; want an error, nothing shown", message.kind, message.message(), shown)
	}

	answers <- nil
	load()
	wait("the list", func() bool { return len(shown) == 1 })
	if message.Visible() || !state.current() {
		t.Errorf("after a load that worked: message %q, current %v; want no message, current", message.message(), state.current())
	}

	now = at.Add(20 * time.Minute)
	answers <- api.ErrUnreachable
	load()
	wait("the failed refresh", func() bool { return message.Visible() })
	if got := message.message(); message.kind != bannerWarning || !strings.Contains(got, "Couldn't refresh — showing what was loaded at 14:32.") {
		t.Errorf("a failed refresh says %v %q; want a warning that the list is from 14:32", message.kind, got)
	}
	if len(shown) != 1 || !state.stale() {
		t.Errorf("shown %v, stale %v; want the first list kept, stale", shown, state.stale())
	}
	test.Tap(message.action)
	if message.action.Text != "Try again" || retries != 1 {
		t.Errorf("action %q retried %d; want Try again, once", message.action.Text, retries)
	}

	// Two loads at once: the first one's late answer is not shown.
	load()
	load()
	answers <- nil
	answers <- nil
	wait("both answers", func() bool { return state.ended == state.loads })
	q.flush()
	if len(shown) != 2 || message.Visible() {
		t.Errorf("after two overlapping loads: shown %d times, message %q; want the latest once, no message", len(shown), message.message())
	}
}

// The request lists keep their rows when the server goes away.
func TestRequestListKeepsItsRowsOffline(t *testing.T) {
	f := newServerFixture(t)
	f.seedApprovals()
	f.start(Options{})
	m := f.signIn("demo")
	f.requestHOTP(f.session, "Desk token")
	s := myRequests(f, m, 1)

	f.local.Close()
	test.Tap(s.list.reload)
	f.waitFor("the failed refresh", func() bool { return s.list.failed.Visible() })
	if got := s.list.failed.message(); !strings.Contains(got, "Couldn't refresh — showing what was loaded at") {
		t.Errorf("the list says %q; want that it shows what was loaded before", got)
	}
	if len(s.list.requests) != 1 || len(s.list.open) != 1 || !s.list.reload.Visible() || s.list.reload.Disabled() {
		t.Errorf("after the failed refresh: %d requests, %d rows, reload disabled %v; want the row kept and reload enabled",
			len(s.list.requests), len(s.list.open), s.list.reload.Disabled())
	}
}
