-- SMS, email and push tokens, and the outbox the server sends messages
-- from.
--
-- token_templates and tokens are rebuilt to widen their type CHECKs
-- (SQLite cannot change a CHECK in place): a new table is filled from the
-- old one, which is dropped, and the new one takes its name. Migrations
-- run with foreign keys off and are checked with foreign_key_check before
-- they commit, so the rows that refer to tokens stay as they are.

CREATE TABLE new_token_templates (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    type              TEXT NOT NULL CHECK (type IN ('totp', 'hotp', 'fido2', 'sms', 'email', 'push')),
    description       TEXT NOT NULL,
    max_per_user      INTEGER NOT NULL CHECK (max_per_user >= 0),
    user_can_delete   INTEGER NOT NULL CHECK (user_can_delete IN (0, 1)),
    sort_order        INTEGER NOT NULL,
    -- OTP templates: the HMAC algorithm, code length and TOTP period.
    -- SMS and email templates: the code length only. Empty or 0 otherwise.
    algorithm         TEXT NOT NULL,
    digits            INTEGER NOT NULL,
    period            INTEGER NOT NULL,
    -- FIDO2 templates only; empty or 0 for the others.
    user_verification TEXT NOT NULL DEFAULT '',
    resident_key      TEXT NOT NULL DEFAULT '',
    passwordless      INTEGER NOT NULL DEFAULT 0 CHECK (passwordless IN (0, 1)),
    hardware          INTEGER NOT NULL DEFAULT 0 CHECK (hardware IN (0, 1)),
    CHECK (
        (type IN ('totp', 'hotp') AND algorithm IN ('SHA1', 'SHA256', 'SHA512') AND digits IN (6, 8)
            AND user_verification = '' AND resident_key = '' AND passwordless = 0)
        OR
        (type = 'fido2' AND algorithm = '' AND digits = 0 AND period = 0 AND hardware = 0
            AND user_verification IN ('discouraged', 'preferred', 'required')
            AND resident_key IN ('discouraged', 'preferred', 'required')
            AND (passwordless = 0 OR (resident_key = 'required' AND user_verification = 'required')))
        OR
        (type IN ('sms', 'email') AND algorithm = '' AND digits IN (6, 8) AND period = 0 AND hardware = 0
            AND user_verification = '' AND resident_key = '' AND passwordless = 0)
        OR
        (type = 'push' AND algorithm = '' AND digits = 0 AND period = 0 AND hardware = 0
            AND user_verification = '' AND resident_key = '' AND passwordless = 0)
    )
);

INSERT INTO new_token_templates
    (id, name, type, description, max_per_user, user_can_delete, sort_order, algorithm, digits, period,
     user_verification, resident_key, passwordless, hardware)
SELECT id, name, type, description, max_per_user, user_can_delete, sort_order, algorithm, digits, period,
     user_verification, resident_key, passwordless, hardware
FROM token_templates;

DROP TABLE token_templates;
ALTER TABLE new_token_templates RENAME TO token_templates;

INSERT INTO token_templates
    (id, name, type, description, max_per_user, user_can_delete, sort_order, algorithm, digits, period)
VALUES
    ('push-app', 'Authenticator app with push', 'push',
     'The Selfservice Authenticator app on your phone. You confirm each sign-in with a tap, or sign in by scanning a QR code on this screen.',
     1, 1, 15, '', 0, 0),
    ('sms-otp', 'Text message (SMS)', 'sms',
     'A 6-digit code sent by text message to your mobile phone each time you sign in.',
     2, 1, 50, '', 6, 0),
    ('email-otp', 'Email code', 'email',
     'A 6-digit code sent to your email address each time you sign in.',
     2, 1, 60, '', 6, 0);

CREATE TABLE new_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    template_id  TEXT NOT NULL REFERENCES token_templates (id),
    type         TEXT NOT NULL CHECK (type IN ('totp', 'hotp', 'fido2', 'sms', 'email', 'push')),
    label        TEXT NOT NULL,
    description  TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('PENDING', 'ACTIVE', 'DISABLED', 'OBSOLETE')),
    secret       BLOB NOT NULL, -- empty for FIDO2, SMS, email and push tokens
    algorithm    TEXT NOT NULL,
    digits       INTEGER NOT NULL,
    period       INTEGER NOT NULL,
    counter      INTEGER NOT NULL DEFAULT 0,
    last_step    INTEGER NOT NULL DEFAULT 0,
    drift        INTEGER NOT NULL DEFAULT 0,
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL DEFAULT 0,
    address      TEXT NOT NULL DEFAULT '' -- SMS and email tokens: where the codes go
);

INSERT INTO new_tokens
    (id, user_id, template_id, type, label, description, status, secret, algorithm, digits, period,
     counter, last_step, drift, failures, locked_until, created_at, last_used_at)
SELECT id, user_id, template_id, type, label, description, status, secret, algorithm, digits, period,
     counter, last_step, drift, failures, locked_until, created_at, last_used_at
FROM tokens;

DROP TABLE tokens;
ALTER TABLE new_tokens RENAME TO tokens;
CREATE INDEX tokens_by_user ON tokens (user_id, created_at);

-- Messages to send (emails, SMS), written in the same transaction as the
-- action that sends them and delivered by a worker with retries: a crash
-- or a gateway that is down loses none. The body and attachment may hold
-- a code or a provisioning payload: they are emptied once the message is
-- sent or given up.
CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    channel         TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL, -- email only; '' for SMS
    body            TEXT NOT NULL,
    attachment_name TEXT NOT NULL DEFAULT '',
    attachment_type TEXT NOT NULL DEFAULT '',
    attachment      BLOB,          -- NULL when there is none
    status          TEXT NOT NULL CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,            -- PENDING: when to try (again); also a claim's lease
    last_error      TEXT NOT NULL DEFAULT '',    -- the last failure, never the body
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER NOT NULL DEFAULT 0,
    expires_at      INTEGER NOT NULL DEFAULT 0   -- not sent by then: given up (a code that no longer works); 0 never
);

CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
