-- Verification questions: each user's answers to questions of the
-- organisation's catalog (the tenant configuration), by question id. An
-- answer is kept as an argon2id hash of its normalised form, to check
-- it, and sealed under the server's secret key (AES-256-GCM, bound to
-- the row's id), to show it to its user after a step-up; never in the
-- clear. The failures count wrong answers given to the helpdesk's check,
-- which locks the question for checking.
CREATE TABLE question_answers (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    question_id     TEXT NOT NULL,
    answer_hash     TEXT NOT NULL,
    secret          BLOB NOT NULL, -- the answer as typed, sealed
    failures        INTEGER NOT NULL DEFAULT 0,
    locked_until    INTEGER NOT NULL DEFAULT 0,
    last_failure_at INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (user_id, question_id)
);
