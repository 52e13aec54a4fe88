package client_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"selfservice/api"
	"selfservice/client"
	"selfservice/server"
	"selfservice/server/docsample"
)

// documentsTenant has two types of document and files of at most 1 MB.
func documentsTenant() server.Tenant {
	return server.Tenant{Documents: server.TenantDocuments{
		Types:     []api.DocumentType{{ID: "id_card", Name: "Identity card"}, {ID: "contract", Name: "Contract"}},
		MaxSizeMB: 1,
	}}
}

func TestDocumentUploadDownloadAndDelete(t *testing.T) {
	ctx := context.Background()
	b := newBackendWith(t, server.Config{Tenant: documentsTenant()})
	c := b.signIn(t, b.demo)

	before, err := c.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(before.Types) != 2 || before.MaxSizeBytes != 1<<20 {
		t.Fatalf("Documents = %+v; want the two types and 1 MB", before)
	}
	want, _ := io.ReadAll(docsample.Reader(700_000))
	var sent []int64
	doc, err := c.UploadDocument(ctx, api.UploadDocument{Type: "contract", FileName: "contract.pdf"}, bytes.NewReader(want), int64(len(want)),
		func(done, total int64) {
			if total != int64(len(want)) {
				t.Errorf("upload progress total %d", total)
			}
			sent = append(sent, done)
		})
	if err != nil {
		t.Fatal(err)
	}
	if doc.FileName != "contract.pdf" || doc.Size != int64(len(want)) || doc.ContentType != "application/pdf" || doc.TypeName != "Contract" {
		t.Errorf("UploadDocument = %+v", doc)
	}
	if len(sent) < 2 || sent[len(sent)-1] != int64(len(want)) {
		t.Errorf("upload progress %v; want several steps up to %d", sent, len(want))
	}

	after, err := c.Documents(ctx)
	if err != nil || len(after.Documents) != len(before.Documents)+1 || after.Documents[0].ID != doc.ID {
		t.Fatalf("Documents after the upload = %+v, %v; want the new one first", after.Documents, err)
	}

	var got bytes.Buffer
	var last, total int64
	n, err := c.DownloadDocument(ctx, doc.ID, &got, func(done, size int64) { last, total = done, size })
	if err != nil || n != int64(len(want)) || !bytes.Equal(got.Bytes(), want) {
		t.Fatalf("DownloadDocument = %d, %v; the bytes equal the upload: %v", n, err, bytes.Equal(got.Bytes(), want))
	}
	if last != n || total != n {
		t.Errorf("download progress ended at %d of %d; want %d of %d", last, total, n, n)
	}

	// A writer that fails is the caller's error, as it is.
	full := errors.New("disk full")
	if _, err := c.DownloadDocument(ctx, doc.ID, failingWriter{full}, nil); !errors.Is(err, full) {
		t.Errorf("download into a failing writer: %v", err)
	}
	// Nobody else reaches it.
	other := b.signIn(t, b.helpdesk)
	if _, err := other.DownloadDocument(ctx, doc.ID, io.Discard, nil); !errors.Is(err, api.ErrPrivilegeMissing) {
		t.Errorf("helpdesk downloads: %v; want privilege_missing", err)
	}

	if err := c.DeleteDocument(ctx, doc.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DownloadDocument(ctx, doc.ID, io.Discard, nil); !errors.Is(err, api.ErrNotFound) {
		t.Errorf("download of a deleted document: %v; want not_found", err)
	}
	if err := c.DeleteDocument(ctx, doc.ID); !errors.Is(err, api.ErrNotFound) {
		t.Errorf("second delete: %v; want not_found", err)
	}
}

func TestDocumentRefusalsAreTyped(t *testing.T) {
	ctx := context.Background()
	b := newBackendWith(t, server.Config{Tenant: documentsTenant()})
	c := b.signIn(t, b.demo)

	_, err := c.UploadDocument(ctx, api.UploadDocument{Type: "id_card", FileName: "passport.pdf"}, bytes.NewReader(docsample.PNG()), -1, nil)
	var apiErr *api.Error
	if !errors.As(err, &apiErr) || !errors.Is(err, api.ErrUnsupportedMedia) || apiErr.Status != 415 ||
		!strings.Contains(fieldErrors(err)["file"], "PNG image") {
		t.Errorf("a PNG named .pdf: %v; want unsupported_media saying it is a PNG image", err)
	}

	// Too large: refused from the Content-Length, before the file is sent.
	big := &countingReader{r: docsample.Reader(32 << 20)}
	_, err = c.UploadDocument(ctx, api.UploadDocument{Type: "id_card", FileName: "big.pdf"}, big, 32<<20, nil)
	if !errors.Is(err, api.ErrBodyTooLarge) || !strings.Contains(fieldErrors(err)["file"], "1 MB") {
		t.Errorf("32 MB: %v; want body_too_large naming 1 MB", err)
	}
	if big.n >= 32<<20 {
		t.Errorf("the client sent the whole %d bytes of a file the server refused", big.n)
	}

	// Checked before anything is sent.
	_, err = c.UploadDocument(ctx, api.UploadDocument{Type: "id_card", FileName: "../x.pdf"}, failingReader{}, 10, nil)
	if fieldErrors(err)["file"] == "" {
		t.Errorf("a name with a folder: %v; want a field error of file", err)
	}
	_, err = c.UploadDocument(ctx, api.UploadDocument{Type: "visa", FileName: "x.pdf"}, bytes.NewReader(docsample.PDF("x")), -1, nil)
	if fieldErrors(err)["type"] == "" {
		t.Errorf("an unknown type: %v; want a field error of type", err)
	}
}

func TestStalledUploadTimesOut(t *testing.T) {
	// A server that takes the upload but stops reading it: the client
	// sends until the connection's buffers are full, then nothing moves.
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // first: the handler never learns the client left
	c := newClient(t, srv.URL, client.Options{Timeout: 300 * time.Millisecond})
	start := time.Now()
	_, err := c.UploadDocument(context.Background(), api.UploadDocument{Type: "id_card", FileName: "slow.pdf"},
		docsample.Reader(1<<30), 1<<30, nil)
	if !errors.Is(err, api.ErrTimeout) {
		t.Errorf("a stalled upload: %v; want timeout", err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("gave up after %v", d)
	}
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("must not be read") }

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
