package server

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"selfservice/api"
)

// Documents (tenant_documents.go configures them). An upload streams the
// request body into the content store while counting its size (at most
// the tenant's limit: http.MaxBytesReader), as a document that is
// UPLOADING and so invisible; then its content is detected, checked
// against the file name's extension, and only then is the document
// STORED. Any refusal or failure removes what was written. A download
// streams the content back. Neither ever holds more than a chunk
// (documentChunkSize) of the file in memory.

// Limits of transfers.
const (
	// transferIdle is how long an upload or download may stand still:
	// each chunk moved gives it this long again, whatever the server's
	// read and write timeouts, so that a large file on a slow line
	// arrives.
	transferIdle = time.Minute
	// maxUploadTime bounds an upload however it moves.
	maxUploadTime = time.Hour
	// abandonedUpload is when an UPLOADING document is surely left behind
	// by a server that stopped: Run removes it.
	abandonedUpload = 2 * maxUploadTime
	// maxUploading is how many uploads of one user may run at once.
	maxUploading = 3
)

// newDocumentID is a document's id: 128 random bits in hex, which names
// its content file too.
func newDocumentID() string {
	return hex.EncodeToString(randomBytes(16))
}

// listDocuments answers GET /account/documents.
func (s *Server) listDocuments(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivDocumentsView); err != nil {
		return err
	}
	recs, err := s.store.Documents(r.Context(), c.user.ID)
	if err != nil {
		return err
	}
	docs := s.cfg.Tenant.Documents
	out := api.DocumentsResponse{
		Documents:    make([]api.Document, 0, len(recs)),
		Types:        docs.Types,
		MaxSizeBytes: docs.maxBytes(),
		MaxPerUser:   docs.maxPerUser(),
	}
	if out.Types == nil {
		out.Types = []api.DocumentType{}
	}
	for _, d := range recs {
		out.Documents = append(out.Documents, s.documentOut(d))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) documentOut(d DocumentRecord) api.Document {
	name, _ := s.cfg.Tenant.Documents.typeName(d.TypeID)
	return api.Document{
		ID: d.ID, Type: d.TypeID, TypeName: name, FileName: d.FileName,
		ContentType: d.ContentType, Size: d.Size, CreatedAt: d.CreatedAt,
	}
}

// uploadDocument answers POST /account/documents?type=ID&name=FILE, whose
// body is the file.
func (s *Server) uploadDocument(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivDocumentsUpdate); err != nil {
		return err
	}
	docs := s.cfg.Tenant.Documents
	q := r.URL.Query()
	up := api.UploadDocument{Type: q.Get("type"), FileName: q.Get("name")}
	if err := up.Validate(); err != nil {
		return err
	}
	if _, ok := docs.typeName(up.Type); !ok {
		return api.FieldError(map[string]string{"type": "This type of document is not known. Choose one of the list."})
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); strings.HasPrefix(mt, "multipart/") {
		return apiError(api.CodeUnsupportedMedia, "Send the file itself as the request body, not a form (multipart).")
	}
	if r.ContentLength > docs.maxBytes() {
		return errDocumentTooLarge(docs.maxBytes())
	}
	ctx := r.Context()
	if n, err := s.store.CountDocuments(ctx, c.user.ID); err != nil {
		return err
	} else if n >= docs.maxPerUser() {
		return errDocumentLimit(docs.maxPerUser())
	}
	store, err := s.contentFor(docs.storage())
	if err != nil {
		return err
	}
	now := s.now()
	rec := DocumentRecord{ID: newDocumentID(), UserID: c.user.ID, TypeID: up.Type, FileName: up.FileName, Storage: docs.storage(), CreatedAt: now}
	err = s.store.CreateUpload(ctx, rec, now.Add(-abandonedUpload), maxUploading)
	if errors.Is(err, ErrLimitReached) {
		e := apiError(api.CodeRateLimited, fmt.Sprintf("You are uploading %d files already. Wait until they are done, then try again.", maxUploading))
		e.RetryAfter = 10 * time.Second
		return e
	}
	if err != nil {
		return err
	}
	stored := false
	defer func() {
		if !stored {
			s.discardDocument(context.WithoutCancel(ctx), rec, store)
		}
	}()

	body := &transferBody{
		r:     http.MaxBytesReader(w, r.Body, docs.maxBytes()),
		rc:    http.NewResponseController(w),
		until: time.Now().Add(maxUploadTime),
	}
	size, err := store.write(ctx, rec.ID, body)
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return errDocumentTooLarge(docs.maxBytes())
	case body.err != nil:
		return api.FieldError(map[string]string{"file": "The upload was cut off before the whole file arrived. Try again."})
	case err != nil:
		return err
	case size == 0:
		return api.FieldError(map[string]string{"file": "The file is empty. Choose a file with something in it."})
	}
	contentType, err := s.checkContent(ctx, store, rec, size)
	if err != nil {
		return err
	}
	err = s.store.FinishUpload(ctx, rec.ID, size, contentType, docs.maxPerUser())
	if errors.Is(err, ErrLimitReached) {
		return errDocumentLimit(docs.maxPerUser())
	}
	if err != nil {
		return err
	}
	stored = true
	rec.Size, rec.ContentType = size, contentType
	s.log.InfoContext(ctx, "Document stored", "user", c.user.ID, "document", rec.ID, "type", rec.TypeID, "bytes", size, "content_type", contentType)
	writeJSON(w, http.StatusCreated, api.DocumentResponse{Document: s.documentOut(rec)})
	return nil
}

// checkContent detects what the uploaded content is and returns the
// content type to serve it as, or the refusal that says what it is.
func (s *Server) checkContent(ctx context.Context, store contentStore, rec DocumentRecord, size int64) (string, error) {
	c, err := store.open(ctx, rec.ID, size)
	if err != nil {
		return "", err
	}
	defer c.Close()
	detected, head, err := detectContent(c, size)
	if errors.Is(err, errDamaged) {
		return "", errUnsupportedDocument("The file is damaged: its content cannot be read as the archive or Office file it starts as. Save it again and upload the new copy.", "")
	}
	if err != nil {
		return "", err
	}
	contentType, err := acceptContent(detected, head, rec.FileName)
	if err != nil {
		return "", errUnsupportedDocument(err.Error(), detected.String())
	}
	return contentType, nil
}

// discardDocument removes a document and its content: an upload that
// failed or was refused, or an abandoned one.
func (s *Server) discardDocument(ctx context.Context, rec DocumentRecord, store contentStore) {
	if err := s.store.DeleteDocument(ctx, rec.UserID, rec.ID); err != nil && !errors.Is(err, ErrNotFound) {
		s.log.ErrorContext(ctx, "removing an unfinished document failed; it is tried again later", "document", rec.ID, "err", err)
		return
	}
	if err := store.remove(ctx, rec.ID); err != nil {
		s.log.ErrorContext(ctx, "removing the content of an unfinished document failed", "document", rec.ID, "err", err)
	}
}

// documentContent answers GET /account/documents/{id}/content: the file,
// as an attachment of its detected type.
func (s *Server) documentContent(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivDocumentsView); err != nil {
		return err
	}
	ctx := r.Context()
	rec, err := s.userDocument(ctx, c, r.PathValue("id"))
	if err != nil {
		return err
	}
	store, err := s.contentFor(rec.Storage)
	if err != nil {
		return err
	}
	content, err := store.open(ctx, rec.ID, rec.Size)
	if err != nil {
		return err
	}
	defer content.Close()
	h := w.Header()
	h.Set("Content-Type", rec.ContentType)
	h.Set("Content-Length", strconv.FormatInt(rec.Size, 10))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": rec.FileName}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	out := &transferWriter{w: w, rc: http.NewResponseController(w)}
	if _, err := io.CopyBuffer(out, io.LimitReader(content, rec.Size), make([]byte, documentChunkSize)); err != nil {
		if ctx.Err() == nil && out.err == nil {
			s.log.ErrorContext(ctx, "reading a document failed during its download", "document", rec.ID, "err", err)
		}
		panic(http.ErrAbortHandler) // the client must not take a short file for the whole
	}
	return nil
}

// deleteDocument answers DELETE /account/documents/{id}.
func (s *Server) deleteDocument(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivDocumentsUpdate); err != nil {
		return err
	}
	ctx := r.Context()
	rec, err := s.userDocument(ctx, c, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := s.store.DeleteDocument(ctx, c.user.ID, rec.ID); errors.Is(err, ErrNotFound) {
		return errDocumentNotFound()
	} else if err != nil {
		return err
	}
	if store, err := s.contentFor(rec.Storage); err == nil {
		if err := store.remove(ctx, rec.ID); err != nil {
			s.log.ErrorContext(ctx, "the document is deleted, but not its content file; remove it by hand", "document", rec.ID, "err", err)
		}
	}
	s.log.InfoContext(ctx, "Document deleted", "user", c.user.ID, "document", rec.ID)
	writeNoContent(w)
	return nil
}

// userDocument is the caller's STORED document id; anyone else's is not
// found, as one that does not exist.
func (s *Server) userDocument(ctx context.Context, c *caller, id string) (DocumentRecord, error) {
	rec, err := s.store.Document(ctx, c.user.ID, id)
	if errors.Is(err, ErrNotFound) {
		return DocumentRecord{}, errDocumentNotFound()
	}
	return rec, err
}

// contentFor is where documents of storage keep their content.
func (s *Server) contentFor(storage string) (contentStore, error) {
	switch storage {
	case StorageDatabase:
		return databaseContent{store: s.store}, nil
	case StorageDirectory:
		if dir := s.cfg.Tenant.Documents.Directory; dir != "" {
			return directoryContent{dir: dir}, nil
		}
	}
	return nil, fmt.Errorf("documents kept in %q storage, which the configuration does not set up (documents.directory)", storage)
}

// purgeAbandonedUploads removes the documents left UPLOADING by a server
// that stopped in the middle of an upload, with their content.
func (s *Server) purgeAbandonedUploads(ctx context.Context) error {
	recs, err := s.store.AbandonedUploads(ctx, s.now().Add(-abandonedUpload))
	if err != nil {
		return err
	}
	for _, rec := range recs {
		store, err := s.contentFor(rec.Storage)
		if err != nil {
			return err
		}
		s.discardDocument(ctx, rec, store)
	}
	return nil
}

// transferBody reads an upload, giving each read transferIdle (but no
// later than until) and remembering whether reading the request failed.
type transferBody struct {
	r     io.Reader
	rc    *http.ResponseController
	until time.Time
	err   error // the last failure that was not the size limit
}

func (b *transferBody) Read(p []byte) (int, error) {
	deadline := time.Now().Add(transferIdle)
	if deadline.After(b.until) {
		deadline = b.until
	}
	b.rc.SetReadDeadline(deadline) //nolint:errcheck // not every ResponseWriter has deadlines
	n, err := b.r.Read(p)
	var tooLarge *http.MaxBytesError
	if err != nil && err != io.EOF && !errors.As(err, &tooLarge) {
		b.err = err
	}
	return n, err
}

// transferWriter writes a download, giving each write transferIdle and
// remembering whether writing to the client failed.
type transferWriter struct {
	w   io.Writer
	rc  *http.ResponseController
	err error
}

func (t *transferWriter) Write(p []byte) (int, error) {
	t.rc.SetWriteDeadline(time.Now().Add(transferIdle)) //nolint:errcheck // not every ResponseWriter has deadlines
	n, err := t.w.Write(p)
	if err != nil {
		t.err = err
	}
	return n, err
}

func errDocumentTooLarge(maxBytes int64) error {
	msg := fmt.Sprintf("The file is larger than %d MB, the most a document may have. Make it smaller (scan it at a lower resolution, or save it compressed) and try again.", maxBytes>>20)
	e := api.FieldError(map[string]string{"file": msg})
	e.Code, e.Message = api.CodeBodyTooLarge, msg
	e.Details["max_bytes"] = maxBytes
	return e
}

func errDocumentLimit(maxPerUser int) error {
	return &api.Error{
		Code:    api.CodeDocumentLimit,
		Message: fmt.Sprintf("You keep %d documents, the most allowed. Delete one you no longer need, then upload this one.", maxPerUser),
		Details: map[string]any{"max_per_user": maxPerUser},
	}
}

// errUnsupportedDocument refuses content; detected is its type, when known.
func errUnsupportedDocument(msg, detected string) error {
	e := api.FieldError(map[string]string{"file": msg})
	e.Code, e.Message = api.CodeUnsupportedMedia, msg
	if detected != "" {
		e.Details["detected"] = detected
	}
	return e
}

func errDocumentNotFound() error {
	return apiError(api.CodeNotFound, "There is no such document: it may have been deleted meanwhile.")
}
