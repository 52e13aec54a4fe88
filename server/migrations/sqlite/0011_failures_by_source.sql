-- Failed passwords are counted per username and source (the client's
-- address, an IPv6 /64), so that wrong passwords from one place lock that
-- place out, never the user: the real user, elsewhere, still signs in.
-- A count is forgotten once its last failure is old enough; the purge
-- deletes such rows. The old counts are dropped: they were short-lived.
DROP TABLE password_failures;

CREATE TABLE password_failures (
    username        TEXT NOT NULL,
    source          TEXT NOT NULL,
    failures        INTEGER NOT NULL,
    locked_until    INTEGER NOT NULL,
    last_failure_at INTEGER NOT NULL,
    PRIMARY KEY (username, source)
);

CREATE INDEX password_failures_by_age ON password_failures (last_failure_at);
