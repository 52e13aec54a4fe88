package app_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"selfservice/api"
	"selfservice/app"
	"selfservice/server"
	"selfservice/server/docsample"
)

// documentsSession is the demo employee signed in to a server with the
// demo's types of document.
func documentsSession(t *testing.T) (*backend, *app.Session) {
	t.Helper()
	b := newBackendWith(t, server.DemoTenant())
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	b.signIn(t, s)
	return b, s
}

func writeTemp(t *testing.T, name string, content []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestUploadAndDownloadDocumentFiles(t *testing.T) {
	_, s := documentsSession(t)
	ctx := context.Background()
	if !s.Can(api.PrivDocumentsView) || !s.Can(api.PrivDocumentsUpdate) {
		t.Fatal("the demo employee lacks the documents privileges")
	}
	list, err := s.Documents(ctx)
	if err != nil || len(list.Types) == 0 {
		t.Fatalf("Documents = %+v, %v", list, err)
	}
	content := docsample.PNG()
	var last int64
	doc, err := s.UploadDocument(ctx, "id_card", writeTemp(t, "my card.png", content), list.MaxSizeBytes, func(done, total int64) { last = done })
	if err != nil {
		t.Fatal(err)
	}
	if doc.FileName != "my card.png" || doc.ContentType != "image/png" || last != int64(len(content)) {
		t.Errorf("uploaded %+v, progress ended at %d", doc, last)
	}

	dir := t.TempDir()
	target := filepath.Join(dir, "saved.png")
	if err := os.WriteFile(target, []byte("an older file"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.DownloadDocument(ctx, doc.ID, target, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(target); !bytes.Equal(got, content) {
		t.Error("the saved file differs from the uploaded one")
	}

	// A failed download leaves neither a part of the file nor a temporary one.
	if err := s.DeleteDocument(ctx, doc.ID); err != nil {
		t.Fatal(err)
	}
	gone := filepath.Join(dir, "gone.png")
	if err := s.DownloadDocument(ctx, doc.ID, gone, nil); !errors.Is(err, api.ErrNotFound) {
		t.Errorf("download of a deleted document: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files left in the folder: %v; want only saved.png", entries)
	}
	if err := s.DownloadDocument(ctx, doc.ID, filepath.Join(dir, "no such folder", "x.png"), nil); fieldErrors(err)["file"] == "" {
		t.Errorf("saving into a missing folder: %v; want a field error of file", err)
	}
}

func TestDocumentUploadIsCheckedBeforeItIsSent(t *testing.T) {
	b, s := documentsSession(t)
	ctx := context.Background()
	sent := b.requests.Load()
	for _, c := range []struct {
		typ, name string
		maxBytes  int64
		field     string
	}{
		{"", "a.pdf", 0, "type"},
		{"id_card", "program.exe", 0, "file"},
		{"id_card", "big.pdf", 10, "file"},
	} {
		_, err := s.UploadDocument(ctx, c.typ, writeTemp(t, c.name, docsample.PDF("x")), c.maxBytes, nil)
		if fieldErrors(err)[c.field] == "" {
			t.Errorf("%s %s: %v; want a field error of %s", c.typ, c.name, err, c.field)
		}
	}
	if _, err := s.UploadDocument(ctx, "id_card", filepath.Join(t.TempDir(), "missing.pdf"), 0, nil); fieldErrors(err)["file"] == "" {
		t.Errorf("a missing file: %v", err)
	}
	if n := b.requests.Load(); n != sent {
		t.Errorf("%d requests sent for uploads the app could refuse itself", n-sent)
	}
	// What only the server can check comes back as a field error too.
	_, err := s.UploadDocument(ctx, "id_card", writeTemp(t, "passport.pdf", docsample.JPEG()), 0, nil)
	if !strings.Contains(fieldErrors(err)["file"], "JPEG image") {
		t.Errorf("a JPEG named .pdf: %v", err)
	}
}
