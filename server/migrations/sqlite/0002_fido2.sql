-- FIDO2 security keys (WebAuthn): a token type, its templates, the
-- registered credentials, the users' WebAuthn user handles and the open
-- challenges.
--
-- SQLite cannot change a CHECK constraint in place, so token_templates
-- and tokens are rebuilt: copied aside, dropped (children first, so that
-- no foreign key is ever left dangling), created anew and filled again.

CREATE TABLE old_token_templates AS SELECT * FROM token_templates;
CREATE TABLE old_tokens AS SELECT * FROM tokens;
DROP TABLE tokens;
DROP TABLE token_templates;

CREATE TABLE token_templates (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    type              TEXT NOT NULL CHECK (type IN ('totp', 'hotp', 'fido2')),
    description       TEXT NOT NULL,
    max_per_user      INTEGER NOT NULL CHECK (max_per_user >= 0),
    user_can_delete   INTEGER NOT NULL CHECK (user_can_delete IN (0, 1)),
    sort_order        INTEGER NOT NULL,
    -- OTP templates only; empty or 0 for FIDO2.
    algorithm         TEXT NOT NULL,
    digits            INTEGER NOT NULL,
    period            INTEGER NOT NULL,
    -- FIDO2 templates only; empty or 0 for OTP.
    user_verification TEXT NOT NULL DEFAULT '',
    resident_key      TEXT NOT NULL DEFAULT '',
    passwordless      INTEGER NOT NULL DEFAULT 0 CHECK (passwordless IN (0, 1)),
    CHECK (
        (type IN ('totp', 'hotp') AND algorithm IN ('SHA1', 'SHA256', 'SHA512') AND digits IN (6, 8)
            AND user_verification = '' AND resident_key = '' AND passwordless = 0)
        OR
        (type = 'fido2' AND algorithm = '' AND digits = 0 AND period = 0
            AND user_verification IN ('discouraged', 'preferred', 'required')
            AND resident_key IN ('discouraged', 'preferred', 'required')
            AND (passwordless = 0 OR (resident_key = 'required' AND user_verification = 'required')))
    )
);

INSERT INTO token_templates
    (id, name, type, description, max_per_user, user_can_delete, sort_order, algorithm, digits, period)
SELECT id, name, type, description, max_per_user, user_can_delete, sort_order, algorithm, digits, period
FROM old_token_templates;

INSERT INTO token_templates
    (id, name, type, description, max_per_user, user_can_delete, sort_order, algorithm, digits, period,
     user_verification, resident_key, passwordless)
VALUES
    ('fido2-key', 'Security key (FIDO2)', 'fido2',
     'A USB or NFC security key, such as a YubiKey, that you touch to sign in. If the key has a PIN or a fingerprint, it is checked too.',
     5, 1, 30, '', 0, 0, 'preferred', 'discouraged', 0),
    ('fido2-passkey', 'Passkey on a security key', 'fido2',
     'A passkey stored on your security key, protected by its PIN or fingerprint. It can sign you in without your username and password.',
     5, 1, 40, '', 0, 0, 'required', 'required', 1);

CREATE TABLE tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    template_id  TEXT NOT NULL REFERENCES token_templates (id),
    type         TEXT NOT NULL CHECK (type IN ('totp', 'hotp', 'fido2')),
    label        TEXT NOT NULL,
    description  TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('PENDING', 'ACTIVE', 'DISABLED', 'OBSOLETE')),
    secret       BLOB NOT NULL, -- empty for FIDO2: the key keeps its private key
    algorithm    TEXT NOT NULL,
    digits       INTEGER NOT NULL,
    period       INTEGER NOT NULL,
    counter      INTEGER NOT NULL DEFAULT 0,
    last_step    INTEGER NOT NULL DEFAULT 0,
    drift        INTEGER NOT NULL DEFAULT 0,
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL DEFAULT 0
);

INSERT INTO tokens SELECT * FROM old_tokens;
CREATE INDEX tokens_by_user ON tokens (user_id, created_at);

DROP TABLE old_tokens;
DROP TABLE old_token_templates;

-- The WebAuthn user handle of each user who registered a key: random, so
-- that a key never learns the username from it.
CREATE TABLE webauthn_users (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    handle  BLOB NOT NULL UNIQUE
);

-- The credential of each activated FIDO2 token.
CREATE TABLE webauthn_credentials (
    token_id           TEXT PRIMARY KEY REFERENCES tokens (id) ON DELETE CASCADE,
    credential_id      BLOB NOT NULL UNIQUE,
    public_key         BLOB NOT NULL, -- COSE key
    sign_count         INTEGER NOT NULL,
    aaguid             BLOB NOT NULL,
    attestation_format TEXT NOT NULL,
    transports         TEXT NOT NULL, -- comma-separated
    user_present       INTEGER NOT NULL CHECK (user_present IN (0, 1)),
    user_verified      INTEGER NOT NULL CHECK (user_verified IN (0, 1)),
    backup_eligible    INTEGER NOT NULL CHECK (backup_eligible IN (0, 1)),
    backup_state       INTEGER NOT NULL CHECK (backup_state IN (0, 1))
);

-- Open WebAuthn challenges, each bound to its purpose and to the token,
-- login or passwordless sign-in it was made for (the key says which).
-- A challenge is deleted when it is first answered, right or wrong.
CREATE TABLE webauthn_challenges (
    key        TEXT PRIMARY KEY,
    user_id    TEXT REFERENCES users (id) ON DELETE CASCADE, -- NULL for passwordless sign-in
    token_id   TEXT REFERENCES tokens (id) ON DELETE CASCADE, -- NULL for passwordless sign-in
    session    TEXT NOT NULL, -- the relying party's ceremony state, JSON
    expires_at INTEGER NOT NULL
);

CREATE INDEX webauthn_challenges_by_expiry ON webauthn_challenges (expires_at);
