package hw

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// ResetWindow is how soon after a key is plugged in a reset must reach it.
// Keys refuse a reset later than a few seconds after power-up (YubiKeys:
// 5 s) with ErrResetTooLate, so the ceremony sends it as soon as the key is
// back, and stops retrying a key it cannot open yet once the window closed.
const ResetWindow = 10 * time.Second

// resetTouchTimeout bounds the wait for the touch that confirms a reset.
// Keys give up by themselves after about 30 s; this is the backstop.
const resetTouchTimeout = 30 * time.Second

// resetCeremony runs the remove-insert-touch ceremony that real keys need
// before they accept authenticatorReset.
type resetCeremony struct {
	lister   Lister
	interval time.Duration    // how often to look for the key; well below ResetWindow
	now      func() time.Time // the clock; tests move it
}

// run waits until the key at path is unplugged and a key is plugged in
// again, then calls reset with the path of the inserted key. It returns
// that path, which may differ from the old one.
//
// A key that was just plugged in may not open for a moment (on Linux udev
// grants access to the new hidraw node shortly after it appears), so a
// reset that fails with ErrNoDevice or ErrNoPermission is tried again
// until ResetWindow has passed since the insertion was seen.
func (c resetCeremony) run(ctx context.Context, path string, events func(Event), reset func(ctx context.Context, path string) error) (string, error) {
	gone := func(devices []DeviceInfo) bool { return !containsPath(devices, path) }
	others, err := pollDevices(ctx, c.lister, c.interval, gone, func() { emit(events, Event{Kind: RemoveKey}) })
	if err != nil {
		return "", err
	}

	// Another key may stay plugged in: only a key that appears now counts.
	emit(events, Event{Kind: InsertKey})
	isNew := func(d DeviceInfo) bool { return !containsPath(others, d.Path) }
	appeared := func(devices []DeviceInfo) bool { return slices.ContainsFunc(devices, isNew) }
	devices, err := pollDevices(ctx, c.lister, c.interval, appeared, nil)
	if err != nil {
		return "", err
	}
	inserted := c.now()
	newPath := devices[slices.IndexFunc(devices, isNew)].Path

	emit(events, Event{Kind: TouchKey})
	ticker := time.NewTicker(c.interval)
	defer ticker.Stop()
	for {
		err := c.resetOnce(ctx, newPath, reset)
		notReady := errors.Is(err, ErrNoDevice) || errors.Is(err, ErrNoPermission)
		if !notReady || c.now().Sub(inserted) >= ResetWindow {
			return newPath, err
		}
		select {
		case <-ctx.Done():
			return newPath, contextError(ctx)
		case <-ticker.C:
		}
	}
}

// resetOnce sends one reset and waits at most resetTouchTimeout for the
// touch that confirms it.
func (c resetCeremony) resetOnce(ctx context.Context, path string, reset func(ctx context.Context, path string) error) error {
	touchCtx, cancel := context.WithTimeout(ctx, resetTouchTimeout)
	defer cancel()
	err := reset(touchCtx, path)
	if errors.Is(err, ErrTimeout) && ctx.Err() == nil {
		return fmt.Errorf("reset not confirmed by a touch: %w", err)
	}
	return err
}

func containsPath(devices []DeviceInfo, path string) bool {
	return slices.ContainsFunc(devices, func(d DeviceInfo) bool { return d.Path == path })
}
