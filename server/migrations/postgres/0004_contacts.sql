-- Contact details: each user's value of the fields the organisation
-- configures (Tenant.ContactFields, by id). verified_at is when a code
-- sent to the value confirmed it (0: never). At most one value of a user
-- is preferred: the channel the user is told things on.
CREATE TABLE contact_values (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    field_id    TEXT NOT NULL,
    value       TEXT NOT NULL,
    verified_at BIGINT NOT NULL DEFAULT 0,
    preferred   INTEGER NOT NULL DEFAULT 0,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (user_id, field_id)
);

CREATE UNIQUE INDEX contact_values_preferred ON contact_values (user_id) WHERE preferred = 1;

-- A change waiting for the code sent to confirm it: a new value (the code
-- went to it) or, with remove = 1, the removal of a locked value (the code
-- went to the value). Only an HMAC of the code is kept, bound to the user,
-- the field and the value.
CREATE TABLE contact_changes (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    field_id   TEXT NOT NULL,
    value      TEXT NOT NULL,
    remove     INTEGER NOT NULL DEFAULT 0,
    code_hash  TEXT NOT NULL,
    sent_to    TEXT NOT NULL, -- the address the code went to
    sent_at    BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    failures   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, field_id)
);

CREATE INDEX contact_changes_expiry ON contact_changes (expires_at);
