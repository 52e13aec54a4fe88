-- The approval process: a policy per approvable operation, step-up
-- approvals, and approval requests with their approvers and history.

-- How each operation is approved. template_id '' applies to every
-- template (and to operations that have none); a policy for the token's
-- or request's own template wins over it. No row means mode 'none'.
CREATE TABLE approval_policies (
    operation      TEXT NOT NULL,
    template_id    TEXT NOT NULL DEFAULT '',
    mode           TEXT NOT NULL CHECK (mode IN ('none', 'self', 'approvers')),
    -- Mode 'approvers' only: a role whose users approve (the role doubles
    -- as the approver group), or the users in approval_policy_approvers.
    approver_group TEXT NOT NULL DEFAULT '',
    required       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (operation, template_id),
    CHECK ((mode = 'approvers' AND required >= 1) OR (mode <> 'approvers' AND required = 0 AND approver_group = ''))
);

CREATE TABLE approval_policy_approvers (
    operation   TEXT NOT NULL,
    template_id TEXT NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (operation, template_id, user_id),
    FOREIGN KEY (operation, template_id) REFERENCES approval_policies (operation, template_id) ON DELETE CASCADE
);

-- Step-up approvals; only the SHA-256 of the approval id is stored. Each
-- is bound to its user, operation, target and the hash of the action's
-- parameters, and is used up by the one request it approves.
CREATE TABLE approvals (
    id_hash     TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    operation   TEXT NOT NULL,
    target      TEXT NOT NULL,
    params_hash TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('OPEN', 'VERIFIED', 'USED')),
    token_id    TEXT NOT NULL DEFAULT '', -- the token that confirmed it
    failures    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);

CREATE INDEX approvals_by_expiry ON approvals (expires_at);

-- Approval requests. EXPIRED is not stored: a request whose expires_at
-- has passed before it was decided (or, once approved, finished) is
-- expired.
CREATE TABLE approval_requests (
    id           TEXT PRIMARY KEY,
    requester_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    operation    TEXT NOT NULL,
    target       TEXT NOT NULL,
    target_label TEXT NOT NULL,
    parameters   TEXT NOT NULL, -- JSON object of strings, never secrets
    params_hash  TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('IN_APPROVAL', 'APPROVED', 'REJECTED', 'REVOKED')),
    required     INTEGER NOT NULL CHECK (required >= 1),
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    executed_at  INTEGER NOT NULL DEFAULT 0 -- when the action ran; 0 until then
);

CREATE INDEX approval_requests_by_requester ON approval_requests (requester_id, created_at);

-- The approvers of each request, fixed when it is made.
CREATE TABLE approval_request_approvers (
    request_id TEXT NOT NULL REFERENCES approval_requests (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (request_id, user_id)
);

CREATE INDEX approval_request_approvers_by_user ON approval_request_approvers (user_id);

-- What happened to each request, in order. The approvers' decisions are
-- their latest 'approved' or 'declined' entries.
CREATE TABLE approval_history (
    request_id TEXT NOT NULL REFERENCES approval_requests (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    event      TEXT NOT NULL CHECK (event IN ('created', 'approved', 'declined', 'revoked', 'executed')),
    actor_id   TEXT REFERENCES users (id) ON DELETE SET NULL, -- NULL for the server's own events
    comment    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (request_id, seq)
);
