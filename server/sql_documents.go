package server

import (
	"context"
	"database/sql"
	"time"
)

const documentColumns = `id, user_id, type_id, file_name, content_type, size, storage, status, created_at`

func scanDocument(row scanner) (DocumentRecord, error) {
	var d DocumentRecord
	var created int64
	err := row.Scan(&d.ID, &d.UserID, &d.TypeID, &d.FileName, &d.ContentType, &d.Size, &d.Storage, &d.Status, &created)
	d.CreatedAt = fromMillis(created)
	return d, notFound(err)
}

// CreateUpload implements Store.
func (s *SQLStore) CreateUpload(ctx context.Context, d DocumentRecord, since time.Time, maxUploading int) error {
	return s.inTx(ctx, func(tx dbtx) error {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM documents WHERE user_id = ? AND status = ? AND created_at > ?`,
			d.UserID, DocumentUploading, toMillis(since)).Scan(&n)
		if err != nil {
			return err
		}
		if n >= maxUploading {
			return ErrLimitReached
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO documents (`+documentColumns+`) VALUES (?, ?, ?, ?, '', 0, ?, ?, ?)`,
			d.ID, d.UserID, d.TypeID, d.FileName, d.Storage, DocumentUploading, toMillis(d.CreatedAt))
		return err
	})
}

// FinishUpload implements Store.
func (s *SQLStore) FinishUpload(ctx context.Context, id string, size int64, contentType string, maxPerUser int) error {
	return s.inTx(ctx, func(tx dbtx) error {
		var userID string
		err := tx.QueryRowContext(ctx, `SELECT user_id FROM documents WHERE id = ? AND status = ?`, id, DocumentUploading).Scan(&userID)
		if err != nil {
			return notFound(err)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM documents WHERE user_id = ? AND status = ?`, userID, DocumentStored).Scan(&n); err != nil {
			return err
		}
		if n >= maxPerUser {
			return ErrLimitReached
		}
		return execOne(ctx, tx, `UPDATE documents SET status = ?, size = ?, content_type = ? WHERE id = ? AND status = ?`,
			DocumentStored, size, contentType, id, DocumentUploading)
	})
}

// Documents implements Store.
func (s *SQLStore) Documents(ctx context.Context, userID string) ([]DocumentRecord, error) {
	return s.documents(ctx, `SELECT `+documentColumns+` FROM documents WHERE user_id = ? AND status = ?
		ORDER BY created_at DESC, id`, userID, DocumentStored)
}

// AbandonedUploads implements Store.
func (s *SQLStore) AbandonedUploads(ctx context.Context, before time.Time) ([]DocumentRecord, error) {
	return s.documents(ctx, `SELECT `+documentColumns+` FROM documents WHERE status = ? AND created_at < ?
		ORDER BY created_at`, DocumentUploading, toMillis(before))
}

func (s *SQLStore) documents(ctx context.Context, query string, args ...any) ([]DocumentRecord, error) {
	rows, err := s.conn().QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DocumentRecord
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Document implements Store.
func (s *SQLStore) Document(ctx context.Context, userID, id string) (DocumentRecord, error) {
	return scanDocument(s.conn().QueryRowContext(ctx, `SELECT `+documentColumns+` FROM documents
		WHERE id = ? AND user_id = ? AND status = ?`, id, userID, DocumentStored))
}

// CountDocuments implements Store.
func (s *SQLStore) CountDocuments(ctx context.Context, userID string) (int, error) {
	var n int
	err := s.conn().QueryRowContext(ctx, `SELECT count(*) FROM documents WHERE user_id = ? AND status = ?`, userID, DocumentStored).Scan(&n)
	return n, err
}

// DeleteDocument implements Store. The chunks go with it (ON DELETE
// CASCADE), in the same statement.
func (s *SQLStore) DeleteDocument(ctx context.Context, userID, id string) error {
	return execOne(ctx, s.conn(), `DELETE FROM documents WHERE id = ? AND user_id = ?`, id, userID)
}

// PutDocumentChunk implements Store. Each chunk is its own statement, not
// one transaction for the whole file: the upload may take minutes, and
// other writers must not wait for it.
func (s *SQLStore) PutDocumentChunk(ctx context.Context, id string, seq int, data []byte) error {
	_, err := s.conn().ExecContext(ctx, `INSERT INTO document_chunks (document_id, seq, data) VALUES (?, ?, ?)`, id, seq, data)
	return err
}

// DocumentChunk implements Store. It reads the chunk as the driver holds
// it (sql.RawBytes) and copies it into buf, which saves a copy of each.
func (s *SQLStore) DocumentChunk(ctx context.Context, id string, seq int, buf []byte) ([]byte, error) {
	rows, err := s.conn().QueryContext(ctx, `SELECT data FROM document_chunks WHERE document_id = ? AND seq = ?`, id, seq)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, ErrNotFound
	}
	var raw sql.RawBytes
	if err := rows.Scan(&raw); err != nil {
		return nil, err
	}
	return append(buf[:0], raw...), rows.Close()
}
