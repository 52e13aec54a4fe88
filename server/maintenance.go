package server

import (
	"context"
	"sync"
	"time"
)

// purgeInterval is how often Run deletes what has expired.
const purgeInterval = time.Minute

// Run does the server's background work until ctx ends: it delivers the
// outbox (see RunOutbox) and, once a minute, deletes the sign-in steps,
// sessions, challenges and other rows that have expired (see
// Store.PurgeExpired) and the uploads a stopped server left unfinished,
// and marks the invitations whose link expired EXPIRED, so that no
// request pays for it. Every request
// checks expiry itself, so a row waiting for its purge is never used.
// Several servers on one database may each run it.
func (s *Server) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Go(func() { s.RunOutbox(ctx) })
	wg.Go(func() { s.runPurge(ctx) })
	wg.Wait()
}

// runPurge purges at once and then every purgeInterval until ctx ends.
func (s *Server) runPurge(ctx context.Context) {
	tick := time.NewTicker(purgeInterval)
	defer tick.Stop()
	for {
		if err := s.store.PurgeExpired(ctx, s.now()); err != nil && ctx.Err() == nil {
			s.log.ErrorContext(ctx, "purging expired rows failed; trying again in a minute", "error", err)
		}
		if _, err := s.store.ExpireInvitations(ctx, s.now()); err != nil && ctx.Err() == nil {
			s.log.ErrorContext(ctx, "marking expired invitations failed; trying again in a minute", "error", err)
		}
		if err := s.purgeAbandonedUploads(ctx); err != nil && ctx.Err() == nil {
			s.log.ErrorContext(ctx, "removing abandoned uploads failed; trying again in a minute", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
