package ui

import (
	"sync"
	"time"
)

// syncQueue replaces fyne.Do when the UI is driven by a script (tests and
// the screenshots) with the Fyne test driver: the results of background
// work wait in the queue until the script runs them on its own goroutine,
// so widgets are only ever touched by one goroutine.
type syncQueue struct {
	mu      sync.Mutex
	pending []func()
	ready   chan struct{} // signalled when something is queued
}

func newSyncQueue() *syncQueue {
	return &syncQueue{ready: make(chan struct{}, 1)}
}

// do queues fn; it is safe to call from any goroutine.
func (q *syncQueue) do(fn func()) {
	q.mu.Lock()
	q.pending = append(q.pending, fn)
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// flush runs what is queued, including what that queues in turn.
func (q *syncQueue) flush() {
	for {
		q.mu.Lock()
		fns := q.pending
		q.pending = nil
		q.mu.Unlock()
		if len(fns) == 0 {
			return
		}
		for _, fn := range fns {
			fn()
		}
	}
}

// waitUntil runs queued work as it arrives until cond holds, and reports
// false when it still does not hold after limit.
func (q *syncQueue) waitUntil(limit time.Duration, cond func() bool) bool {
	timer := time.NewTimer(limit)
	defer timer.Stop()
	for {
		q.flush()
		if cond() {
			return true
		}
		select {
		case <-q.ready:
		case <-timer.C:
			q.flush()
			return cond()
		}
	}
}
