package hw

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

// scriptedLister answers Devices with the lists of its script in turn,
// repeating the last one.
type scriptedLister struct {
	mu     sync.Mutex
	script [][]DeviceInfo
	err    error
	calls  int
}

func (l *scriptedLister) Devices(ctx context.Context) ([]DeviceInfo, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := contextError(ctx); err != nil {
		return nil, err
	}
	l.calls++
	if l.err != nil {
		return nil, l.err
	}
	i := min(l.calls, len(l.script)) - 1
	return l.script[i], nil
}

var (
	keyA = DeviceInfo{Path: "/dev/hidraw1", Product: "Key A"}
	keyB = DeviceInfo{Path: "/dev/hidraw2", Product: "Key B"}
	keyC = DeviceInfo{Path: "/dev/hidraw3", Product: "Key C"}
)

const testPoll = time.Millisecond

func TestWaitForKey(t *testing.T) {
	tests := []struct {
		name       string
		script     [][]DeviceInfo
		err        error
		want       []DeviceInfo
		wantErr    error
		wantEvents []EventKind
	}{
		{name: "key present", script: [][]DeviceInfo{{keyA}}, want: []DeviceInfo{keyA}},
		{name: "key inserted", script: [][]DeviceInfo{{}, {}, {keyA, keyB}},
			want: []DeviceInfo{keyA, keyB}, wantEvents: []EventKind{InsertKey}},
		{name: "no permission", err: ErrNoPermission, wantErr: ErrNoPermission},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &scriptedLister{script: tt.script, err: tt.err}
			var ev events
			got, err := WaitForKey(context.Background(), l, testPoll, ev.add)
			if !errors.Is(err, tt.wantErr) || !slices.Equal(got, tt.want) {
				t.Errorf("WaitForKey = %v, %v, want %v, %v", got, err, tt.want, tt.wantErr)
			}
			if !slices.Equal(ev.kinds(), tt.wantEvents) {
				t.Errorf("events = %v, want %v", ev.kinds(), tt.wantEvents)
			}
		})
	}
}

func TestWaitForKeyCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	l := &scriptedLister{script: [][]DeviceInfo{{}}}
	// The user cancels as soon as the app asks for the key.
	_, err := WaitForKey(ctx, l, testPoll, func(Event) { cancel() })
	if !errors.Is(err, ErrCancelled) {
		t.Errorf("got %v, want ErrCancelled", err)
	}
}

// fakeClock is a clock that moves only when told.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestResetCeremony(t *testing.T) {
	tests := []struct {
		name       string
		script     [][]DeviceInfo
		resets     []error       // results of the reset calls in turn
		delay      time.Duration // clock moves this much on each failed reset
		wantPath   string
		wantErr    error
		wantResets int
		wantEvents []EventKind
	}{
		{
			name: "remove, insert, touch",
			// Key B stays plugged in throughout and must not be reset.
			script:     [][]DeviceInfo{{keyA, keyB}, {keyA, keyB}, {keyB}, {keyB}, {keyB, keyC}},
			resets:     []error{nil},
			wantPath:   keyC.Path,
			wantResets: 1,
			wantEvents: []EventKind{RemoveKey, InsertKey, TouchKey},
		},
		{
			name:       "already removed",
			script:     [][]DeviceInfo{{}, {keyA}},
			resets:     []error{nil},
			wantPath:   keyA.Path,
			wantResets: 1,
			wantEvents: []EventKind{InsertKey, TouchKey},
		},
		{
			name:       "node not accessible yet",
			script:     [][]DeviceInfo{{}, {keyA}},
			resets:     []error{ErrNoPermission, ErrNoDevice, nil},
			delay:      time.Second,
			wantPath:   keyA.Path,
			wantResets: 3,
			wantEvents: []EventKind{InsertKey, TouchKey},
		},
		{
			name:       "node stays inaccessible past the window",
			script:     [][]DeviceInfo{{}, {keyA}},
			resets:     []error{ErrNoPermission},
			delay:      ResetWindow,
			wantPath:   keyA.Path,
			wantErr:    ErrNoPermission,
			wantResets: 1,
			wantEvents: []EventKind{InsertKey, TouchKey},
		},
		{
			name:       "key says too late",
			script:     [][]DeviceInfo{{}, {keyA}},
			resets:     []error{ErrResetTooLate},
			wantPath:   keyA.Path,
			wantErr:    ErrResetTooLate,
			wantResets: 1,
			wantEvents: []EventKind{InsertKey, TouchKey},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &fakeClock{now: time.Unix(1_700_000_000, 0)}
			c := resetCeremony{lister: &scriptedLister{script: tt.script}, interval: testPoll, now: clock.Now}
			var ev events
			resets := 0
			path, err := c.run(context.Background(), keyA.Path, ev.add, func(ctx context.Context, path string) error {
				if _, ok := ctx.Deadline(); !ok {
					t.Error("reset runs without a touch deadline")
				}
				if path != tt.wantPath {
					t.Errorf("reset %q, want %q", path, tt.wantPath)
				}
				err := tt.resets[min(resets, len(tt.resets)-1)]
				resets++
				if err != nil {
					clock.advance(tt.delay)
				}
				return err
			})
			if path != tt.wantPath || !errors.Is(err, tt.wantErr) {
				t.Errorf("run = %q, %v, want %q, %v", path, err, tt.wantPath, tt.wantErr)
			}
			if resets != tt.wantResets {
				t.Errorf("reset calls = %d, want %d", resets, tt.wantResets)
			}
			if !slices.Equal(ev.kinds(), tt.wantEvents) {
				t.Errorf("events = %v, want %v", ev.kinds(), tt.wantEvents)
			}
		})
	}
}

func TestResetCeremonyCancelledWhileWaitingForRemoval(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := resetCeremony{lister: &scriptedLister{script: [][]DeviceInfo{{keyA}}}, interval: testPoll, now: time.Now}
	_, err := c.run(ctx, keyA.Path, func(e Event) {
		if e.Kind == RemoveKey {
			cancel()
		}
	}, func(context.Context, string) error {
		t.Error("reset called after cancel")
		return nil
	})
	if !errors.Is(err, ErrCancelled) {
		t.Errorf("got %v, want ErrCancelled", err)
	}
}
