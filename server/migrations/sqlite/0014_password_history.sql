-- Password change: the hashes of a user's previous passwords, so that a
-- new password may not be one of the last few (PasswordPolicy.History).
CREATE TABLE password_history (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    hash       TEXT NOT NULL, -- argon2id, as users.password_hash
    changed_at BIGINT NOT NULL, -- when it stopped being the password
    PRIMARY KEY (user_id, changed_at, hash)
);
