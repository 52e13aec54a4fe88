package ui

import (
	"context"
	"testing"
	"time"
)

// receive is the next value of ch, which must come within a few seconds.
func receive[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(5 * time.Second):
		t.Fatal("nothing came within 5 s")
		panic("unreachable")
	}
}

func TestRepeatStopsWhenTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ticks := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		repeat(ctx, time.Millisecond, func() bool {
			ticks <- struct{}{}
			return true
		})
		close(stopped)
	}()
	for range 3 {
		receive(t, ticks)
	}
	cancel()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case <-stopped:
			return
		case <-ticks: // a tick under way as ctx ended
		case <-timeout:
			t.Fatal("repeat still runs 5 s after its context ended")
		}
	}
}

func TestRepeatStopsWhenDone(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	stopped := make(chan struct{})
	go func() {
		repeat(ctx, time.Millisecond, func() bool {
			calls++
			return calls < 2
		})
		close(stopped)
	}()
	receive(t, stopped)
	if calls != 2 {
		t.Errorf("%d calls; want 2, the last one done", calls)
	}
}

func TestEveryCallsOnTheUIThreadUntilTheContextEnds(t *testing.T) {
	queued := make(chan func(), 1) // the test goroutine is the UI thread
	u := &UI{do: func(f func()) {
		select {
		case queued <- f:
		default: // a tick waits already
		}
	}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	u.every(ctx, time.Millisecond, func() { calls++ })
	receive(t, queued)()
	receive(t, queued)()
	if calls != 2 {
		t.Fatalf("%d calls after two ticks; want 2", calls)
	}
	late := receive(t, queued)
	cancel()
	late()
	if calls != 2 {
		t.Errorf("%d calls; want none once the context ended", calls)
	}
}
