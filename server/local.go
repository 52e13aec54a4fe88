package server

import (
	"context"
	"errors"
	"fmt"
	"net"
)

// Local is a server running in this process on a loopback port, for the
// desktop app's demo mode and for tests.
type Local struct {
	URL  string       // e.g. http://127.0.0.1:40123, without the /api/v1 base path
	Demo DemoAccounts // the seeded demo accounts

	store  *SQLiteStore
	cancel context.CancelFunc
	done   chan error
}

// StartLocal checks cfg, opens (creating) the SQLite database at dbPath, runs SeedDemo
// and SeedDemoApprovals, and serves the API on a random 127.0.0.1 port (plain HTTP, loopback
// only) in a goroutine until Close or until ctx is done.
func StartLocal(ctx context.Context, dbPath string, cfg Config) (*Local, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	store, err := OpenSQLite(ctx, dbPath)
	if err != nil {
		return nil, err
	}
	demo, err := SeedDemo(ctx, store)
	if err != nil {
		store.Close()
		return nil, err
	}
	if err := SeedDemoApprovals(ctx, store); err != nil {
		store.Close()
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		store.Close()
		return nil, fmt.Errorf("listen on loopback: %w", err)
	}
	serveCtx, cancel := context.WithCancel(ctx)
	l := &Local{
		URL:    "http://" + ln.Addr().String(),
		Demo:   demo,
		store:  store,
		cancel: cancel,
		done:   make(chan error, 1),
	}
	h := New(store, cfg).Handler()
	go func() { l.done <- Serve(serveCtx, ln, h, "", "") }()
	return l, nil
}

// Close shuts the server down gracefully and closes its database. It
// waits for the serving goroutine to end.
func (l *Local) Close() error {
	l.cancel()
	serveErr := <-l.done
	l.done <- serveErr // a second Close returns the same
	return errors.Join(serveErr, l.store.Close())
}
