-- Times are Unix milliseconds (UTC); 0 or NULL means "none".

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

-- Failed password attempts, by username so that unknown names are
-- treated like known ones.
CREATE TABLE password_failures (
    username     TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    locked_until INTEGER NOT NULL
);

CREATE TABLE token_templates (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    type            TEXT NOT NULL CHECK (type IN ('totp', 'hotp')),
    description     TEXT NOT NULL,
    max_per_user    INTEGER NOT NULL CHECK (max_per_user >= 0),
    user_can_delete INTEGER NOT NULL CHECK (user_can_delete IN (0, 1)),
    sort_order      INTEGER NOT NULL,
    algorithm       TEXT NOT NULL CHECK (algorithm IN ('SHA1', 'SHA256', 'SHA512')),
    digits          INTEGER NOT NULL CHECK (digits IN (6, 8)),
    period          INTEGER NOT NULL
);

INSERT INTO token_templates
    (id, name, type, description, max_per_user, user_can_delete, sort_order, algorithm, digits, period)
VALUES
    ('totp-app', 'Authenticator app (TOTP)', 'totp',
     'An app on your phone, such as Google Authenticator, Microsoft Authenticator or Aegis, that shows a new 6-digit code every 30 seconds.',
     3, 1, 10, 'SHA1', 6, 30),
    ('hotp-app', 'Authenticator app (HOTP)', 'hotp',
     'An app or a hardware token that shows a new 6-digit code each time you ask for one.',
     2, 0, 20, 'SHA1', 6, 0);

CREATE TABLE tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    template_id  TEXT NOT NULL REFERENCES token_templates (id),
    type         TEXT NOT NULL CHECK (type IN ('totp', 'hotp')),
    label        TEXT NOT NULL,
    description  TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('PENDING', 'ACTIVE', 'DISABLED', 'OBSOLETE')),
    secret       BLOB NOT NULL,
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

CREATE INDEX tokens_by_user ON tokens (user_id, created_at);

-- First sign-in steps; only the SHA-256 of the login id is stored.
CREATE TABLE logins (
    id_hash    TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL,
    failures   INTEGER NOT NULL DEFAULT 0
);

-- Sessions; only the SHA-256 of the session token is stored.
CREATE TABLE sessions (
    token_hash          TEXT PRIMARY KEY,
    id                  TEXT NOT NULL UNIQUE,
    user_id             TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at          INTEGER NOT NULL,
    last_seen_at        INTEGER NOT NULL,
    idle_expires_at     INTEGER NOT NULL,
    absolute_expires_at INTEGER NOT NULL
);

CREATE INDEX sessions_by_user ON sessions (user_id);
