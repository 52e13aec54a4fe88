package ui

import (
	"context"
	"time"
)

// every calls f on the UI thread every d until ctx ends, and never once
// ctx has ended: a countdown shown, a check that repeats. It returns at
// once; the ticks come from a goroutine of their own.
func (u *UI) every(ctx context.Context, d time.Duration, f func()) {
	go repeat(ctx, d, func() bool {
		u.do(func() {
			if ctx.Err() == nil {
				f()
			}
		})
		return true
	})
}

// repeat calls f every d, on the caller's goroutine, until ctx ends or f
// returns false (it is done), then returns.
func repeat(ctx context.Context, d time.Duration, f func() (more bool)) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if !f() {
			return
		}
	}
}
