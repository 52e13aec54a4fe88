package hw

import (
	"context"
	"time"
)

// Lister lists the authenticators present now. Provider is a Lister.
type Lister interface {
	Devices(ctx context.Context) ([]DeviceInfo, error)
}

// WaitForKey returns the devices l lists as soon as there is at least one,
// asking again every interval. If none is present at first it reports
// InsertKey once. It gives up with l's error (for example ErrNoPermission:
// waiting would not help) or when ctx ends.
func WaitForKey(ctx context.Context, l Lister, interval time.Duration, events func(Event)) ([]DeviceInfo, error) {
	present := func(devices []DeviceInfo) bool { return len(devices) > 0 }
	return pollDevices(ctx, l, interval, present, func() { emit(events, Event{Kind: InsertKey}) })
}

// pollDevices lists devices every interval until done accepts the list.
// waiting runs once, after the first list that done refused.
func pollDevices(ctx context.Context, l Lister, interval time.Duration, done func([]DeviceInfo) bool, waiting func()) ([]DeviceInfo, error) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	announced := false
	for {
		devices, err := l.Devices(ctx)
		if err != nil {
			return nil, err
		}
		if done(devices) {
			return devices, nil
		}
		if !announced && waiting != nil {
			waiting()
			announced = true
		}
		select {
		case <-ctx.Done():
			return nil, contextError(ctx)
		case <-ticker.C:
		}
	}
}
