package ui

import (
	"context"

	"fyne.io/fyne/v2/lang"
)

// loadWithRetry is how an area loads what it shows: fetch runs off the
// UI thread with progress on bar; on the UI thread show gets the result,
// or message says what failed with "Try again", which runs retry (the
// screen's load, so that it uses the screen's context of that moment).
// A failure keeps what was shown before. It leaves message as it is
// until then: callers hide it first unless it tells of what they just did.
func loadWithRetry[T any](u *UI, ctx context.Context, bar *busyBar, message *banner, retry func(),
	fetch func(context.Context) (T, error), show func(T)) {
	var out T
	u.run(ctx, bar, func(ctx context.Context) error {
		var err error
		out, err = fetch(ctx)
		return err
	}, func(err error) {
		if err != nil {
			message.show(bannerError, errorMessage(err), lang.L("Try again"), retry)
			return
		}
		show(out)
	})
}
