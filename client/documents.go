package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"selfservice/api"
)

// Documents lists the user's documents, newest first, with the types an
// upload may name and the limits: GET /account/documents.
func (c *Client) Documents(ctx context.Context) (api.DocumentsResponse, error) {
	var out api.DocumentsResponse
	err := c.do(ctx, http.MethodGet, "/account/documents", nil, &out)
	return out, err
}

// UploadDocument sends the size bytes of body (-1: unknown) as the file
// up names: POST /account/documents. It streams body as it reads it, and
// calls progress, when not nil, with the bytes sent so far, from the
// goroutine that sends them. A file the server refuses is an *api.Error
// whose field errors name "type" or "file".
func (c *Client) UploadDocument(ctx context.Context, up api.UploadDocument, body io.Reader, size int64, progress func(sent, total int64)) (api.Document, error) {
	if err := up.Validate(); err != nil {
		return api.Document{}, err
	}
	t := c.newTransfer(ctx, size, progress)
	defer t.stop()
	q := url.Values{"type": {up.Type}, "name": {up.FileName}}
	req, err := http.NewRequestWithContext(t.ctx, http.MethodPost, c.baseURL+"/account/documents?"+q.Encode(), transferReader{r: body, t: t})
	if err != nil {
		return api.Document{}, err
	}
	if size >= 0 {
		req.ContentLength = size // so that a file too large is refused before it is sent
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.http.Header.Get("User-Agent"))
	if token := c.sessionToken(); token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.http.GetClient().Do(req)
	if err != nil {
		return api.Document{}, c.failed(t, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return api.Document{}, c.failed(t, err)
	}
	if resp.StatusCode != http.StatusCreated {
		_, err := c.errorAnswer(resp.StatusCode, resp.Header, raw)
		return api.Document{}, err
	}
	var out api.DocumentResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		return api.Document{}, c.badResponse(resp.StatusCode, err)
	}
	return out.Document, nil
}

// DownloadDocument writes the file of document id to w and returns its
// size: GET /account/documents/{id}/content. It streams the file, and
// calls progress, when not nil, with the bytes received so far and the
// size. A file cut off before its end is an error, as is a failure to
// write to w (returned as it is).
func (c *Client) DownloadDocument(ctx context.Context, id string, w io.Writer, progress func(received, total int64)) (int64, error) {
	return c.download(ctx, documentPath(id)+"/content", w, progress)
}

// download streams the answer of GET path to w, as DownloadDocument.
func (c *Client) download(ctx context.Context, path string, w io.Writer, progress func(received, total int64)) (int64, error) {
	t := c.newTransfer(ctx, -1, progress)
	defer t.stop()
	resp, err := c.request(t.ctx).SetDoNotParseResponse(true).Get(c.baseURL + path)
	if err != nil {
		return 0, c.failed(t, err)
	}
	body := resp.RawBody()
	defer body.Close()
	if status := resp.StatusCode(); status < 200 || status > 299 {
		raw, _ := io.ReadAll(io.LimitReader(body, maxResponseBytes))
		_, err := c.errorAnswer(status, resp.Header(), raw)
		return 0, err
	}
	t.total = resp.RawResponse.ContentLength
	out := &errWriter{w: w}
	n, err := io.CopyBuffer(out, transferReader{r: body, t: t}, make([]byte, transferBuffer))
	switch {
	case out.err != nil:
		return n, out.err
	case errors.Is(err, io.ErrUnexpectedEOF), err == nil && t.total >= 0 && n != t.total:
		return n, &api.Error{
			Code:    api.CodeUnreachable,
			Message: fmt.Sprintf("The download from %s broke off after %d of %d bytes. Try again.", c.server, n, t.total),
			Cause:   err,
		}
	case err != nil:
		return n, c.failed(t, err)
	}
	return n, nil
}

// DeleteDocument deletes one of the user's documents:
// DELETE /account/documents/{id}.
func (c *Client) DeleteDocument(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodDelete, documentPath(id), nil, nil)
}

func documentPath(id string) string {
	return "/account/documents/" + url.PathEscape(id)
}

// errWriter remembers that writing failed, which is the caller's problem
// (a full disk), not the server's.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	n, err := e.w.Write(p)
	if err != nil {
		e.err = err
	}
	return n, err
}
