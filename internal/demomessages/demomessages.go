// Package demomessages reads the messages the embedded demo server writes
// to files instead of sending them, in the form the app's demo panel
// shows (the codes and links they carry). The desktop app and the
// screenshots command use it.
package demomessages

import (
	"selfservice/server/notify"
	"selfservice/ui"
)

// Reader reads the messages the demo server wrote to dir.
func Reader(dir string) func() ([]ui.DemoMessage, error) {
	return func() ([]ui.DemoMessage, error) {
		received, err := notify.ReadMessages(dir)
		if err != nil {
			return nil, err
		}
		out := make([]ui.DemoMessage, 0, len(received))
		for _, m := range received {
			out = append(out, ui.DemoMessage{Channel: m.Channel, To: m.To, Subject: m.Subject, Body: m.Body, At: m.At})
		}
		return out, nil
	}
}
