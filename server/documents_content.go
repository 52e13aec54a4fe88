package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// documentChunkSize is the size of the chunks a document's content is
// kept in by the database, and of the buffer every copy of content uses:
// no upload or download holds more of a file in memory.
const documentChunkSize = 256 << 10

// contentStore keeps the content of documents, by document id.
type contentStore interface {
	// write stores all of r as the content of document id and returns its
	// size. A failed write may leave part of it: remove it.
	write(ctx context.Context, id string, r io.Reader) (int64, error)
	// open reads the content of document id, of size bytes.
	open(ctx context.Context, id string, size int64) (content, error)
	// remove deletes the content of document id, if there is any.
	remove(ctx context.Context, id string) error
}

// content is a document's content, read in order or at any offset.
type content interface {
	io.Reader
	io.ReaderAt
	io.Closer
}

// databaseContent keeps content in the document_chunks table.
type databaseContent struct{ store DocumentStore }

func (d databaseContent) write(ctx context.Context, id string, r io.Reader) (int64, error) {
	buf := make([]byte, documentChunkSize)
	var size int64
	for seq := 0; ; seq++ {
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			if err := d.store.PutDocumentChunk(ctx, id, seq, buf[:n]); err != nil {
				return size, fmt.Errorf("store chunk %d of document %s: %w", seq, id, err)
			}
			size += int64(n)
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return size, nil
		}
		if err != nil {
			return size, err
		}
	}
}

func (d databaseContent) open(ctx context.Context, id string, size int64) (content, error) {
	return &chunkReader{ctx: ctx, store: d.store, id: id, size: size, cached: -1}, nil
}

// remove has nothing to do: deleting the document deletes its chunks.
func (databaseContent) remove(context.Context, string) error { return nil }

// chunkReader reads a document's chunks, one query per chunk, keeping the
// last one read.
type chunkReader struct {
	ctx    context.Context
	store  DocumentStore
	id     string
	size   int64
	off    int64 // of Read
	cached int   // the chunk in data, -1 for none
	data   []byte
}

func (c *chunkReader) Read(p []byte) (int, error) {
	n, err := c.ReadAt(p, c.off)
	c.off += int64(n)
	if err == io.EOF && n > 0 {
		err = nil
	}
	return n, err
}

func (c *chunkReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	n := 0
	for n < len(p) {
		at := off + int64(n)
		if at >= c.size {
			return n, io.EOF
		}
		seq := int(at / documentChunkSize)
		if seq != c.cached {
			data, err := c.store.DocumentChunk(c.ctx, c.id, seq, c.data)
			if err != nil {
				return n, fmt.Errorf("read chunk %d of document %s: %w", seq, c.id, err)
			}
			c.cached, c.data = seq, data
		}
		start := int(at - int64(seq)*documentChunkSize)
		if start >= len(c.data) {
			return n, fmt.Errorf("chunk %d of document %s is shorter than its size says", seq, c.id)
		}
		n += copy(p[n:], c.data[start:])
	}
	return n, nil
}

func (c *chunkReader) Close() error { return nil }

// directoryContent keeps content in files of a directory: dir/ab/abcd…,
// the document's id in two levels so that no directory grows too long.
// The ids are hexadecimal, so they make the same names on file systems
// that ignore case.
type directoryContent struct{ dir string }

func (d directoryContent) path(id string) string {
	return filepath.Join(d.dir, id[:2], id)
}

func (d directoryContent) write(_ context.Context, id string, r io.Reader) (int64, error) {
	p := d.path(id)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return 0, err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return 0, err
	}
	// Only Write: os.File.ReadFrom could not use the buffer's bound anyway.
	size, err := io.CopyBuffer(struct{ io.Writer }{f}, r, make([]byte, documentChunkSize))
	if err == nil {
		err = f.Sync() // the document is STORED only once its content is on disk
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return size, err
}

func (d directoryContent) open(_ context.Context, id string, _ int64) (content, error) {
	return os.Open(d.path(id))
}

func (d directoryContent) remove(_ context.Context, id string) error {
	err := os.Remove(d.path(id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}
