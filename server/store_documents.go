package server

import (
	"context"
	"time"
)

// DocumentStore keeps the users' documents (see migration 0017): their
// metadata, and the content of those kept in the database, in chunks of
// documentChunkSize bytes (the last one shorter) numbered from 0.
//
// A document is UPLOADING from CreateUpload until FinishUpload makes it
// STORED; only STORED documents are listed, counted and returned.
type DocumentStore interface {
	// CreateUpload adds an UPLOADING document, unless its user has
	// maxUploading documents UPLOADING created after since already
	// (ErrLimitReached).
	CreateUpload(ctx context.Context, d DocumentRecord, since time.Time, maxUploading int) error
	// FinishUpload makes an UPLOADING document STORED, with its size and
	// content type, unless its user has maxPerUser STORED documents
	// already (ErrLimitReached). ErrNotFound when it is not UPLOADING
	// (any more).
	FinishUpload(ctx context.Context, id string, size int64, contentType string, maxPerUser int) error
	// Documents lists a user's documents, newest first. Document returns
	// one of them, or ErrNotFound when it does not exist, is someone
	// else's or is not STORED yet. CountDocuments counts them.
	Documents(ctx context.Context, userID string) ([]DocumentRecord, error)
	Document(ctx context.Context, userID, id string) (DocumentRecord, error)
	CountDocuments(ctx context.Context, userID string) (int, error)
	// DeleteDocument deletes a user's document, STORED or UPLOADING, with
	// the chunks of its content; ErrNotFound when there is no such
	// document of that user.
	DeleteDocument(ctx context.Context, userID, id string) error
	// AbandonedUploads lists the documents UPLOADING since before before.
	AbandonedUploads(ctx context.Context, before time.Time) ([]DocumentRecord, error)

	// PutDocumentChunk stores chunk seq of a document's content.
	// DocumentChunk returns it in buf's memory (grown when too short), or
	// ErrNotFound.
	PutDocumentChunk(ctx context.Context, id string, seq int, data []byte) error
	DocumentChunk(ctx context.Context, id string, seq int, buf []byte) ([]byte, error)
}

// Statuses of a document.
const (
	DocumentUploading = "UPLOADING"
	DocumentStored    = "STORED"
)

// DocumentRecord is a stored document's metadata.
type DocumentRecord struct {
	ID          string // 32 hex digits
	UserID      string
	TypeID      string
	FileName    string
	ContentType string // empty while UPLOADING
	Size        int64  // 0 while UPLOADING
	Storage     string // StorageDatabase or StorageDirectory: where its content is
	Status      string
	CreatedAt   time.Time
}
