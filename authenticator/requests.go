package authenticator

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"selfservice/api"
)

// ErrNotPending is returned by AnswerByID when no request with that id
// waits for this device.
var ErrNotPending = errors.New("no request with this id is waiting: it expired or was answered already. List the waiting requests again")

// Pending lists the push requests waiting for this device's answer, oldest
// first. A device the server no longer knows (its token was disabled or
// deleted) fails with an *api.Error device_invalid.
func (d *Device) Pending(ctx context.Context) ([]api.PushRequest, error) {
	backend, err := d.backend()
	if err != nil {
		return nil, err
	}
	ts := d.now().Unix()
	sig, err := d.sign(api.PendingPayload(d.DeviceID, ts))
	if err != nil {
		return nil, err
	}
	return backend.PushPending(ctx, api.PendingPushRequest{DeviceID: d.DeviceID, Timestamp: ts, Signature: sig})
}

// ErrPickNumber is returned by Answer when an approval of a request with
// number matching picks none of its choices.
var ErrPickNumber = errors.New("pick the number the computer shows")

// Answer answers req (from Pending) with decision, api.PushApprove or
// api.PushDeny, signed with the device key. A request with Choices
// (number matching) is approved only with the number the user picked
// among them, the one the computer shows; a wrong one refuses it. A
// denial needs no number.
func (d *Device) Answer(ctx context.Context, req api.PushRequest, decision string, number int) error {
	if decision != api.PushApprove && decision != api.PushDeny {
		return fmt.Errorf("answer %q or %q, not %q", api.PushApprove, api.PushDeny, decision)
	}
	if decision == api.PushDeny {
		number = 0
	}
	if decision == api.PushApprove && len(req.Choices) > 0 && !slices.Contains(req.Choices, number) {
		return fmt.Errorf("%w: one of %s", ErrPickNumber, choiceList(req.Choices))
	}
	backend, err := d.backend()
	if err != nil {
		return err
	}
	sig, err := d.sign(api.AnswerPayload(req.ID, req.Challenge, decision, number))
	if err != nil {
		return err
	}
	return backend.AnswerPush(ctx, req.ID, api.PushAnswer{DeviceID: d.DeviceID, Decision: decision, Number: number, Signature: sig})
}

// choiceList writes the numbers offered as "12, 47 or 83".
func choiceList(choices []int) string {
	parts := make([]string, len(choices))
	for i, c := range choices {
		parts[i] = strconv.Itoa(c)
	}
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

// AnswerByID finds the waiting request with this id and answers it (see
// Answer), and returns it (for its summary). ErrNotPending when it is
// not waiting.
func (d *Device) AnswerByID(ctx context.Context, id, decision string, number int) (api.PushRequest, error) {
	pending, err := d.Pending(ctx)
	if err != nil {
		return api.PushRequest{}, err
	}
	for _, req := range pending {
		if req.ID == id {
			return req, d.Answer(ctx, req, decision, number)
		}
	}
	return api.PushRequest{}, ErrNotPending
}

// ScanLogin answers a passwordless sign-in read from the desktop's QR
// code (selfservice-push://login?server=…&request=…&challenge=…): with
// api.PushApprove the desktop is signed in as this device's user. The
// code must come from this device's server.
func (d *Device) ScanLogin(ctx context.Context, uri, decision string) error {
	l, err := parseQRLogin(uri)
	if err != nil {
		return err
	}
	if !sameServer(l.server, d.ServerURL) {
		return fmt.Errorf("this QR code is for the server %s, but this app is set up for %s. Sign in to %s on the computer", l.server, d.ServerURL, d.ServerURL)
	}
	return d.Answer(ctx, api.PushRequest{ID: l.request, Challenge: l.challenge}, decision, 0)
}
