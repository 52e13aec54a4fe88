-- The push authenticator app (seed 004): one-time provisioning codes,
-- the registered phones, and the push requests that wait on them.

-- The open provisioning code of a PENDING push token: only the SHA-256
-- of the code is kept. One per token: a new code replaces the old one,
-- and registering the phone deletes it.
CREATE TABLE push_provisioning (
    token_id   TEXT PRIMARY KEY REFERENCES tokens (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL UNIQUE,
    expires_at INTEGER NOT NULL
);

-- The phone of an activated push token: its P-256 public key (PKIX DER),
-- which verifies what the phone signs. The device id the phone uses is
-- the token id.
CREATE TABLE push_devices (
    token_id    TEXT PRIMARY KEY REFERENCES tokens (id) ON DELETE CASCADE,
    public_key  BLOB NOT NULL,
    device_name TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

-- Questions to a phone. A request is bound to its scope ("login:" and the
-- login id's hash, "approval:" and the approval id's hash, "test:" and the
-- token id, "qr-login:" and the QR sign-in's login id hash), so that an
-- answer finishes only what it was asked for. A qr-login request has no
-- token or user until a phone answers it.
CREATE TABLE push_requests (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('sign-in', 'approval', 'test', 'qr-login')),
    scope       TEXT NOT NULL,
    token_id    TEXT REFERENCES tokens (id) ON DELETE CASCADE,
    user_id     TEXT REFERENCES users (id) ON DELETE CASCADE,
    summary     TEXT NOT NULL,
    challenge   TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'DENIED', 'USED')),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    answered_at INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX push_requests_by_token ON push_requests (token_id, status, expires_at);
CREATE INDEX push_requests_by_scope ON push_requests (scope);
