package server

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"testing"

	"selfservice/api"
	"selfservice/server/docsample"
	"selfservice/server/storetest"
)

// benchDocumentBytes is the size of the file the memory benchmark
// uploads and downloads.
const benchDocumentBytes = 40 << 20

// BenchmarkDocumentTransferMemory uploads a 40 MB document over HTTP and
// downloads it again, in the database and in a directory, while it
// samples the heap: peak-heap-MB is the most the heap grew over its
// size before the transfer, and stays a few MB (the chunks in flight and
// the HTTP buffers) rather than the 40 MB of the file.
func BenchmarkDocumentTransferMemory(b *testing.B) {
	for _, storage := range []string{StorageDatabase, StorageDirectory} {
		b.Run(storage, func(b *testing.B) {
			dir := ""
			if storage == StorageDirectory {
				dir = b.TempDir()
			}
			base, session := newBenchDocumentsServer(b, dir)
			var peak uint64
			for b.Loop() {
				peak = max(peak, docsample.PeakHeap(func() { transferDocument(b, base, session) }))
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			b.SetBytes(2 * benchDocumentBytes)
		})
	}
}

// newBenchDocumentsServer serves a database of its own (SQLite, or
// PostgreSQL when the suite runs there) with a signed-in employee, and
// keeps content in dir when it is set; it returns the URL and session.
func newBenchDocumentsServer(b *testing.B, dir string) (string, string) {
	d := testDocuments()
	d.MaxSizeMB = 64
	if dir != "" {
		d.Storage, d.Directory = StorageDirectory, dir
	}
	store, err := Open(context.Background(), storetest.DSN(b, filepath.Join(b.TempDir(), "selfservice.db")), WithSecretBox(testSecrets))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	srv := New(store, Config{Secrets: testSecrets, Tenant: Tenant{Documents: d}, Logger: slog.New(slog.DiscardHandler)})
	session := loadSession(b, srv)
	ts := httptest.NewServer(srv.Handler())
	b.Cleanup(ts.Close)
	return ts.URL, session
}

// transferDocument uploads a generated document and reads it back.
func transferDocument(b *testing.B, base, session string) {
	q := url.Values{"type": {"contract"}, "name": {"big.pdf"}}
	req, _ := http.NewRequest("POST", base+api.BasePath+"/account/documents?"+q.Encode(), docsample.Reader(benchDocumentBytes))
	req.ContentLength = benchDocumentBytes
	req.Header.Set("Authorization", "Bearer "+session)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	var out api.DocumentResponse
	json.NewDecoder(res.Body).Decode(&out)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		b.Fatalf("upload: status %d", res.StatusCode)
	}
	req, _ = http.NewRequest("GET", base+api.BasePath+"/account/documents/"+out.Document.ID+"/content", nil)
	req.Header.Set("Authorization", "Bearer "+session)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	n, err := io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if err != nil || n != benchDocumentBytes {
		b.Fatalf("download: %d bytes, %v", n, err)
	}
	req, _ = http.NewRequest("DELETE", base+api.BasePath+"/account/documents/"+out.Document.ID, nil)
	req.Header.Set("Authorization", "Bearer "+session)
	if res, err = http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
	}
}
