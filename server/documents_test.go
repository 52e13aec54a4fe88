package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gabriel-vasile/mimetype"

	"selfservice/api"
	"selfservice/server/docsample"
)

// testDocuments is the documents section of the tests' servers.
func testDocuments() TenantDocuments {
	return TenantDocuments{Types: []api.DocumentType{{ID: "id_card", Name: "Identity card"}, {ID: "contract", Name: "Contract"}}}
}

// newDocumentsEnv is a server with testDocuments changed by change,
// keeping content in the database or, with dir set, in that directory.
func newDocumentsEnv(t *testing.T, dir string, change func(d *TenantDocuments)) *env {
	t.Helper()
	d := testDocuments()
	if dir != "" {
		d.Storage, d.Directory = StorageDirectory, dir
	}
	if change != nil {
		change(&d)
	}
	if err := d.check(); err != nil {
		t.Fatal(err)
	}
	return newEnvWith(t, Config{Tenant: Tenant{Documents: d}})
}

// storages runs test once with the content in the database and once in
// a directory, which it passes (or "").
func storages(t *testing.T, test func(t *testing.T, dir string)) {
	t.Run("database", func(t *testing.T) { test(t, "") })
	t.Run("directory", func(t *testing.T) { test(t, t.TempDir()) })
}

// upload sends body as the file name of type typ; length -1 sends it
// without a Content-Length.
func (e *env) upload(session, typ, name string, body io.Reader, length int64) response {
	e.t.Helper()
	q := url.Values{"type": {typ}, "name": {name}}
	req := httptest.NewRequest("POST", api.BasePath+"/account/documents?"+q.Encode(), body)
	req.ContentLength = length
	req.RemoteAddr = testRemote
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("Authorization", "Bearer "+session)
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	return response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// uploadBytes uploads b with its length.
func (e *env) uploadBytes(session, typ, name string, b []byte) response {
	e.t.Helper()
	return e.upload(session, typ, name, bytes.NewReader(b), int64(len(b)))
}

// uploaded uploads b and expects it stored.
func (e *env) uploaded(session, typ, name string, b []byte) api.Document {
	e.t.Helper()
	var out api.DocumentResponse
	e.ok(e.uploadBytes(session, typ, name, b), http.StatusCreated, &out)
	return out.Document
}

func (e *env) documents(session string) api.DocumentsResponse {
	e.t.Helper()
	var out api.DocumentsResponse
	e.ok(e.call("GET", "/account/documents", session, nil), 200, &out)
	return out
}

// nothingStored fails unless no document, chunk or content file is left.
func (e *env) nothingStored(dir string) {
	e.t.Helper()
	for _, table := range []string{"documents", "document_chunks"} {
		var n int
		if err := e.queryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
			e.t.Fatal(err)
		}
		if n != 0 {
			e.t.Errorf("%d rows left in %s", n, table)
		}
	}
	if dir == "" {
		return
	}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			e.t.Errorf("file %s left in the documents directory", p)
		}
		return nil
	})
}

func TestEveryAllowedFormatIsStoredAndDownloadsAsUploaded(t *testing.T) {
	storages(t, func(t *testing.T, dir string) {
		e := newDocumentsEnv(t, dir, nil)
		_, _, alice := e.userWithToken("alice", RoleEmployee)
		samples := docsample.Samples()
		for _, name := range slices.Sorted(func(yield func(string) bool) {
			for n := range samples {
				if !yield(n) {
					return
				}
			}
		}) {
			body := samples[name]
			doc := e.uploaded(alice, "id_card", name, body)
			want, _ := api.FormatOf(name)
			if doc.FileName != name || doc.Type != "id_card" || doc.TypeName != "Identity card" || doc.Size != int64(len(body)) ||
				!strings.HasPrefix(doc.ContentType, want.ContentType) || !doc.CreatedAt.Equal(e.clock.Now()) {
				t.Errorf("%s stored as %+v", name, doc)
			}
			res := e.call("GET", "/account/documents/"+doc.ID+"/content", alice, nil)
			if res.Status != 200 || !bytes.Equal(res.Body, body) {
				t.Fatalf("download of %s: status %d, %d bytes, want the %d uploaded", name, res.Status, len(res.Body), len(body))
			}
			_, params, err := mime.ParseMediaType(res.Header.Get("Content-Disposition"))
			if res.Header.Get("Content-Type") != doc.ContentType || res.Header.Get("Content-Length") != strconv.Itoa(len(body)) ||
				err != nil || params["filename"] != name || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") ||
				res.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("download of %s has headers %v", name, res.Header)
			}
		}
		if got := len(e.documents(alice).Documents); got != len(samples) {
			t.Errorf("%d documents listed, want %d", got, len(samples))
		}
	})
}

func TestLargeDocumentStreamsThroughChunks(t *testing.T) {
	storages(t, func(t *testing.T, dir string) {
		e := newDocumentsEnv(t, dir, nil)
		_, _, alice := e.userWithToken("alice", RoleEmployee)
		size := int64(2*documentChunkSize + 12345) // three chunks, the last one short
		want, _ := io.ReadAll(docsample.Reader(size))
		doc := e.uploaded(alice, "contract", "contract.pdf", want)
		if dir == "" {
			var chunks int
			e.queryRow(`SELECT count(*) FROM document_chunks WHERE document_id = ?`, doc.ID).Scan(&chunks)
			if chunks != 3 {
				t.Errorf("%d chunks, want 3", chunks)
			}
		}
		res := e.call("GET", "/account/documents/"+doc.ID+"/content", alice, nil)
		if !bytes.Equal(res.Body, want) {
			t.Errorf("downloaded %d bytes that differ from the %d uploaded", len(res.Body), len(want))
		}
	})
}

func TestDocumentWhoseContentIsNotItsExtensionIsRefused(t *testing.T) {
	storages(t, func(t *testing.T, dir string) {
		e := newDocumentsEnv(t, dir, nil)
		_, _, alice := e.userWithToken("alice", RoleEmployee)
		for _, c := range []struct {
			name     string
			body     []byte
			detected string
			says     []string
		}{
			{"passport.pdf", docsample.PNG(), "image/png", []string{"PNG image", "not a PDF document", ".png"}},
			{"letter.docx", docsample.Zip(), "application/zip", []string{"ZIP archive"}},
			{"letter.docx", docsample.OOXML("xl/workbook.xml", 0), mimeXlsx, []string{"an Excel workbook", "not a Word document"}},
			{"letter.doc", docsample.OLE("Workbook", 0), mimeXls, []string{"application/vnd.ms-excel"}},
			{"notes.txt", docsample.ELF(), "application/x-elf", []string{"cannot be stored"}},
			{"data.json", []byte("not JSON at all"), "text/plain; charset=utf-8", []string{"a text file", "not a JSON file"}},
			{"clip.mp4", docsample.AVI(), "video/x-msvideo", []string{"an AVI video", "not an MP4 video"}},
		} {
			res := e.uploadBytes(alice, "id_card", c.name, c.body)
			apiErr := e.apiErr(res, api.CodeUnsupportedMedia)
			for _, s := range c.says {
				if !strings.Contains(apiErr.Message, s) {
					t.Errorf("%s of %s: message %q does not say %q", c.name, c.detected, apiErr.Message, s)
				}
			}
			if apiErr.Details["detected"] != c.detected || apiErr.FieldErrors()["file"] != apiErr.Message {
				t.Errorf("%s: details %v; want detected %s and the message for the field file", c.name, apiErr.Details, c.detected)
			}
		}
		// A file that starts as a ZIP archive but is cut off.
		docx := docsample.OOXML("word/document.xml", 0)
		apiErr := e.apiErr(e.uploadBytes(alice, "id_card", "cut.docx", docx[:len(docx)/2]), api.CodeUnsupportedMedia)
		if !strings.Contains(apiErr.Message, "damaged") {
			t.Errorf("a cut-off DOCX: %q", apiErr.Message)
		}
		e.nothingStored(dir)
	})
}

func TestOfficeDocumentsAreToldByTheirDirectoryWhereverItIs(t *testing.T) {
	// Both have the part that names their kind past the first bytes,
	// where mimetype alone sees only a ZIP archive or an OLE file.
	docx := docsample.OOXML("word/document.xml", 2*detectHead)
	doc := docsample.OLE("WordDocument", 2*detectHead/512)
	if m := mimetype.Detect(docx[:detectHead]); !m.Is(mimeZip) {
		t.Fatalf("the head of the padded DOCX is %s; the test wants one only its directory tells", m)
	}
	if m := mimetype.Detect(doc[:detectHead]); !m.Is(mimeOLE) {
		t.Fatalf("the head of the padded DOC is %s; the test wants one only its directory tells", m)
	}
	storages(t, func(t *testing.T, dir string) {
		e := newDocumentsEnv(t, dir, nil)
		_, _, alice := e.userWithToken("alice", RoleEmployee)
		if got := e.uploaded(alice, "contract", "contract.docx", docx).ContentType; got != mimeDocx {
			t.Errorf("padded DOCX stored as %s", got)
		}
		if got := e.uploaded(alice, "contract", "contract.doc", doc).ContentType; got != mimeDoc {
			t.Errorf("padded DOC stored as %s", got)
		}
	})
}

func TestDocumentOverTheSizeLimitIsRefusedWithNothingStored(t *testing.T) {
	storages(t, func(t *testing.T, dir string) {
		e := newDocumentsEnv(t, dir, func(d *TenantDocuments) { d.MaxSizeMB = 1 })
		_, _, alice := e.userWithToken("alice", RoleEmployee)
		over := int64(1<<20 + 1)
		// Refused from its Content-Length, before anything is read; and,
		// sent without one, once the limit is passed.
		for _, length := range []int64{over, -1} {
			res := e.upload(alice, "id_card", "big.pdf", docsample.Reader(over), length)
			apiErr := e.apiErr(res, api.CodeBodyTooLarge)
			if !strings.Contains(apiErr.Message, "1 MB") || apiErr.Details["max_bytes"] != float64(1<<20) || apiErr.FieldErrors()["file"] == "" {
				t.Errorf("Content-Length %d: %q %v", length, apiErr.Message, apiErr.Details)
			}
		}
		e.nothingStored(dir)
		// Exactly the limit is fine.
		e.ok(e.upload(alice, "id_card", "fits.pdf", docsample.Reader(1<<20), -1), http.StatusCreated, nil)
	})
}

func TestDocumentsPerUserAreLimited(t *testing.T) {
	e := newDocumentsEnv(t, "", func(d *TenantDocuments) { d.MaxPerUser = 2 })
	_, _, alice := e.userWithToken("alice", RoleEmployee)
	_, _, bob := e.userWithToken("bob", RoleEmployee)
	first := e.uploaded(alice, "id_card", "a.txt", []byte("a"))
	e.uploaded(alice, "id_card", "b.txt", []byte("b"))
	apiErr := e.apiErr(e.uploadBytes(alice, "id_card", "c.txt", []byte("c")), api.CodeDocumentLimit)
	if apiErr.Details["max_per_user"] != float64(2) || !strings.Contains(apiErr.Message, "2 documents") {
		t.Errorf("limit error %q %v", apiErr.Message, apiErr.Details)
	}
	if n := len(e.documents(alice).Documents); n != 2 {
		t.Errorf("%d documents after the refusal, want 2", n)
	}
	e.uploaded(bob, "id_card", "b.txt", []byte("bob's own")) // the limit is per user
	e.ok(e.call("DELETE", "/account/documents/"+first.ID, alice, nil), http.StatusNoContent, nil)
	e.uploaded(alice, "id_card", "c.txt", []byte("c"))
}

func TestUnfinishedUploadsOfAUserAreLimitedAndAbandonedOnesRemoved(t *testing.T) {
	storages(t, func(t *testing.T, dir string) {
		e := newDocumentsEnv(t, dir, nil)
		alice, _, session := e.userWithToken("alice", RoleEmployee)
		srv := New(e.store, e.cfg)
		store, _ := srv.contentFor(e.cfg.Tenant.Documents.storage())
		ctx := context.Background()
		for range maxUploading {
			rec := DocumentRecord{ID: newDocumentID(), UserID: alice.ID, TypeID: "id_card", FileName: "x.pdf",
				Storage: e.cfg.Tenant.Documents.storage(), CreatedAt: e.clock.Now()}
			if err := e.store.CreateUpload(ctx, rec, e.clock.Now().Add(-abandonedUpload), maxUploading); err != nil {
				t.Fatal(err)
			}
			if _, err := store.write(ctx, rec.ID, strings.NewReader("%PDF-1.4 half a file")); err != nil {
				t.Fatal(err)
			}
		}
		res := e.uploadBytes(session, "id_card", "y.pdf", docsample.PDF("y"))
		if e.apiErr(res, api.CodeRateLimited); res.Header.Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
		if n := len(e.documents(session).Documents); n != 0 {
			t.Errorf("%d unfinished uploads listed", n)
		}

		e.clock.Advance(abandonedUpload - time.Minute)
		if err := srv.purgeAbandonedUploads(ctx); err != nil {
			t.Fatal(err)
		}
		if recs, _ := e.store.AbandonedUploads(ctx, e.clock.Now().Add(time.Hour)); len(recs) != maxUploading {
			t.Fatalf("%d uploads left before they are abandoned, want %d", len(recs), maxUploading)
		}
		e.clock.Advance(2 * time.Minute)
		if err := srv.purgeAbandonedUploads(ctx); err != nil {
			t.Fatal(err)
		}
		e.nothingStored(dir)
	})
}

func TestDocumentsAreTheirOwnersOnly(t *testing.T) {
	storages(t, func(t *testing.T, dir string) {
		e := newDocumentsEnv(t, dir, nil)
		_, _, alice := e.userWithToken("alice", RoleEmployee)
		_, _, bob := e.userWithToken("bob", RoleEmployee)
		doc := e.uploaded(alice, "id_card", "passport.png", docsample.PNG())
		if n := len(e.documents(bob).Documents); n != 0 {
			t.Errorf("bob lists %d documents", n)
		}
		e.apiErr(e.call("GET", "/account/documents/"+doc.ID+"/content", bob, nil), api.CodeNotFound)
		e.apiErr(e.call("DELETE", "/account/documents/"+doc.ID, bob, nil), api.CodeNotFound)
		e.apiErr(e.call("GET", "/account/documents/"+doc.ID+"/content", "", nil), api.CodeUnauthenticated)

		// Deleting removes it for good, with its content.
		e.ok(e.call("DELETE", "/account/documents/"+doc.ID, alice, nil), http.StatusNoContent, nil)
		e.apiErr(e.call("GET", "/account/documents/"+doc.ID+"/content", alice, nil), api.CodeNotFound)
		e.apiErr(e.call("DELETE", "/account/documents/"+doc.ID, alice, nil), api.CodeNotFound)
		e.nothingStored(dir)
	})
}

func TestHelpdeskHasNoDocuments(t *testing.T) {
	e := newDocumentsEnv(t, "", nil)
	_, _, alice := e.userWithToken("alice", RoleEmployee)
	_, _, desk := e.userWithToken("hana", RoleHelpdesk)
	doc := e.uploaded(alice, "id_card", "a.txt", []byte("a"))
	for _, res := range []response{
		e.call("GET", "/account/documents", desk, nil),
		e.uploadBytes(desk, "id_card", "b.txt", []byte("b")),
		e.call("GET", "/account/documents/"+doc.ID+"/content", desk, nil),
		e.call("DELETE", "/account/documents/"+doc.ID, desk, nil),
	} {
		if apiErr := e.apiErr(res, api.CodePrivilegeMissing); apiErr.Details["privilege"] == nil {
			t.Errorf("no privilege named: %v", apiErr.Details)
		}
	}
}

func TestUploadFieldsAreChecked(t *testing.T) {
	e := newDocumentsEnv(t, "", nil)
	_, _, alice := e.userWithToken("alice", RoleEmployee)
	for _, c := range []struct{ typ, name, field string }{
		{"", "a.pdf", "type"},
		{"passport", "a.pdf", "type"}, // not a type of this organisation
		{"id_card", "", "file"},
		{"id_card", "../../etc/passwd.txt", "file"},
		{"id_card", `C:\Users\a.pdf`, "file"},
		{"id_card", "a\x00.pdf", "file"},
		{"id_card", "invoice\u202Efdp.exe", "file"}, // shows as "invoiceexe.pdf"
		{"id_card", "a.pdf.", "file"},
		{"id_card", "program.exe", "file"},
		{"id_card", "noextension", "file"},
		{"id_card", strings.Repeat("a", 252) + ".pdf", "file"},
	} {
		apiErr := e.apiErr(e.uploadBytes(alice, c.typ, c.name, docsample.PDF("x")), api.CodeInvalidRequest)
		if apiErr.FieldErrors()[c.field] == "" {
			t.Errorf("type %q name %q: fields %v, want %s", c.typ, c.name, apiErr.FieldErrors(), c.field)
		}
	}
	apiErr := e.apiErr(e.uploadBytes(alice, "id_card", "empty.txt", nil), api.CodeInvalidRequest)
	if !strings.Contains(apiErr.FieldErrors()["file"], "empty") {
		t.Errorf("empty file: %v", apiErr.FieldErrors())
	}
	req := httptest.NewRequest("POST", api.BasePath+"/account/documents?type=id_card&name=a.txt", strings.NewReader("--x\r\n"))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	req.Header.Set("Authorization", "Bearer "+alice)
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	e.apiErr(response{Status: rec.Code, Body: rec.Body.Bytes()}, api.CodeUnsupportedMedia)
	e.nothingStored("")
	// A name of other scripts is kept, and offered back as it was.
	doc := e.uploaded(alice, "id_card", "Zeugnis Müller 2024 – 日本.pdf", docsample.PDF("x"))
	res := e.call("GET", "/account/documents/"+doc.ID+"/content", alice, nil)
	if _, params, _ := mime.ParseMediaType(res.Header.Get("Content-Disposition")); params["filename"] != doc.FileName {
		t.Errorf("Content-Disposition %q for %q", res.Header.Get("Content-Disposition"), doc.FileName)
	}
}

func TestDocumentsListTheTypesAndLimits(t *testing.T) {
	e := newDocumentsEnv(t, "", func(d *TenantDocuments) { d.MaxSizeMB, d.MaxPerUser = 5, 7 })
	_, _, alice := e.userWithToken("alice", RoleEmployee)
	older := e.uploaded(alice, "contract", "a.txt", []byte("a"))
	e.clock.Advance(time.Minute)
	newer := e.uploaded(alice, "id_card", "b.txt", []byte("b"))
	out := e.documents(alice)
	if len(out.Types) != 2 || out.Types[0].Name != "Identity card" || out.MaxSizeBytes != 5<<20 || out.MaxPerUser != 7 {
		t.Errorf("types and limits %+v", out)
	}
	if len(out.Documents) != 2 || out.Documents[0].ID != newer.ID || out.Documents[1].ID != older.ID {
		t.Errorf("documents %+v; want the newest first", out.Documents)
	}

	// A type the organisation no longer lists shows its id.
	e2 := newEnvAt(t, e.path, Config{Tenant: Tenant{Documents: TenantDocuments{Types: []api.DocumentType{{ID: "id_card", Name: "ID"}}}}})
	var listed api.DocumentsResponse
	e2.ok(e2.call("GET", "/account/documents", alice, nil), 200, &listed)
	if listed.Documents[1].TypeName != "contract" {
		t.Errorf("a removed type is named %q", listed.Documents[1].TypeName)
	}
	raw, _ := json.Marshal(e.documents(alice))
	if !strings.Contains(string(raw), `"max_size_bytes":5242880`) {
		t.Errorf("wire form %s", raw)
	}
}

func TestTenantDocumentsAreChecked(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, json, want string }{
		{"bad id", `{"documents": {"types": [{"id": "ID Card", "name": "x"}]}}`, "documents.types[0].id"},
		{"twice", `{"documents": {"types": [{"id": "a", "name": "x"}, {"id": "a", "name": "y"}]}}`, `documents.types[1].id: "a" is listed twice`},
		{"no name", `{"documents": {"types": [{"id": "a", "name": " "}]}}`, "documents.types[0].name"},
		{"size", `{"documents": {"max_size_mb": 5000}}`, "documents.max_size_mb"},
		{"per user", `{"documents": {"max_per_user": -1}}`, "documents.max_per_user"},
		{"storage", `{"documents": {"storage": "s3"}}`, "documents.storage"},
		{"directory without storage", `{"documents": {"directory": "/tmp"}}`, "documents.directory"},
		{"relative", `{"documents": {"storage": "directory", "directory": "docs"}}`, "not an absolute path"},
		{"missing", `{"documents": {"storage": "directory", "directory": "/nonexistent/docs"}}`, "documents.directory"},
		{"a file", `{"documents": {"storage": "directory", "directory": ` + strconv.Quote(file) + `}}`, "is not a directory"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := ReadTenant(strings.NewReader(c.json)); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("ReadTenant(%s) = %v; want an error naming %s", c.json, err, c.want)
			}
		})
	}
	dir := t.TempDir()
	tenant, err := ReadTenant(strings.NewReader(`{"documents": {"storage": "directory", "directory": ` + strconv.Quote(dir) + `}}`))
	if err != nil || tenant.Documents.storage() != StorageDirectory {
		t.Errorf("a writable directory: %+v, %v", tenant.Documents, err)
	}
	if demo := DemoTenant().Documents; len(demo.Types) < 3 || demo.storage() != StorageDatabase {
		t.Errorf("the demo's documents: %+v", demo)
	}
}
