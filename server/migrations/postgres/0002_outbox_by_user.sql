-- Daily caps of SMS and email (caps.go): each message names the user it
-- was sent for, and the outbox is counted by user and by channel over
-- the last 24 hours. Messages sent before have no user ('') and count
-- only for the deployment.
ALTER TABLE outbox ADD COLUMN user_id TEXT NOT NULL DEFAULT '';

CREATE INDEX outbox_by_user ON outbox (user_id, channel, created_at);
CREATE INDEX outbox_by_channel ON outbox (channel, created_at);
