-- Self-registration: an account is activated once its email address is
-- confirmed by the link sent to it. activated_at is when (0: not yet);
-- every account made before is activated. Accounts never activated are
-- purged after a while: the index finds them.
ALTER TABLE users ADD COLUMN activated_at INTEGER NOT NULL DEFAULT 0;
UPDATE users SET activated_at = max(created_at, 1);
CREATE INDEX users_unactivated ON users (activated_at, created_at);
