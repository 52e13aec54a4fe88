package client

import (
	"context"
	"errors"
	"io"
	"time"
)

// Uploads and downloads of documents stream: the file goes from a reader
// to the connection, or from the connection to a writer, a buffer at a
// time, and never whole into memory. Downloads go through resty (which
// hands over the body unread); uploads go straight to resty's
// http.Client, because resty reads a body given as an io.Reader whole
// into memory first, to be able to send it again (getBodyCopy, v2.17).
// Transfers have no overall time limit, which a large file on a slow
// line would exceed, but fail when no byte has moved for the client's
// timeout.

// transferBuffer is the size of the buffer a download is copied with.
const transferBuffer = 256 << 10

// errStalled ends a transfer that stopped moving.
var errStalled = errors.New("no data moved for too long")

// transfer watches one upload or download.
type transfer struct {
	ctx      context.Context
	cancel   context.CancelCauseFunc
	idle     time.Duration
	timer    *time.Timer
	done     int64
	total    int64 // -1 when unknown
	progress func(done, total int64)
}

// newTransfer starts watching a transfer of total bytes (-1: unknown)
// under ctx; progress, when not nil, is told of every move.
func (c *Client) newTransfer(ctx context.Context, total int64, progress func(done, total int64)) *transfer {
	ctx, cancel := context.WithCancelCause(ctx)
	t := &transfer{ctx: ctx, cancel: cancel, idle: c.timeout, total: total, progress: progress}
	t.timer = time.AfterFunc(c.timeout, func() { cancel(errStalled) })
	return t
}

// moved records n more bytes moved.
func (t *transfer) moved(n int) {
	t.timer.Reset(t.idle)
	if n == 0 {
		return
	}
	t.done += int64(n)
	if t.progress != nil {
		t.progress(t.done, t.total)
	}
}

func (t *transfer) stop() {
	t.timer.Stop()
	t.cancel(context.Canceled)
}

// failed is the error of a transfer that got no answer, or whose answer
// broke off.
func (c *Client) failed(t *transfer, err error) error {
	if errors.Is(context.Cause(t.ctx), errStalled) {
		return c.timeoutError(err)
	}
	_, apiErr := c.transportError(t.ctx, err)
	return apiErr
}

// transferReader reads through a transfer.
type transferReader struct {
	r io.Reader
	t *transfer
}

func (r transferReader) Read(p []byte) (int, error) {
	if err := r.t.ctx.Err(); err != nil {
		return 0, context.Cause(r.t.ctx)
	}
	n, err := r.r.Read(p)
	r.t.moved(n)
	return n, err
}
