-- Codes sent to SMS and email tokens. A code is bound to its token and to
-- what it was sent for (purpose and key: a sign-in, a step-up approval,
-- a test, the activation, an address change); asking again for the same
-- thing replaces it. Only a SHA-256 of the code, salted with the token id
-- and the scope, is kept: a sent code lives minutes and is tried a few
-- times at most.
CREATE TABLE sent_codes (
    token_id   TEXT NOT NULL REFERENCES tokens (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL,
    scope_key  TEXT NOT NULL,
    code_hash  TEXT NOT NULL,
    -- purpose 'address': the new address the code went to, which the
    -- token takes once the code is confirmed; '' otherwise.
    address    TEXT NOT NULL DEFAULT '',
    sent_at    INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    failures   INTEGER NOT NULL DEFAULT 0,
    used_at    INTEGER NOT NULL DEFAULT 0, -- 0 until the code was accepted
    PRIMARY KEY (token_id, purpose, scope_key)
);

CREATE INDEX sent_codes_expiry ON sent_codes (expires_at);
