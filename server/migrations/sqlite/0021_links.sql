-- One-time links sent by email (a password reset): only the SHA-256 of
-- the token is kept. used_at is when the link was used (0: not yet).
CREATE TABLE links (
    token_hash TEXT PRIMARY KEY,
    purpose    TEXT NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX links_by_user ON links (user_id, purpose, created_at);
CREATE INDEX links_expiry ON links (expires_at);

-- The users of a confirmed email address (recovery by email).
CREATE INDEX contact_values_by_value ON contact_values (lower(value));
