-- Sponsored invitations: someone without an account invited by an
-- employee (the sponsor). fields is a JSON object of the template's
-- profile fields. sent_at and expires_at are the newest link's (0 while
-- IN_APPROVAL); request_id the approval request while approvers decide.
CREATE TABLE invitations (
    id                TEXT PRIMARY KEY,
    sponsor_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    template_id       TEXT NOT NULL,
    name              TEXT NOT NULL,
    email             TEXT NOT NULL,
    fields            TEXT NOT NULL DEFAULT '{}',
    status            TEXT NOT NULL,
    request_id        TEXT NOT NULL DEFAULT '',
    created_at        INTEGER NOT NULL,
    sent_at           INTEGER NOT NULL DEFAULT 0,
    expires_at        INTEGER NOT NULL DEFAULT 0,
    accepted_username TEXT NOT NULL DEFAULT ''
);

CREATE INDEX invitations_by_sponsor ON invitations (sponsor_id, created_at);
CREATE INDEX invitations_by_email ON invitations (lower(email));
CREATE INDEX invitations_by_request ON invitations (request_id);
CREATE INDEX invitations_expiry ON invitations (status, expires_at);

-- What happened to each invitation, in order.
CREATE TABLE invitation_events (
    invitation_id TEXT NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL, -- 1, 2, 3, … per invitation
    at            INTEGER NOT NULL,
    event         TEXT NOT NULL,
    PRIMARY KEY (invitation_id, seq)
);

-- A link may open something of its user's besides the account: an
-- invitation's link is its sponsor's, with the invitation as subject.
ALTER TABLE links ADD COLUMN subject TEXT NOT NULL DEFAULT '';
