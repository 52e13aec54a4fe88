package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"selfservice/api"
)

// The user's documents (api.PrivDocumentsView to list and download,
// api.PrivDocumentsUpdate to upload and delete). Files are streamed from
// and to disk: none is read into memory whole.

// Progress is told of a transfer's bytes moved so far and its total
// (-1 when unknown), from the goroutine doing the transfer.
type Progress func(done, total int64)

// Documents lists the user's documents, newest first, with the types an
// upload may name and the limits.
func (s *Session) Documents(ctx context.Context) (api.DocumentsResponse, error) {
	return call(s, func(b Backend) (api.DocumentsResponse, error) {
		return b.Documents(ctx)
	})
}

// UploadDocument uploads the file at path as a document of type typ.
// Before anything is sent it checks, as field errors of "type" and
// "file", that a type is chosen, that the file's name is one the server
// accepts, and that it is no larger than maxBytes (when > 0); the server
// then checks its content.
func (s *Session) UploadDocument(ctx context.Context, typ, path string, maxBytes int64, progress Progress) (api.Document, error) {
	up := api.UploadDocument{Type: typ, FileName: filepath.Base(path)}
	if err := up.Validate(); err != nil {
		return api.Document{}, err
	}
	f, err := os.Open(path)
	if err != nil {
		return api.Document{}, fileError("The file cannot be read: %v. Choose it again.", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return api.Document{}, fileError("The file cannot be read: %v. Choose it again.", err)
	}
	if maxBytes > 0 && info.Size() > maxBytes {
		return api.Document{}, fileError("The file is larger than %d MB, the most a document may have. Make it smaller (scan it at a lower resolution, or save it compressed) and try again.", maxBytes>>20)
	}
	doc, err := call(s, func(b Backend) (api.Document, error) {
		return b.UploadDocument(ctx, up, f, info.Size(), progress)
	})
	return doc, err
}

// DownloadDocument saves document id to the file at path. It writes a
// temporary file beside it and renames it once the whole document has
// arrived, so that path never holds part of a file; a file at path is
// replaced (the save dialog asked).
func (s *Session) DownloadDocument(ctx context.Context, id, path string, progress Progress) error {
	return saveFile(s, path, func(b Backend, w io.Writer) (int64, error) {
		return b.DownloadDocument(ctx, id, w, progress)
	})
}

// saveFile saves what fetch writes to the file at path, as
// DownloadDocument does.
func saveFile(s *Session, path string, fetch func(b Backend, w io.Writer) (int64, error)) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.part")
	if err != nil {
		return fileError("The file cannot be saved there: %v. Choose another folder.", err)
	}
	defer os.Remove(tmp.Name()) // after the rename, there is nothing left to remove
	_, err = call(s, func(b Backend) (int64, error) {
		return fetch(b, tmp)
	})
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = fileError("The file cannot be saved: %v.", cerr)
	}
	var apiErr *api.Error
	if err != nil && !errors.As(err, &apiErr) && !errors.Is(err, context.Canceled) {
		err = fileError("The file cannot be saved: %v. Check the free space and try again.", err)
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fileError("The file cannot be saved there: %v. Choose another folder.", err)
	}
	return nil
}

// DeleteDocument deletes one of the user's documents.
func (s *Session) DeleteDocument(ctx context.Context, id string) error {
	_, err := call(s, func(b Backend) (struct{}, error) {
		return struct{}{}, b.DeleteDocument(ctx, id)
	})
	return err
}

// fileError is a problem with a local file, as a field error of "file".
func fileError(format string, args ...any) error {
	return api.FieldError(map[string]string{"file": fmt.Sprintf(format, args...)})
}
