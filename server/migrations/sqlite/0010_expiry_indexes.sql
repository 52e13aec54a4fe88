-- Every column the background purge searches by has an index, so that a
-- purge reads only what it deletes however large the tables grow.
CREATE INDEX logins_by_expiry ON logins (expires_at);
CREATE INDEX sessions_by_idle_expiry ON sessions (idle_expires_at);
CREATE INDEX sessions_by_absolute_expiry ON sessions (absolute_expires_at);
CREATE INDEX push_requests_by_expiry ON push_requests (expires_at);
CREATE INDEX push_provisioning_by_expiry ON push_provisioning (expires_at);
CREATE INDEX outbox_by_age ON outbox (created_at);
CREATE INDEX password_failures_by_lock ON password_failures (locked_until);
