package client_test

import (
	"context"
	"io"
	"testing"

	"selfservice/api"
	"selfservice/server"
	"selfservice/server/docsample"
)

// BenchmarkDocumentTransferMemory uploads a 40 MB document with the
// client and downloads it again, against the real server in this
// process, while it samples the heap: peak-heap-MB is the most the heap
// of both together grew, a few chunks rather than the file.
func BenchmarkDocumentTransferMemory(b *testing.B) {
	const size = 40 << 20
	tenant := documentsTenant()
	tenant.Documents.MaxSizeMB = 64
	be := newBackendWith(b, server.Config{Tenant: tenant})
	c := be.signIn(b, be.demo)
	ctx := context.Background()
	var peak uint64
	for b.Loop() {
		peak = max(peak, docsample.PeakHeap(func() {
			doc, err := c.UploadDocument(ctx, api.UploadDocument{Type: "contract", FileName: "big.pdf"}, docsample.Reader(size), size, nil)
			if err != nil {
				b.Fatal(err)
			}
			if n, err := c.DownloadDocument(ctx, doc.ID, io.Discard, nil); err != nil || n != size {
				b.Fatalf("download: %d bytes, %v", n, err)
			}
			if err := c.DeleteDocument(ctx, doc.ID); err != nil {
				b.Fatal(err)
			}
		}))
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.SetBytes(2 * size)
}
