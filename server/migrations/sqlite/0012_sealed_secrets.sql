-- Token seeds are stored sealed (AES-256-GCM under the server secret key,
-- see sealing.go), and sent codes as an HMAC under a key derived from it.
--
-- SQL cannot encrypt, so this lists the seeds stored in the clear until
-- now; the server seals them the first time it opens the database with
-- its key, in one transaction, and empties the list. Every seed written
-- after this migration is sealed when it is written.
CREATE TABLE unsealed_secrets (
    table_name TEXT NOT NULL CHECK (table_name IN ('tokens', 'hardware_tokens')),
    row_key    TEXT NOT NULL, -- tokens.id or hardware_tokens.serial
    PRIMARY KEY (table_name, row_key)
);

INSERT INTO unsealed_secrets (table_name, row_key)
SELECT 'tokens', id FROM tokens WHERE length(secret) > 0;

INSERT INTO unsealed_secrets (table_name, row_key)
SELECT 'hardware_tokens', serial FROM hardware_tokens WHERE length(secret) > 0;

-- Codes sent before are stored as a plain SHA-256, which the server no
-- longer checks: they live minutes, and the user asks for a new one.
DELETE FROM sent_codes;
