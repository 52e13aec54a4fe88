-- Profile: the user's preferences ('' until chosen: the app follows the
-- computer) and the values of the organisation's profile fields.
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';    -- BCP 47 tag
ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';   -- IANA name
ALTER TABLE users ADD COLUMN date_format TEXT NOT NULL DEFAULT ''; -- api.DateFormat ID

CREATE TABLE profile_values (
    user_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    field_id TEXT NOT NULL, -- the field's id in the organisation's configuration
    value    TEXT NOT NULL,
    PRIMARY KEY (user_id, field_id)
);
