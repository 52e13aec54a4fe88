package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2/test"

	"selfservice/api"
	"selfservice/app"
	"selfservice/server"
)

// hotpTemplate is the demo template whose enrollment the helpdesk user
// must approve (server.SeedDemoApprovals).
const hotpTemplate = "hotp-app"

// seedApprovals sets the demo approval policies through a second
// connection to the server's database. It keeps policies already set.
func (f *fixture) seedApprovals() {
	f.t.Helper()
	store, err := server.OpenSQLite(context.Background(), f.dbPath)
	if err != nil {
		f.t.Fatal(err)
	}
	defer store.Close()
	if err := server.SeedDemoApprovals(context.Background(), store); err != nil {
		f.t.Fatalf("seed the approval policies: %v", err)
	}
}

// apiSession signs a demo user in outside the UI, as another person at
// another computer.
func (f *fixture) apiSession(username string) *app.Session {
	f.t.Helper()
	u := f.demoUser(username)
	s := app.NewSession(connect, app.NewMemorySecrets(), &mapPrefs{})
	ctx := context.Background()
	ch, err := s.Login(ctx, f.local.URL, u.Username, u.Password)
	if err != nil || ch == nil {
		f.t.Fatalf("sign %s in: %v", username, err)
	}
	if err := s.Verify(ctx, ch, ch.Methods[0].TokenID, code(f.t, u.TOTPSecret, time.Now())); err != nil {
		f.t.Fatalf("sign %s in: %v", username, err)
	}
	return s
}

// requestHOTP has s ask to add an HOTP token, which becomes a request for
// the helpdesk user.
func (f *fixture) requestHOTP(s *app.Session, description string) api.ApprovalRequest {
	f.t.Helper()
	_, err := s.EnrollToken(context.Background(), hotpTemplate, description)
	req, ok := api.ApprovalPending(err)
	if !ok {
		f.t.Fatalf("enrolling an HOTP token: %v; want approval_pending", err)
	}
	return *req
}

// showArea selects the navigation entry called name and returns its
// index.
func (f *fixture) showArea(m *mainScreen, name string) int {
	f.t.Helper()
	i := m.areaIndex(name)
	if i < 0 {
		f.t.Fatalf("no %q in the navigation", name)
	}
	m.nav.Select(i)
	return i
}

// loadedList waits for a request list to show n requests.
func (f *fixture) loadedList(l *requestList, n int) {
	f.t.Helper()
	f.waitFor("the request list", func() bool { return l.loads.current() && len(l.requests) == n && l.progress.Hidden })
}

// openRequest opens the row of request id and waits for the dialog's
// fresh copy.
func (f *fixture) openRequest(l *requestList, id string, dialog func() *requestDialog) *requestDialog {
	f.t.Helper()
	b, ok := l.open[id]
	if !ok {
		f.t.Fatalf("no row for request %s", id)
	}
	test.Tap(b)
	var d *requestDialog
	f.waitFor("the request's detail", func() bool { d = dialog(); return d != nil && d.progress.Hidden })
	return d
}
