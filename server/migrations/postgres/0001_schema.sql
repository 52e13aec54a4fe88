-- The PostgreSQL schema of the Selfservice server: the schema the SQLite
-- migrations up to 0012 make (see migrations/sqlite), written for
-- PostgreSQL. Times are Unix milliseconds in BIGINT and flags BOOLEAN;
-- the tables whose rows are listed in the order they were made (tokens,
-- approval requests, push requests, outbox) have a rowid, as every SQLite table
-- has. A PostgreSQL database never held seeds in the clear, so it has no
-- unsealed_secrets.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);

CREATE TABLE token_templates (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    type              TEXT NOT NULL CHECK (type IN ('totp', 'hotp', 'fido2', 'sms', 'email', 'push')),
    description       TEXT NOT NULL,
    max_per_user      BIGINT NOT NULL CHECK (max_per_user >= 0),
    user_can_delete   BOOLEAN NOT NULL,
    sort_order        BIGINT NOT NULL,
    -- OTP templates: the HMAC algorithm, code length and TOTP period.
    -- SMS and email templates: the code length only. Empty or 0 otherwise.
    algorithm         TEXT NOT NULL,
    digits            BIGINT NOT NULL,
    period            BIGINT NOT NULL,
    -- FIDO2 templates only; empty or 0 for the others.
    user_verification TEXT NOT NULL DEFAULT '',
    resident_key      TEXT NOT NULL DEFAULT '',
    passwordless      BOOLEAN NOT NULL DEFAULT FALSE,
    hardware          BOOLEAN NOT NULL DEFAULT FALSE,
    CHECK (
        (type IN ('totp', 'hotp') AND algorithm IN ('SHA1', 'SHA256', 'SHA512') AND digits IN (6, 8)
            AND user_verification = '' AND resident_key = '' AND NOT passwordless)
        OR
        (type = 'fido2' AND algorithm = '' AND digits = 0 AND period = 0 AND NOT hardware
            AND user_verification IN ('discouraged', 'preferred', 'required')
            AND resident_key IN ('discouraged', 'preferred', 'required')
            AND (NOT passwordless OR (resident_key = 'required' AND user_verification = 'required')))
        OR
        (type IN ('sms', 'email') AND algorithm = '' AND digits IN (6, 8) AND period = 0 AND NOT hardware
            AND user_verification = '' AND resident_key = '' AND NOT passwordless)
        OR
        (type = 'push' AND algorithm = '' AND digits = 0 AND period = 0 AND NOT hardware
            AND user_verification = '' AND resident_key = '' AND NOT passwordless)
    )
);

CREATE TABLE tokens (
    -- the order rows were made in, as SQLite's rowid (ORDER BY ..., rowid)
    rowid        BIGINT GENERATED ALWAYS AS IDENTITY,
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    template_id  TEXT NOT NULL REFERENCES token_templates (id),
    type         TEXT NOT NULL CHECK (type IN ('totp', 'hotp', 'fido2', 'sms', 'email', 'push')),
    label        TEXT NOT NULL,
    description  TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('PENDING', 'ACTIVE', 'DISABLED', 'OBSOLETE')),
    secret       BYTEA NOT NULL, -- empty for FIDO2, SMS, email and push tokens
    algorithm    TEXT NOT NULL,
    digits       BIGINT NOT NULL,
    period       BIGINT NOT NULL,
    counter      BIGINT NOT NULL DEFAULT 0,
    last_step    BIGINT NOT NULL DEFAULT 0,
    drift        BIGINT NOT NULL DEFAULT 0,
    failures     BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL DEFAULT 0,
    address      TEXT NOT NULL DEFAULT '' -- SMS and email tokens: where the codes go
);

CREATE INDEX tokens_by_user ON tokens (user_id, created_at);

CREATE TABLE logins (
    id_hash    TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL,
    failures   BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
    token_hash          TEXT PRIMARY KEY,
    id                  TEXT NOT NULL UNIQUE,
    user_id             TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at          BIGINT NOT NULL,
    last_seen_at        BIGINT NOT NULL,
    idle_expires_at     BIGINT NOT NULL,
    absolute_expires_at BIGINT NOT NULL
);

CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE webauthn_users (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    handle  BYTEA NOT NULL UNIQUE
);

CREATE TABLE webauthn_credentials (
    token_id           TEXT PRIMARY KEY REFERENCES tokens (id) ON DELETE CASCADE,
    credential_id      BYTEA NOT NULL UNIQUE,
    public_key         BYTEA NOT NULL, -- COSE key
    sign_count         BIGINT NOT NULL,
    aaguid             BYTEA NOT NULL,
    attestation_format TEXT NOT NULL,
    transports         TEXT NOT NULL, -- comma-separated
    user_present       BOOLEAN NOT NULL,
    user_verified      BOOLEAN NOT NULL,
    backup_eligible    BOOLEAN NOT NULL,
    backup_state       BOOLEAN NOT NULL
);

CREATE TABLE webauthn_challenges (
    key        TEXT PRIMARY KEY,
    user_id    TEXT REFERENCES users (id) ON DELETE CASCADE, -- NULL for passwordless sign-in
    token_id   TEXT REFERENCES tokens (id) ON DELETE CASCADE, -- NULL for passwordless sign-in
    session    TEXT NOT NULL, -- the relying party's ceremony state, JSON
    expires_at BIGINT NOT NULL
);

CREATE INDEX webauthn_challenges_by_expiry ON webauthn_challenges (expires_at);

CREATE TABLE approval_policies (
    operation      TEXT NOT NULL,
    template_id    TEXT NOT NULL DEFAULT '',
    mode           TEXT NOT NULL CHECK (mode IN ('none', 'self', 'approvers')),
    -- Mode 'approvers' only: a role whose users approve (the role doubles
    -- as the approver group), or the users in approval_policy_approvers.
    approver_group TEXT NOT NULL DEFAULT '',
    required       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (operation, template_id),
    CHECK ((mode = 'approvers' AND required >= 1) OR (mode <> 'approvers' AND required = 0 AND approver_group = ''))
);

CREATE TABLE approval_policy_approvers (
    operation   TEXT NOT NULL,
    template_id TEXT NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (operation, template_id, user_id),
    FOREIGN KEY (operation, template_id) REFERENCES approval_policies (operation, template_id) ON DELETE CASCADE
);

CREATE TABLE approvals (
    id_hash     TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    operation   TEXT NOT NULL,
    target      TEXT NOT NULL,
    params_hash TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('OPEN', 'VERIFIED', 'USED')),
    token_id    TEXT NOT NULL DEFAULT '', -- the token that confirmed it
    failures    BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);

CREATE INDEX approvals_by_expiry ON approvals (expires_at);

CREATE TABLE approval_requests (
    -- the order rows were made in, as SQLite's rowid (ORDER BY ..., rowid)
    rowid        BIGINT GENERATED ALWAYS AS IDENTITY,
    id           TEXT PRIMARY KEY,
    requester_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    operation    TEXT NOT NULL,
    target       TEXT NOT NULL,
    target_label TEXT NOT NULL,
    parameters   TEXT NOT NULL, -- JSON object of strings, never secrets
    params_hash  TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('IN_APPROVAL', 'APPROVED', 'REJECTED', 'REVOKED')),
    required     BIGINT NOT NULL CHECK (required >= 1),
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    executed_at  BIGINT NOT NULL DEFAULT 0 -- when the action ran; 0 until then
);

CREATE INDEX approval_requests_by_requester ON approval_requests (requester_id, created_at);

CREATE TABLE approval_request_approvers (
    request_id TEXT NOT NULL REFERENCES approval_requests (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (request_id, user_id)
);

CREATE INDEX approval_request_approvers_by_user ON approval_request_approvers (user_id);

CREATE TABLE approval_history (
    request_id TEXT NOT NULL REFERENCES approval_requests (id) ON DELETE CASCADE,
    seq        BIGINT NOT NULL,
    at         BIGINT NOT NULL,
    event      TEXT NOT NULL CHECK (event IN ('created', 'approved', 'declined', 'revoked', 'executed')),
    actor_id   TEXT REFERENCES users (id) ON DELETE SET NULL, -- NULL for the server's own events
    comment    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (request_id, seq)
);

CREATE TABLE emergency_codes (
    id                TEXT PRIMARY KEY,
    user_id           TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash         TEXT NOT NULL,
    created_at        BIGINT NOT NULL,
    expires_at        BIGINT NOT NULL,
    uses_left         BIGINT NOT NULL CHECK (uses_left >= 0),
    issued_by         TEXT NOT NULL, -- a username, or "admin" for the command line
    failures          BIGINT NOT NULL DEFAULT 0,
    locked_until      BIGINT NOT NULL DEFAULT 0,
    deactivated_at    BIGINT NOT NULL DEFAULT 0,
    deactivate_reason TEXT NOT NULL DEFAULT ''
);

CREATE UNIQUE INDEX emergency_codes_one_active ON emergency_codes (user_id) WHERE deactivated_at = 0;

CREATE TABLE hardware_tokens (
    serial       TEXT PRIMARY KEY,
    type         TEXT NOT NULL CHECK (type IN ('totp', 'hotp')),
    secret       BYTEA NOT NULL,
    algorithm    TEXT NOT NULL CHECK (algorithm IN ('SHA1', 'SHA256', 'SHA512')),
    digits       BIGINT NOT NULL CHECK (digits IN (6, 8)),
    period       BIGINT NOT NULL, -- seconds, TOTP only; 0 for HOTP
    counter      BIGINT NOT NULL DEFAULT 0, -- HOTP: the next counter value a claim accepts
    token_id     TEXT UNIQUE REFERENCES tokens (id) ON DELETE SET NULL,
    failures     BIGINT NOT NULL DEFAULT 0, -- wrong codes of claims
    locked_until BIGINT NOT NULL DEFAULT 0,
    imported_at  BIGINT NOT NULL
);


CREATE TABLE outbox (
    -- the order rows were made in, as SQLite's rowid (ORDER BY ..., rowid)
    rowid           BIGINT GENERATED ALWAYS AS IDENTITY,
    id              TEXT PRIMARY KEY,
    channel         TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL, -- email only; '' for SMS
    body            TEXT NOT NULL,
    attachment_name TEXT NOT NULL DEFAULT '',
    attachment_type TEXT NOT NULL DEFAULT '',
    attachment      BYTEA,          -- NULL when there is none
    status          TEXT NOT NULL CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,            -- PENDING: when to try (again); also a claim's lease
    last_error      TEXT NOT NULL DEFAULT '',    -- the last failure, never the body
    created_at      BIGINT NOT NULL,
    sent_at         BIGINT NOT NULL DEFAULT 0,
    expires_at      BIGINT NOT NULL DEFAULT 0   -- not sent by then: given up (a code that no longer works); 0 never
);

CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

CREATE TABLE sent_codes (
    token_id   TEXT NOT NULL REFERENCES tokens (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL,
    scope_key  TEXT NOT NULL,
    code_hash  TEXT NOT NULL,
    -- purpose 'address': the new address the code went to, which the
    -- token takes once the code is confirmed; '' otherwise.
    address    TEXT NOT NULL DEFAULT '',
    sent_at    BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    failures   BIGINT NOT NULL DEFAULT 0,
    used_at    BIGINT NOT NULL DEFAULT 0, -- 0 until the code was accepted
    PRIMARY KEY (token_id, purpose, scope_key)
);

CREATE INDEX sent_codes_expiry ON sent_codes (expires_at);

CREATE TABLE push_provisioning (
    token_id   TEXT PRIMARY KEY REFERENCES tokens (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL UNIQUE,
    expires_at BIGINT NOT NULL
);

CREATE TABLE push_devices (
    token_id    TEXT PRIMARY KEY REFERENCES tokens (id) ON DELETE CASCADE,
    public_key  BYTEA NOT NULL,
    device_name TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE push_requests (
    -- the order rows were made in, as SQLite's rowid (ORDER BY ..., rowid)
    rowid        BIGINT GENERATED ALWAYS AS IDENTITY,
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('sign-in', 'approval', 'test', 'qr-login')),
    scope       TEXT NOT NULL,
    token_id    TEXT REFERENCES tokens (id) ON DELETE CASCADE,
    user_id     TEXT REFERENCES users (id) ON DELETE CASCADE,
    summary     TEXT NOT NULL,
    challenge   TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'DENIED', 'USED')),
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    answered_at BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX push_requests_by_token ON push_requests (token_id, status, expires_at);

CREATE INDEX push_requests_by_scope ON push_requests (scope);

CREATE INDEX outbox_by_recipient ON outbox (recipient, channel, created_at);

CREATE INDEX logins_by_expiry ON logins (expires_at);

CREATE INDEX sessions_by_idle_expiry ON sessions (idle_expires_at);

CREATE INDEX sessions_by_absolute_expiry ON sessions (absolute_expires_at);

CREATE INDEX push_requests_by_expiry ON push_requests (expires_at);

CREATE INDEX push_provisioning_by_expiry ON push_provisioning (expires_at);

CREATE INDEX outbox_by_age ON outbox (created_at);

CREATE TABLE password_failures (
    username        TEXT NOT NULL,
    source          TEXT NOT NULL,
    failures        BIGINT NOT NULL,
    locked_until    BIGINT NOT NULL,
    last_failure_at BIGINT NOT NULL,
    PRIMARY KEY (username, source)
);

CREATE INDEX password_failures_by_age ON password_failures (last_failure_at);

INSERT INTO token_templates (id, name, type, description, max_per_user, user_can_delete, sort_order, algorithm, digits, period,
    user_verification, resident_key, passwordless, hardware) VALUES
    ('totp-app', 'Authenticator app (TOTP)', 'totp', 'An app on your phone, such as Google Authenticator, Microsoft Authenticator or Aegis, that shows a new 6-digit code every 30 seconds.', 3, TRUE, 10, 'SHA1', 6, 30, '', '', FALSE, FALSE),
    ('push-app', 'Authenticator app with push', 'push', 'The Selfservice Authenticator app on your phone. You confirm each sign-in with a tap, or sign in by scanning a QR code on this screen.', 1, TRUE, 15, '', 0, 0, '', '', FALSE, FALSE),
    ('hotp-app', 'Authenticator app (HOTP)', 'hotp', 'An app or a hardware token that shows a new 6-digit code each time you ask for one.', 2, FALSE, 20, 'SHA1', 6, 0, '', '', FALSE, FALSE),
    ('hardware-token', 'Hardware token', 'hotp', 'A small device from the helpdesk that shows a code at the press of a button. You add it with the serial number printed on it and the code it shows.', 2, FALSE, 25, 'SHA1', 6, 0, '', '', FALSE, TRUE),
    ('fido2-key', 'Security key (FIDO2)', 'fido2', 'A USB or NFC security key, such as a YubiKey, that you touch to sign in. If the key has a PIN or a fingerprint, it is checked too.', 5, TRUE, 30, '', 0, 0, 'preferred', 'discouraged', FALSE, FALSE),
    ('fido2-passkey', 'Passkey on a security key', 'fido2', 'A passkey stored on your security key, protected by its PIN or fingerprint. It can sign you in without your username and password.', 5, TRUE, 40, '', 0, 0, 'required', 'required', TRUE, FALSE),
    ('sms-otp', 'Text message (SMS)', 'sms', 'A 6-digit code sent by text message to your mobile phone each time you sign in.', 2, TRUE, 50, '', 6, 0, '', '', FALSE, FALSE),
    ('email-otp', 'Email code', 'email', 'A 6-digit code sent to your email address each time you sign in.', 2, TRUE, 60, '', 6, 0, '', '', FALSE, FALSE);
