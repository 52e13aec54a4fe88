package server

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"selfservice/server/docsample"
)

// demoDocuments are the documents the demo employee starts with, so that
// the Documents area shows what it is for.
var demoDocuments = []struct {
	typeID, fileName, contentType string
	content                       func() []byte
	age                           time.Duration
}{
	{"contract", "Employment contract 2024.pdf", "application/pdf", func() []byte {
		return docsample.PDF("Employment contract - Demo Employee")
	}, 30 * 24 * time.Hour},
	{"id_card", "Identity card.png", "image/png", docsample.PNG, 2 * 24 * time.Hour},
}

// seedDemoDocuments gives the demo user userID the demo documents, kept
// in the database, unless they have documents already.
func seedDemoDocuments(ctx context.Context, store Store, userID string) error {
	n, err := store.CountDocuments(ctx, userID)
	if err != nil || n > 0 {
		return err
	}
	content := databaseContent{store: store}
	for _, d := range demoDocuments {
		rec := DocumentRecord{ID: newDocumentID(), UserID: userID, TypeID: d.typeID, FileName: d.fileName,
			Storage: StorageDatabase, CreatedAt: time.Now().UTC().Add(-d.age).Truncate(time.Minute)}
		if err := store.CreateUpload(ctx, rec, time.Time{}, len(demoDocuments)); err != nil {
			return fmt.Errorf("seed demo document %s: %w", d.fileName, err)
		}
		size, err := content.write(ctx, rec.ID, bytes.NewReader(d.content()))
		if err == nil {
			err = store.FinishUpload(ctx, rec.ID, size, d.contentType, defaultDocumentsPerUser)
		}
		if err != nil {
			return fmt.Errorf("seed demo document %s: %w", d.fileName, err)
		}
	}
	return nil
}
