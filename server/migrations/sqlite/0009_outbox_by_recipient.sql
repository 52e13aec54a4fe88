-- Codes and set-up links are throttled per recipient, across tokens and
-- users, so that nobody floods a phone or mailbox by making and deleting
-- tokens: the outbox is searched by recipient.
CREATE INDEX outbox_by_recipient ON outbox (recipient, channel, created_at);
