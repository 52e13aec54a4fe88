package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"

	"selfservice/server/notify"
)

// Local is a server running in this process on a loopback port, for the
// desktop app's demo mode and for tests.
type Local struct {
	URL  string       // e.g. http://127.0.0.1:40123, without the /api/v1 base path
	Demo DemoAccounts // the seeded demo accounts
	// MessagesDir is where the emails and SMS go when StartLocal's cfg
	// had no senders: read them with notify.ReadMessages. Empty when cfg
	// brought its own senders.
	MessagesDir string

	srv    *Server
	store  *SQLStore
	cancel context.CancelFunc
	done   chan error
}

// StartLocal checks cfg, opens (creating) the SQLite database at dbPath, runs SeedDemo,
// SeedDemoApprovals and SeedDemoQuestions, and serves the API on a random 127.0.0.1 port (plain HTTP, loopback
// only) in a goroutine until Close or until ctx is done. Its outbox is
// delivered in the background too. When cfg has neither an EmailSender
// nor an SMSSender, both channels write into the directory "messages"
// beside the database (Local.MessagesDir), since a demo has no mail
// server or SMS gateway. When cfg has no Secrets, the secret key is the
// one in LocalKeyFile(dbPath), which is made (mode 0600) when missing.
func StartLocal(ctx context.Context, dbPath string, cfg Config) (*Local, error) {
	if cfg.Secrets == nil {
		box, err := LocalSecretBox(dbPath)
		if err != nil {
			return nil, err
		}
		cfg.Secrets = box
	}
	if cfg.Tenant.isZero() {
		cfg.Tenant = DemoTenant()
	}
	check := cfg
	if check.PublicURL == "" {
		check.PublicURL = "http://127.0.0.1" // set to the loopback address below
	}
	if err := check.Validate(); err != nil {
		return nil, err
	}
	var messagesDir string
	if cfg.EmailSender == nil && cfg.SMSSender == nil {
		messagesDir = filepath.Join(filepath.Dir(dbPath), "messages")
		files := notify.NewFileSender(messagesDir)
		cfg.EmailSender, cfg.SMSSender = files, files
	}
	store, err := OpenSQLite(ctx, dbPath, WithSecretBox(cfg.Secrets), WithLogger(cfg.Logger))
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
	if err := SeedDemoQuestions(ctx, store, cfg.Tenant); err != nil {
		store.Close()
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		store.Close()
		return nil, fmt.Errorf("listen on loopback: %w", err)
	}
	serveCtx, cancel := context.WithCancel(ctx)
	url := "http://" + ln.Addr().String()
	if cfg.PublicURL == "" {
		cfg.PublicURL = url // phones on this machine, such as the command-line authenticator
	}
	l := &Local{
		URL:         url,
		Demo:        demo,
		MessagesDir: messagesDir,
		srv:         New(store, cfg),
		store:       store,
		cancel:      cancel,
		done:        make(chan error, 1),
	}
	runDone := make(chan struct{})
	go func() {
		defer close(runDone)
		l.srv.Run(serveCtx)
	}()
	go func() {
		err := Serve(serveCtx, ln, l.srv.Handler(), "", "")
		<-runDone // the store stays open until the background work is done with it
		l.done <- err
	}()
	return l, nil
}

// LocalSecretBox is the box of the key in LocalKeyFile(dbPath), which it
// makes (mode 0600) when there is none: the key of a server that keeps
// its key itself, such as the desktop app's demo mode.
func LocalSecretBox(dbPath string) (*SecretBox, error) {
	key, _, err := EnsureSecretKeyFile(LocalKeyFile(dbPath))
	if err != nil {
		return nil, err
	}
	return NewSecretBox(key)
}

// Deliver sends the messages due now and returns once they are sent,
// including any the background worker had started on: tests call it
// right after an API call that sends something, rather than wait.
func (l *Local) Deliver(ctx context.Context) error {
	_, err := l.srv.DeliverDue(ctx)
	return err
}

// Close shuts the server and its background work down gracefully and
// closes its database. It waits for both to end.
func (l *Local) Close() error {
	l.cancel()
	serveErr := <-l.done
	l.done <- serveErr // a second Close returns the same
	return errors.Join(serveErr, l.store.Close())
}
