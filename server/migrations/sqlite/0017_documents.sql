-- Documents: what users upload (metadata here; the content in
-- document_chunks, or in a directory, as documents.storage says). A
-- document is UPLOADING while its content arrives and is checked, and
-- only STORED ones are ever listed or served; an UPLOADING one left
-- behind by a server that stopped is removed after a while.
CREATE TABLE documents (
    id           TEXT PRIMARY KEY, -- 32 hex digits, also the content file's name
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type_id      TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL DEFAULT '',
    size         BIGINT NOT NULL DEFAULT 0,
    storage      TEXT NOT NULL, -- 'database' or 'directory'
    status       TEXT NOT NULL, -- 'UPLOADING' or 'STORED'
    created_at   BIGINT NOT NULL
);
CREATE INDEX documents_by_user ON documents (user_id, status, created_at);
CREATE INDEX documents_by_status ON documents (status, created_at);

-- The content of documents kept in the database, in chunks of 256 KiB
-- (the last one shorter), so that neither writing nor reading a document
-- holds it whole in memory.
CREATE TABLE document_chunks (
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL, -- 0, 1, 2, …
    data        BLOB NOT NULL,
    PRIMARY KEY (document_id, seq)
);
