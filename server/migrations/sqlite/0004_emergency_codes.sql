-- Emergency access codes: only the SHA-256 of a code is stored. A user
-- has at most one active code (deactivated_at = 0); issuing a new one,
-- enrolling or activating a token deactivates it, with the reason.
CREATE TABLE emergency_codes (
    id                TEXT PRIMARY KEY,
    user_id           TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash         TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    expires_at        INTEGER NOT NULL,
    uses_left         INTEGER NOT NULL CHECK (uses_left >= 0),
    issued_by         TEXT NOT NULL, -- a username, or "admin" for the command line
    failures          INTEGER NOT NULL DEFAULT 0,
    locked_until      INTEGER NOT NULL DEFAULT 0,
    deactivated_at    INTEGER NOT NULL DEFAULT 0,
    deactivate_reason TEXT NOT NULL DEFAULT ''
);

CREATE UNIQUE INDEX emergency_codes_one_active ON emergency_codes (user_id) WHERE deactivated_at = 0;
