-- Hardware OTP tokens: the inventory of devices whose seeds the admin
-- imported, and the template their tokens belong to. A user claims a
-- device by its serial number and a code; the claim creates an ordinary
-- HOTP or TOTP token with the device's secret, linked here by token_id
-- (NULL while the device is unassigned; deleting the token frees it).

ALTER TABLE token_templates ADD COLUMN hardware INTEGER NOT NULL DEFAULT 0 CHECK (hardware IN (0, 1));

INSERT INTO token_templates
    (id, name, type, description, max_per_user, user_can_delete, sort_order, algorithm, digits, period, hardware)
VALUES
    ('hardware-token', 'Hardware token', 'hotp',
     'A small device from the helpdesk that shows a code at the press of a button. You add it with the serial number printed on it and the code it shows.',
     2, 0, 25, 'SHA1', 6, 0, 1);

CREATE TABLE hardware_tokens (
    serial       TEXT PRIMARY KEY,
    type         TEXT NOT NULL CHECK (type IN ('totp', 'hotp')),
    secret       BLOB NOT NULL,
    algorithm    TEXT NOT NULL CHECK (algorithm IN ('SHA1', 'SHA256', 'SHA512')),
    digits       INTEGER NOT NULL CHECK (digits IN (6, 8)),
    period       INTEGER NOT NULL, -- seconds, TOTP only; 0 for HOTP
    counter      INTEGER NOT NULL DEFAULT 0, -- HOTP: the next counter value a claim accepts
    token_id     TEXT UNIQUE REFERENCES tokens (id) ON DELETE SET NULL,
    failures     INTEGER NOT NULL DEFAULT 0, -- wrong codes of claims
    locked_until INTEGER NOT NULL DEFAULT 0,
    imported_at  INTEGER NOT NULL
);
