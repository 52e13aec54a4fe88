-- Sign-in and step-up: the second factor a session was signed in with
-- (an api.SignInMethod; '' when the password alone signed it in), whose
-- recent use satisfies a step-up for a grace time; the sign-in method each
-- user prefers; and number matching with the sign-in's context on push
-- requests (the number the computer shows, the three the phone offers,
-- the app and address the request came from).
ALTER TABLE sessions ADD COLUMN second_factor TEXT NOT NULL DEFAULT '';

CREATE TABLE default_methods (
    user_id  TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_id TEXT NOT NULL REFERENCES tokens (id) ON DELETE CASCADE
);

ALTER TABLE push_requests ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
ALTER TABLE push_requests ADD COLUMN choices TEXT NOT NULL DEFAULT '';
ALTER TABLE push_requests ADD COLUMN device TEXT NOT NULL DEFAULT '';
ALTER TABLE push_requests ADD COLUMN ip TEXT NOT NULL DEFAULT '';
