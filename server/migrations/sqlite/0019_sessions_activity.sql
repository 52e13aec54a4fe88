-- Sessions and sign-in activity: what a user needs to recognise a
-- session (the device and app it named at sign-in, where it came from),
-- and their recent sign-in attempts, known users only. Neither ever holds
-- a password, code or token.
ALTER TABLE sessions ADD COLUMN device TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN ip TEXT NOT NULL DEFAULT '';

CREATE TABLE sign_in_activity (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    method      TEXT NOT NULL, -- api.SignInMethod
    result      TEXT NOT NULL, -- api.SignInResult
    ip          TEXT NOT NULL,
    device      TEXT NOT NULL,
    reported_at INTEGER NOT NULL DEFAULT 0 -- "This wasn't me"; 0: not reported
);

-- The user's list, newest first (the index ends in the rowid, which breaks
-- ties of one millisecond),
-- and the purge of old entries.
CREATE INDEX sign_in_activity_by_user ON sign_in_activity (user_id, at);
CREATE INDEX sign_in_activity_by_time ON sign_in_activity (at);
