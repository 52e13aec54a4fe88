-- Consents: each user's answer to the consents the organisation asks for
-- (Tenant.Consents, by id), for the version they answered, and the
-- history of every answer they gave, which the copy of their data
-- includes. Both go with the user.
CREATE TABLE consents (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    consent_id TEXT NOT NULL,
    version    BIGINT NOT NULL,
    granted    BIGINT NOT NULL, -- 1 granted, 0 declined
    changed_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, consent_id)
);

CREATE TABLE consent_history (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    seq        BIGINT NOT NULL, -- 1, 2, 3, … per user
    consent_id TEXT NOT NULL,
    version    BIGINT NOT NULL,
    granted    BIGINT NOT NULL, -- 1 granted, 0 declined
    at         BIGINT NOT NULL,
    PRIMARY KEY (user_id, seq)
);
